"""HR keeps the list of dilemma-game sessions: in a ceremony's programme or for a team."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eed.dilemma.forms import DAYS_AHEAD, DAYS_BACK
from eed.dilemma.services import dilemma_session_create
from eed.enums import DilemmaSetting
from eed.models import DilemmaSession
from tests.eed.ceremony_day import absent, assign, ceremony_on, newcomer, record, taken

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(hr, manager):
    """Yesterday's ceremony: three present, one absent."""
    ceremony = ceremony_on(-1)
    appointments = [assign(ceremony, newcomer(manager), hr, form="oath") for _ in range(4)]
    record(ceremony, hr, [taken(a) for a in appointments[:3]] + [absent(appointments[3])])
    return ceremony


def test_a_ceremony_session_counts_those_present_unless_told_otherwise(held, hr_client):
    url = reverse("dilemma_session_create")
    response = hr_client.post(
        url, {"date": "2026-01-15", "setting": "ceremony", "ceremony": held.pk, "facilitator": "Integriteitsbureau"}
    )

    assert response.status_code == 302
    session = DilemmaSession.objects.get()
    assert (session.setting, session.ceremony, session.participants) == ("ceremony", held, 3)
    assert session.team_name == ""

    hr_client.post(
        reverse("dilemma_session_edit", args=[session.pk]),
        {"date": "2026-01-15", "setting": "ceremony", "ceremony": held.pk, "facilitator": "Bureau", "participants": 5},
    )
    session.refresh_from_db()
    assert (session.participants, session.facilitator) == (5, "Bureau")


def test_a_team_session_needs_the_teams_name_and_its_number(hr_client):
    url = reverse("dilemma_session_create")

    refused = hr_client.post(url, {"date": "2026-02-01", "setting": "team", "facilitator": "Karin"})
    accepted = hr_client.post(
        url,
        {
            "date": "2026-02-01",
            "setting": "team",
            "team_name": "Team Wegen",
            "facilitator": "Karin",
            "participants": 14,
        },
    )

    assert refused.status_code == 200 and set(refused.context["form"].errors) == {"team_name", "participants"}
    assert accepted.status_code == 302
    session = DilemmaSession.objects.get()
    assert (session.team_name, session.ceremony, session.participants) == ("Team Wegen", None, 14)


def test_negative_participants_are_refused_by_the_form_and_the_database(hr_client, hr):
    response = hr_client.post(
        reverse("dilemma_session_create"),
        {"date": "2026-02-01", "setting": "team", "team_name": "T", "facilitator": "K", "participants": -1},
    )
    assert "participants" in response.context["form"].errors
    session = dilemma_session_create(
        by=hr,
        date=datetime.date(2026, 2, 1),
        setting=DilemmaSetting.TEAM,
        team_name="T",
        facilitator="K",
        participants=1,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DilemmaSession.objects.filter(pk=session.pk).update(participants=-1)


def _sessions(count, hr, ceremony):
    for index in range(count):
        dilemma_session_create(
            by=hr,
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=index),
            setting=DilemmaSetting.CEREMONY if index % 2 else DilemmaSetting.TEAM,
            ceremony=ceremony if index % 2 else None,
            team_name="" if index % 2 else f"Team {index}",
            facilitator="Bureau Integriteit",
            participants=index,
        )


def test_the_list_costs_the_same_queries_for_2_or_20_sessions(held, hr, hr_client):
    url = reverse("dilemma_session_list")
    _sessions(2, hr, held)
    hr_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert hr_client.get(url).status_code == 200

    _sessions(20, hr, held)
    with CaptureQueriesContext(connection) as many:
        page = hr_client.get(url)

    assert len(few) == len(many)
    assert len(page.context["table"].rows) == 22
    assert "Team 4" in page.content.decode()


def test_only_hr_sees_the_sessions(manager_client, officiant_client):
    url = reverse("dilemma_session_list")
    assert manager_client.get(url).status_code == 403
    assert officiant_client.get(url).status_code == 403


def test_the_form_offers_the_last_half_year_and_the_coming_month_and_keeps_an_edited_sessions_own(hr, hr_client):
    """Seven years of ceremonies are not one <select>: the form offers a window, and an older session's own."""
    recent, soon = ceremony_on(-DAYS_BACK + 1), ceremony_on(DAYS_AHEAD - 1)
    old, far = ceremony_on(-DAYS_BACK - 2), ceremony_on(DAYS_AHEAD + 2)
    session = dilemma_session_create(
        by=hr, date=old.day, setting="ceremony", ceremony=old, team_name="", facilitator="Bureau", participants=3
    )

    new_form = hr_client.get(reverse("dilemma_session_create")).context["form"]
    edit_form = hr_client.get(reverse("dilemma_session_edit", args=[session.pk])).context["form"]

    assert set(new_form.fields["ceremony"].queryset) == {recent, soon}
    assert set(edit_form.fields["ceremony"].queryset) == {recent, soon, old}
    assert far not in edit_form.fields["ceremony"].queryset
