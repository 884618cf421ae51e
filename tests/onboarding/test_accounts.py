"""Accounts: e-mail login, login by e-mailed code, reset, invitations, no sign-up, language per user."""

import email
import re
from email import policy

import pytest
from django.test import Client
from django.urls import reverse

from onboarding.accounts import services
from onboarding.enums import Role
from onboarding.models import User
from tests.factories import UserFactory
from tests.mfa_support import give_totp, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_staff_logs_in_with_email_and_password(client, manager):
    # (HR also gives a code from their authenticator app: tests/onboarding/test_mfa.py)
    response = client.post(reverse("account_login"), {"login": "Manager@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_password_says_so_without_a_crash(client, hr):
    response = client.post(reverse("account_login"), {"login": "hr@example.org", "password": "wrong"})

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_manager_logs_in_with_a_code_from_the_mail(client, manager, mailbox):
    client.post(reverse("account_request_login_code"), {"email": "manager@example.org"})

    assert len(mailbox()) == 1
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mailbox()[0].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert client.get(reverse("newcomer_list")).status_code == 200


def test_there_is_no_public_sign_up(client):
    page = client.get(reverse("account_signup"))
    client.post(
        reverse("account_signup"),
        {"email": "stranger@example.org", "password1": "a long new password 1", "password2": "a long new password 1"},
    )

    assert not User.objects.filter(email="stranger@example.org").exists()
    assert page.status_code == 200
    assert 'name="password1"' not in page.content.decode()
    assert reverse("account_signup") not in client.get(reverse("account_login")).content.decode()


def test_password_reset_mails_a_link(client, hr, mailbox):
    client.post(reverse("account_reset_password"), {"email": "hr@example.org"})

    assert len(mailbox()) == 1
    assert "/accounts/password/reset/key/" in mailbox()[0].body


def test_an_invitation_lets_a_new_manager_choose_a_password(hr, django_capture_on_commit_callbacks, mailbox):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_invite(email="New.Manager@Example.org", by=hr, roles=[Role.MANAGER], first_name="Nina")

    assert user.email == "new.manager@example.org"
    assert not user.has_usable_password()
    assert [m.to for m in mailbox()] == [["new.manager@example.org"]]
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mailbox()[0].body).group(1)

    browser = Client()
    form_page = browser.get(path, follow=True)
    browser.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "a brand new pass phrase", "password2": "a brand new pass phrase"},
    )

    user.refresh_from_db()
    assert user.check_password("a brand new pass phrase")
    assert user.groups.filter(name="Manager").exists()


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "voor het adres nina.jansen@example.org."),
        ("en", "for the address nina.jansen@example.org."),
    ],
)
def test_the_invitation_names_the_address_in_the_new_users_language(
    hr, language, sentence, django_capture_on_commit_callbacks, mailbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_invite(email="Nina.Jansen@example.org", by=hr, roles=[Role.MANAGER], language=language)

    (invitation,) = mailbox()
    parsed = email.message_from_bytes(invitation.message().as_bytes(), policy=policy.default)
    text = " ".join(parsed.get_body(preferencelist=("plain",)).get_content().split())
    assert sentence in text


def test_inviting_an_existing_user_adds_the_role_without_a_second_mail(
    hr, officiant, django_capture_on_commit_callbacks, mailbox
):
    with pytest.raises(services.ExistingAccount):  # HR confirms first (tests/onboarding/test_account_roles.py)
        services.user_invite(email="secretaris@example.org", by=hr, roles=[Role.MANAGER])
    with django_capture_on_commit_callbacks(execute=True):
        services.user_invite(email="secretaris@example.org", by=hr, roles=[Role.MANAGER], grant_existing=True)

    assert mailbox() == []
    assert set(officiant.groups.values_list("name", flat=True)) == {"Officiant", "Manager"}


def test_the_interface_is_dutch_by_default(hr_client):
    html = hr_client.get(reverse("dashboard")).content.decode()
    assert '<html lang="nl">' in html
    assert "Nieuwkomers" in html


def test_the_language_choice_is_remembered_on_the_account(hr_client, hr):
    response = hr_client.post(reverse("language_set"), {"language": "en", "next": reverse("newcomer_list")})

    assert response.status_code == 302 and response["Location"] == reverse("newcomer_list")
    hr.refresh_from_db()
    assert hr.language == "en"
    other_device = Client()
    sign_in(other_device, hr)
    html = other_device.get(reverse("dashboard")).content.decode()
    assert '<html lang="en">' in html
    assert "Newcomers" in html


def test_english_chosen_on_the_login_page_stays_after_logging_in(client, manager):
    client.post(reverse("language_set"), {"language": "en", "next": reverse("account_login")})
    assert '<html lang="en">' in client.get(reverse("account_login")).content.decode()

    client.post(reverse("account_login"), {"login": "manager@example.org", "password": PASSWORD})

    assert '<html lang="en">' in client.get(reverse("dashboard")).content.decode()
    manager.refresh_from_db()
    assert manager.language == "en"


def test_the_language_switch_never_redirects_elsewhere(client):
    response = client.post(reverse("language_set"), {"language": "en", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"


def test_roles_can_be_combined():
    user = UserFactory(roles=["HR", "Manager"])
    give_totp(user)
    client = Client()
    sign_in(client, user)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("import_upload") in html


def test_hr_invites_a_colleague_from_the_app(hr_client, django_capture_on_commit_callbacks, mailbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            reverse("user_invite"),
            {
                "email": "Officier@Example.org",
                "first_name": "Otto",
                "roles": ["Officiant", "Manager"],
                "language": "en",
            },
        )

    assert response.status_code == 302
    user = User.objects.get(email="officier@example.org")
    assert set(user.groups.values_list("name", flat=True)) == {"Officiant", "Manager"}
    assert len(mailbox()) == 1 and "password" in mailbox()[0].body


def test_only_hr_may_invite(manager_client):
    response = manager_client.post(
        reverse("user_invite"), {"email": "x@example.org", "roles": ["HR"], "language": "nl"}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()


def test_an_english_browser_still_gets_dutch_until_someone_chooses(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl">' in page.content.decode()

    client.post(reverse("language_set"), {"language": "en"})
    assert '<html lang="en">' in client.get(reverse("account_login")).content.decode()
