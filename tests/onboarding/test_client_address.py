"""Behind a proxy, every limit counts the client the proxy names, ours and allauth's alike."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.1"


def behind_the_proxy(address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def fail_logins(client, count: int) -> list[int]:
    return [
        client.post(reverse("account_login"), {"login": f"nobody{n}@example.org", "password": "wrong"}).status_code
        for n in range(count)
    ]


def test_one_client_locked_out_by_failed_logins_does_not_lock_out_the_next(settings, manager):
    settings.TRUST_X_FORWARDED_FOR = True
    noisy = behind_the_proxy("203.0.113.5")
    fail_logins(noisy, 12)
    assert noisy.post(reverse("account_login"), {"login": manager.email, "password": PASSWORD}).status_code != 302

    colleague = behind_the_proxy("203.0.113.6")
    response = colleague.post(reverse("account_login"), {"login": manager.email, "password": PASSWORD})

    assert response.status_code == 302
    assert colleague.get(reverse("newcomer_list")).status_code == 200


def test_without_trusting_the_header_a_forged_one_does_not_escape_the_limit(settings, manager):
    settings.TRUST_X_FORWARDED_FOR = False
    for n in range(12):
        fail_logins(behind_the_proxy(f"203.0.113.{n}"), 1)

    response = behind_the_proxy("198.51.100.7").post(
        reverse("account_login"), {"login": manager.email, "password": PASSWORD}
    )

    assert response.status_code != 302  # all came from the one address the server sees


def test_allauth_and_our_limits_see_the_same_address(settings, rf):
    from allauth.account.adapter import get_adapter

    from core.ratelimit import client_ip

    settings.TRUST_X_FORWARDED_FOR = True
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")

    assert get_adapter().get_client_ip(request) == client_ip(request) == "203.0.113.9"
