"""Every way in passes the same second-factor stage and the same limits (an outside test broke in via /admin/login/)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.mfa_support import give_totp, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
HR_PAGES = ["/", "/newcomers/", "/newcomers/?_export=csv", "/admin/", "/admin/onboarding/newcomer/"]


@pytest.fixture
def admin():
    user = UserFactory(email="root@example.org", is_staff=True, is_superuser=True, roles=["HR"])
    user.totp_secret = give_totp(user)
    return user


def refused_everywhere(client) -> bool:
    """No HR page or admin page answers with content: each sends the visitor to a login."""
    return all(client.get(page).status_code in (302, 403) for page in HR_PAGES)


def test_the_admin_login_page_sends_people_to_the_apps_login():
    response = Client().get("/admin/login/?next=/admin/onboarding/newcomer/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fonboarding%2Fnewcomer%2F"


def test_the_admin_login_keeps_no_foreign_next():
    response = Client().get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_an_administrators_password_at_the_admin_login_opens_nothing(admin):
    client = Client()
    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert refused_everywhere(client)


def test_sixty_wrong_passwords_then_the_right_one_is_still_refused(admin):
    client = Client()
    for _attempt in range(60):
        client.post(reverse("account_login"), {"login": admin.email, "password": "wrong password"})
    for _attempt in range(60):
        client.post("/admin/login/", {"username": admin.email, "password": "wrong password"})

    response = client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})

    assert response.status_code in (200, 429)  # the form again, or "too many attempts": not the second-factor step
    assert response.get("Location") != reverse("mfa_authenticate")
    assert refused_everywhere(client)


def test_a_password_alone_does_not_open_the_admin_or_hr_pages(admin):
    client = Client()
    response = client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})

    assert response["Location"] == reverse("mfa_authenticate")
    assert refused_everywhere(client)

    client.post(reverse("mfa_authenticate"), {"code": totp_code(admin.totp_secret)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/newcomers/?_export=csv").status_code == 200


def test_a_login_code_alone_does_not_open_hr_pages(admin, mailbox):
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": admin.email})
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mailbox()[-1].body, re.MULTILINE).group(1)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response["Location"] == reverse("mfa_authenticate")
    assert refused_everywhere(client)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(admin.totp_secret)})
    assert client.get("/newcomers/").status_code == 200


def test_a_session_that_never_passed_the_factor_is_ended_even_though_the_user_has_one(admin):
    """The old hook marked a session as having passed when the user merely had a factor."""
    client = Client()
    client.force_login(admin)  # signed in without the MFA stage (as Django's admin login did)

    response = client.get("/newcomers/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert refused_everywhere(client)


def test_a_manager_made_hr_after_signing_in_must_sign_in_again_with_the_factor():
    from django.contrib.auth.models import Group

    manager = UserFactory(email="later.hr@example.org", roles=["Manager"])
    client = Client()
    client.post(reverse("account_login"), {"login": manager.email, "password": PASSWORD})
    assert client.get("/newcomers/").status_code == 200

    manager.groups.add(Group.objects.get(name="HR"))
    give_totp(manager)  # set up on another device

    assert client.get("/newcomers/").status_code == 302
    assert "_auth_user_id" not in client.session
