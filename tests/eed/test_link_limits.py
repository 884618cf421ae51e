"""The newcomer's link and the calendar feeds are rate limited per client, like the declaration link and /verify/."""

import pytest
from django.test import Client
from django.urls import reverse

from eed.calendar.services import calendar_feed_rotate
from eed.ceremonies import services
from tests.factories import CeremonyFactory, NewcomerFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "A" * 43


@pytest.fixture
def link(hr, manager):
    newcomer = NewcomerFactory(email="zoe@example.org", manager=manager)
    _appointment, raw = services.appointment_assign(newcomer=newcomer, ceremony=CeremonyFactory(), by=hr)
    return reverse("newcomer_link", args=[raw])


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_guessing_newcomer_links_is_stopped_and_then_the_real_link_waits_too(settings, link):
    settings.NEWCOMER_LINK_GETS_PER_MINUTE = 5
    guesser = from_address("203.0.113.5")
    answers = [guesser.get(reverse("newcomer_link", args=[f"{UNKNOWN[:-1]}{n}"])).status_code for n in range(5)]

    assert answers == [404] * 5
    refused = guesser.get(link)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused["Referrer-Policy"] == "no-referrer"
    assert from_address("203.0.113.6").get(link).status_code == 200


def test_posts_to_the_newcomer_link_have_their_own_tighter_limit(settings, link):
    settings.NEWCOMER_LINK_POSTS_PER_MINUTE = 2
    client = from_address("203.0.113.7")
    statuses = [client.post(link, {"form": "oath", "attendance": "coming"}).status_code for _ in range(3)]

    assert statuses[:2] == [302, 302]
    assert statuses[2] == 429
    assert client.get(link).status_code == 200


def test_unknown_feed_links_lock_the_client_out_of_every_feed(settings, officiant):
    settings.CALENDAR_FEED_MISSES_PER_MINUTE = 3
    token = calendar_feed_rotate(user=officiant)
    real = reverse("calendar_feed", args=[token])
    guesser = from_address("203.0.113.8")

    assert guesser.get(real).status_code == 200
    misses = [guesser.get(reverse("calendar_feed", args=[f"{UNKNOWN[:-1]}{n}"])).status_code for n in range(3)]

    assert misses == [404] * 3
    assert guesser.get(real).status_code == 429
    assert from_address("203.0.113.9").get(real).status_code == 200


def test_a_calendar_service_polling_many_feeds_has_a_generous_limit(settings, officiant, manager):
    settings.CALENDAR_FEED_PER_MINUTE = 4
    feeds = [reverse("calendar_feed", args=[calendar_feed_rotate(user=user)]) for user in (officiant, manager)]
    service = from_address("198.51.100.20")

    statuses = [service.get(feeds[n % 2]).status_code for n in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
