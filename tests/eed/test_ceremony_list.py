"""The ceremony list opens on the upcoming ceremonies, the soonest first; past and all are a filter away."""

import pytest
from django.urls import reverse

from tests.eed.ceremony_day import ceremony_on
from tests.html_tree import parse, selected_option

pytestmark = pytest.mark.django_db


def listed_ids(response) -> list[int]:
    """The ceremonies in the list, in the order shown (each row links to its ceremony)."""
    table = parse(response).find("table", class_="data-table")
    hrefs = [a.attrs["href"] for a in table.find("tbody").find_all("a")]
    return [int(href.rstrip("/").rsplit("/", 1)[1]) for href in hrefs]


@pytest.fixture
def ceremonies():
    """Thirty past ceremonies (two pages and more), one this morning and three to come, made out of order."""
    past = [ceremony_on(-days) for days in range(60, 0, -2)]
    later, today, soon, next_week = ceremony_on(30), ceremony_on(0), ceremony_on(2), ceremony_on(7)
    return {"past": past, "upcoming": [today, soon, next_week, later]}


def test_the_list_opens_on_the_upcoming_ceremonies_soonest_first(hr_client, ceremonies):
    response = hr_client.get(reverse("ceremony_list"))

    assert listed_ids(response) == [c.pk for c in ceremonies["upcoming"]]
    assert selected_option(parse(response).find("select", name="when")) == "upcoming"


def test_past_ceremonies_show_the_latest_first(hr_client, ceremonies):
    response = hr_client.get(reverse("ceremony_list"), {"when": "past"})

    latest_first = [c.pk for c in reversed(ceremonies["past"])]
    assert listed_ids(response) == latest_first[:25]
    assert selected_option(parse(response).find("select", name="when")) == "past"


def test_all_shows_every_ceremony_and_a_sort_still_applies(hr_client, ceremonies):
    everything = [*ceremonies["past"], *ceremonies["upcoming"]]
    page_two = hr_client.get(reverse("ceremony_list"), {"when": "all", "page": 2})
    oldest_first = hr_client.get(reverse("ceremony_list"), {"when": "all", "sort": "starts_at"})

    assert len(listed_ids(page_two)) == len(everything) - 25
    assert listed_ids(oldest_first) == [c.pk for c in ceremonies["past"][:25]]


def test_an_unknown_choice_falls_back_to_upcoming(hr_client, ceremonies):
    response = hr_client.get(reverse("ceremony_list"), {"when": "tomorrow"})

    assert listed_ids(response) == [c.pk for c in ceremonies["upcoming"]]
