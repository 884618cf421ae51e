"""Second factor: HR and administrators must set one up before using the app; others may."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onboarding.accounts.security import SESSION_HAS_SECOND_FACTOR
from tests.factories import UserFactory
from tests.mfa_support import give_totp, has_totp, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
APP_PAGES = ["dashboard", "newcomer_list", "newcomer_create", "ceremony_list", "declaration_list", "user_invite"]


@pytest.fixture
def new_hr():
    return UserFactory(email="new.hr@example.org", roles=["HR"])


def logged_in(user, *, password=True) -> Client:
    client = Client()
    if password:
        response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
    else:
        client.force_login(user)
    return client


def reauthenticated(client) -> Client:
    """allauth asks for the password again before factors are added or removed."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


def logged_in_with_code(user, secret) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("page", APP_PAGES)
def test_hr_without_a_second_factor_is_sent_to_set_one_up(new_hr, page):
    response = logged_in(new_hr, password=False).get(reverse(page))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_an_administrator_without_a_second_factor_cannot_reach_the_admin():
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    response = logged_in(admin, password=False).get(reverse("admin:index"))

    assert response["Location"] == reverse("mfa_index")


def test_until_then_only_the_account_pages_logout_and_language_switch_work(new_hr):
    client = logged_in(new_hr, password=False)

    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    assert "Tweestapsverificatie" in page.content.decode()
    assert client.get(reverse("account_change_password")).status_code == 200
    assert client.post(reverse("language_set"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))


def test_the_page_tells_why_the_user_was_sent_there(new_hr):
    client = logged_in(new_hr, password=False)
    client.post(reverse("language_set"), {"language": "en"})

    html = client.get(reverse("dashboard"), follow=True).content.decode()

    assert "Your role requires two-factor authentication" in html


@pytest.mark.parametrize("persona", ["manager", "officiant"])
def test_managers_and_officiants_may_work_without_a_second_factor(persona, request):
    user = request.getfixturevalue(persona)
    response = logged_in(user).get(reverse("dashboard"))

    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth announces the new factor on commit, as in production
def test_hr_sets_up_an_authenticator_app_and_then_gets_in(new_hr):
    client = logged_in(new_hr)
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_index")
    reauthenticated(client)

    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert has_totp(new_hr)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("newcomer_list")).status_code == 200


def test_a_wrong_code_does_not_activate_the_app(new_hr):
    client = reauthenticated(logged_in(new_hr))
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    client.post(reverse("mfa_activate_totp"), {"code": wrong})

    assert not has_totp(new_hr)
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_index")


def test_login_of_a_user_with_a_second_factor_asks_for_the_code(hr):
    client = Client()
    response = client.post(reverse("account_login"), {"login": hr.email, "password": PASSWORD})

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("dashboard")).status_code == 302  # not logged in yet

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(hr.totp_secret)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_code_cannot_be_used_twice(hr):
    code = totp_code(hr.totp_secret)
    first, second = Client(), Client()
    for client in (first, second):
        client.post(reverse("account_login"), {"login": hr.email, "password": PASSWORD})
    first.post(reverse("mfa_authenticate"), {"code": code})
    second.post(reverse("mfa_authenticate"), {"code": code})

    assert first.get(reverse("dashboard")).status_code == 200
    assert second.get(reverse("dashboard")).status_code == 302


def test_wrong_codes_are_rate_limited(hr):
    client = Client()
    client.post(reverse("account_login"), {"login": hr.email, "password": PASSWORD})
    wrong = f"{(int(totp_code(hr.totp_secret)) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        client.post(reverse("mfa_authenticate"), {"code": wrong})

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(hr.totp_secret)})

    assert response.status_code == 200  # the right code is refused too, for now
    assert client.get(reverse("dashboard")).status_code == 302


def test_hr_cannot_remove_their_only_second_factor(hr):
    client = reauthenticated(logged_in_with_code(hr, hr.totp_secret))

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200  # the form, with the refusal
    assert has_totp(hr)


def test_a_manager_may_remove_theirs(manager):
    client = reauthenticated(logged_in_with_code(manager, give_totp(manager)))

    client.post(reverse("mfa_deactivate_totp"))

    assert not has_totp(manager)


def test_the_check_costs_no_query_once_the_session_knows(hr_client):
    with CaptureQueriesContext(connection) as queries:
        hr_client.get(reverse("dashboard"))

    assert not [q for q in queries if Authenticator._meta.db_table in q["sql"]]


def test_the_check_costs_one_query_when_the_session_does_not_know_yet(hr_client):
    session = hr_client.session
    del session[SESSION_HAS_SECOND_FACTOR]
    session.save()

    with CaptureQueriesContext(connection) as queries:
        assert hr_client.get(reverse("dashboard")).status_code == 200

    assert len([q for q in queries if Authenticator._meta.db_table in q["sql"]]) == 1
    assert hr_client.session[SESSION_HAS_SECOND_FACTOR] is True


def test_the_mfa_pages_use_our_layout_and_only_our_own_scripts(hr_client):
    html = hr_client.get(reverse("mfa_index")).content.decode()

    assert 'class="site-header"' in html
    assert "<script>" not in html
