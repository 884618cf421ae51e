"""A manager answers several witness requests at once on "My witness requests": all of them, or none."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eed.ceremonies import services
from eed.enums import WitnessAnswer
from onboarding.models import AuditEntry
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory

pytestmark = pytest.mark.django_db

ANSWER_MANY = reverse("witness_answer_many")


def _in_days(days, hour=10):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def ceremony(db):
    officiant = OfficiantFactory(user__email="secretaris@example.org").user
    return CeremonyFactory(officiant=officiant, starts_at=_in_days(20), ends_at=_in_days(20, hour=11), capacity=5)


def _requests(hr, ceremony, witness, count):
    return [
        services.appointment_assign(
            newcomer=NewcomerFactory(manager=witness, start_date=timezone.localdate()), ceremony=ceremony, by=hr
        )[0]
        for _ in range(count)
    ]


def _answers(appointments):
    return [type(a).objects.get(pk=a.pk).witness_answer for a in appointments]


def test_the_page_offers_a_checkbox_for_each_pending_request_and_two_buttons(hr, ceremony, manager, manager_client):
    first, second = _requests(hr, ceremony, manager, 2)
    services.witness_answer(appointment=second, by=manager, confirm=True)

    page = manager_client.get(reverse("witness_requests")).content.decode()

    assert f'name="appointment" value="{first.pk}"' in page
    assert f'name="appointment" value="{second.pk}"' not in page
    assert ">Bevestigen</button>" in page and ">Afzeggen</button>" in page


def test_confirming_several_records_each_and_the_calendars_follow(hr, ceremony, manager, manager_client, mailbox):
    requests = _requests(hr, ceremony, manager, 3)
    mailbox().clear()

    response = manager_client.post(
        ANSWER_MANY, {"appointment": [a.pk for a in requests[:2]], "answer": "confirm"}, follow=True
    )

    assert _answers(requests) == [WitnessAnswer.CONFIRMED, WitnessAnswer.CONFIRMED, WitnessAnswer.PENDING]
    assert "U heeft 2 verzoeken bevestigd." in response.content.decode()
    assert AuditEntry.objects.filter(action="witness.answer").count() == 2
    assert any(m.to == ["manager@example.org"] for m in mailbox())  # the witness now gets the invite


def test_declining_several_names_one_substitute_for_all_and_hr_hears_of_each(
    hr, ceremony, manager, manager_client, mailbox
):
    requests = _requests(hr, ceremony, manager, 2)
    mailbox().clear()

    manager_client.post(
        ANSWER_MANY, {"appointment": [a.pk for a in requests], "answer": "decline", "substitute": "Piet de Vries"}
    )

    assert _answers(requests) == [WitnessAnswer.DECLINED, WitnessAnswer.DECLINED]
    assert {type(a).objects.get(pk=a.pk).substitute_suggestion for a in requests} == {"Piet de Vries"}
    to_hr = [m for m in mailbox() if m.to == ["hr@example.org"]]
    assert len(to_hr) == 2 and all("Piet de Vries" in m.body for m in to_hr)


def test_declining_without_a_substitute_is_fine(hr, ceremony, manager, manager_client):
    requests = _requests(hr, ceremony, manager, 2)

    manager_client.post(ANSWER_MANY, {"appointment": [a.pk for a in requests], "answer": "decline"})

    assert _answers(requests) == [WitnessAnswer.DECLINED, WitnessAnswer.DECLINED]


def test_someone_elses_request_in_the_batch_refuses_it_all(hr, ceremony, manager, other_manager, manager_client):
    mine = _requests(hr, ceremony, manager, 2)
    theirs = _requests(hr, ceremony, other_manager, 1)
    before = AuditEntry.objects.count()

    response = manager_client.post(
        ANSWER_MANY, {"appointment": [*(a.pk for a in mine), theirs[0].pk], "answer": "confirm"}, follow=True
    )

    assert _answers([*mine, *theirs]) == [WitnessAnswer.PENDING] * 3
    assert AuditEntry.objects.count() == before
    assert "er is niets beantwoord" in response.content.decode()


def test_a_second_submit_changes_nothing_more(hr, ceremony, manager, manager_client, mailbox):
    requests = _requests(hr, ceremony, manager, 2)
    data = {"appointment": [a.pk for a in requests], "answer": "decline", "substitute": "Piet"}
    manager_client.post(ANSWER_MANY, data)
    mailbox().clear()
    before = AuditEntry.objects.count()

    response = manager_client.post(ANSWER_MANY, data)

    assert response.status_code == 302
    assert AuditEntry.objects.count() == before and mailbox() == []


def test_a_batch_never_overrides_an_answer_given_otherwise(hr, ceremony, manager, manager_client):
    first, second = _requests(hr, ceremony, manager, 2)
    services.witness_answer(appointment=first, by=manager, confirm=True)

    manager_client.post(ANSWER_MANY, {"appointment": [first.pk, second.pk], "answer": "decline"})

    assert _answers([first, second]) == [WitnessAnswer.CONFIRMED, WitnessAnswer.PENDING]


@pytest.mark.parametrize(
    "data",
    [{"answer": "confirm"}, {"appointment": ["x"], "answer": "confirm"}, {"appointment": ["1"], "answer": "maybe"}],
)
def test_nothing_ticked_or_nonsense_is_refused_with_a_message(hr, ceremony, manager, manager_client, data):
    requests = _requests(hr, ceremony, manager, 1)

    response = manager_client.post(ANSWER_MANY, data, follow=True)

    assert response.status_code == 200 and _answers(requests) == [WitnessAnswer.PENDING]
    assert response.context["messages"]


def test_only_a_post_answers_and_only_when_signed_in(manager_client):
    assert manager_client.get(ANSWER_MANY).status_code == 405
    assert Client().post(ANSWER_MANY, {"answer": "confirm"}).status_code == 302
