"""Staff sessions end after 30 minutes idle and 12 hours in all; login and code requests are rate limited."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from onboarding.accounts.security import SESSION_SEEN_AT
from onboarding.models import QueuedMail
from tests.factories import UserFactory
from tests.mfa_support import sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
START = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_the_limits_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_MAX_SECONDS == 12 * 3600
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_a_session_idle_for_more_than_thirty_minutes_ends(clock, manager):
    client = signed_in(manager)
    assert client.get(reverse("dashboard")).status_code == 200

    clock.shift(31 * MINUTE)
    response = client.get(reverse("newcomer_list"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('newcomer_list')}"
    assert client.get(reverse("dashboard")).status_code == 302  # really logged out
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(clock, manager):
    client = signed_in(manager)
    for _step in range(6):
        clock.shift(25 * MINUTE)
        assert client.get(reverse("dashboard")).status_code == 200


def test_twelve_hours_after_login_the_session_ends_however_busy(clock, manager):
    client = signed_in(manager)
    for _step in range(12 * 3):
        clock.shift(20 * MINUTE)
        assert client.get(reverse("dashboard")).status_code == 200
    clock.shift(1 * MINUTE)

    assert client.get(reverse("dashboard")).status_code == 302


def test_the_session_is_written_at_most_once_a_minute(clock, manager):
    client = signed_in(manager)
    stamped = client.session[SESSION_SEEN_AT]
    clock.shift(datetime.timedelta(seconds=30))
    client.get(reverse("dashboard"))
    assert client.session[SESSION_SEEN_AT] == stamped

    clock.shift(datetime.timedelta(seconds=31))
    client.get(reverse("dashboard"))
    assert client.session[SESSION_SEEN_AT] == stamped + 61


def test_hr_sessions_end_the_same_way(clock, hr_client):
    clock.shift(31 * MINUTE)
    assert hr_client.get(reverse("dashboard")).status_code == 302


# --- rate limits (allauth's, configured in settings.ACCOUNT_RATE_LIMITS) -------------------


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_sixth_failed_login_for_an_account_is_refused_even_with_the_right_password(manager):
    client = Client()
    client.post(reverse("language_set"), {"language": "en"})
    for _attempt in range(5):
        response = login(client, manager.email, "wrong")
        assert "Too many failed login attempts" not in response.content.decode()

    response = login(client, manager.email, PASSWORD)

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_failed_logins_from_one_address_are_limited_across_accounts():
    users = [UserFactory(email=f"user{number}@example.org") for number in range(11)]
    client = Client()
    client.post(reverse("language_set"), {"language": "en"})
    for user in users[:10]:
        login(client, user.email, "wrong")

    response = login(client, users[10].email, PASSWORD)

    assert "Too many failed login attempts" in response.content.decode()


def test_more_than_thirty_login_posts_a_minute_from_one_address_get_429(manager):
    client = Client()
    statuses = [login(client, f"nobody{number}@example.org", "wrong").status_code for number in range(31)]

    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_a_fourth_login_code_for_one_address_within_five_minutes_is_refused(manager):
    statuses = []
    for _request in range(4):
        client = Client()
        client.post(reverse("language_set"), {"language": "en"})
        response = client.post(reverse("account_request_login_code"), {"email": manager.email})
        statuses.append(response.status_code)

    assert statuses == [302, 302, 302, 200]
    assert "Too many failed login attempts" in response.content.decode()
    assert QueuedMail.objects.count() == 3
