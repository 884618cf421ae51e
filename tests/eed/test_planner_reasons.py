"""The planner groups the people it cannot place under one sentence per reason."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import NewcomerFactory
from tests.html_tree import parse

pytestmark = pytest.mark.django_db

NO_CEREMONY = "Geen geplande beëdiging met een beëdiger voor dit aanstellend orgaan"


def test_twenty_people_with_one_reason_get_the_sentence_once(hr_client):
    today = timezone.localdate()
    for n in range(20):
        NewcomerFactory(surname="Wachtend", start_date=today - datetime.timedelta(days=n))
    for n in range(2):
        NewcomerFactory(surname="Verlopen", start_date=today - datetime.timedelta(days=90 + n))

    response = hr_client.get(reverse("planner"))

    section = parse(response).by_id("unplaced")
    groups = section.find_all("div", class_="reason-group")
    assert [group.find("h3").text.startswith(NO_CEREMONY) for group in groups].count(True) == 1
    assert section.text.count(NO_CEREMONY) == 1
    waiting = next(group for group in groups if group.find("h3").text.startswith(NO_CEREMONY))
    assert len(waiting.find("tbody").find_all("tr")) == 20
    assert "20 nieuwkomers" in waiting.text
    assert section.text.count("De uiterste datum is verstreken") == 1
