"""The planner page stays small however large the backlog: bounded rows, choices and lists of who cannot go."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from eed.planner.views import OPTIONS_PER_ROW, UNPLACED_ROWS
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory

pytestmark = pytest.mark.django_db


def _at(days, hour=10):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_the_long_overdue_are_a_count_a_few_rows_and_a_link_to_all_of_them(hr_client):
    officiant = OfficiantFactory().user
    CeremonyFactory(starts_at=_at(5), ends_at=_at(5, hour=11), officiant=officiant)
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    NewcomerFactory.create_batch(UNPLACED_ROWS + 7, start_date=long_ago)

    html = hr_client.get(reverse("planner")).content.decode()

    section = html[html.index('id="unplaced"') :]
    assert section.count("status--overdue") == UNPLACED_ROWS
    assert f"De eerste {UNPLACED_ROWS} van {UNPLACED_ROWS + 7} nieuwkomers." in section
    assert f'href="{reverse("newcomer_list")}?status=overdue"' in section


def test_each_row_offers_its_planned_ceremony_and_only_the_next_few(hr_client):
    officiant = OfficiantFactory().user
    for day in range(2, 2 + OPTIONS_PER_ROW + 6):
        CeremonyFactory(starts_at=_at(day), ends_at=_at(day, hour=11), officiant=officiant)
    person = NewcomerFactory(start_date=timezone.localdate())

    response = hr_client.get(reverse("planner"))

    [(row, select)] = response.context["rows"]
    assert row.newcomer == person
    options = re.findall(r"<option ", str(select))
    assert len(options) == OPTIONS_PER_ROW
    assert f'value="{row.ceremony.pk}" selected' in str(select)
