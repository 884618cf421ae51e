"""HR changes a ceremony through its form: every participant is checked again with the rule of adding,
only those whose calendar copy changed get mail, and a planned ceremony never moves into the past."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from eed.ceremonies import services
from eed.models import Appointment
from onboarding.enums import AppointingBody
from onboarding.models import AuditEntry
from tests.eed.test_ceremonies import _invites
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


def local(days: int, hour: int = 10) -> datetime.datetime:
    moment = timezone.localtime(NOW) + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def misfits_listed(response) -> list[str]:
    """The lines of the warning that lists who no longer fits, as text."""
    block = response.content.decode().partition('id="misfits"')[2].partition("</ul>")[0]
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in block.split("<li>")[1:]]


def form_data(ceremony, **changes) -> dict:
    """The edit form as the browser posts it, in Dutch time, with ``changes`` applied."""
    data = {
        "starts_at": timezone.localtime(ceremony.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(ceremony.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": ceremony.place,
        "video_url": ceremony.video_url,
        "officiant": ceremony.officiant_id,
        "capacity": ceremony.capacity,
        "notes": ceremony.notes,
        "programme": [item.pk for item in ceremony.programme.all()],
    }
    data.update(changes)
    return data


@pytest.fixture
def ceremony(db):
    officiant = OfficiantFactory(user__email="secretaris@example.org").user
    return CeremonyFactory(officiant=officiant, starts_at=local(14), ends_at=local(14, hour=11), capacity=10)


@pytest.fixture
def zoe(hr, manager, ceremony):
    person = NewcomerFactory(
        given_names="Zoë", surname="Özdemir", email="zoe@example.org", manager=manager, start_date=local(-10).date()
    )
    services.appointment_assign(newcomer=person, ceremony=ceremony, by=hr)
    return person


@pytest.fixture
def bram(hr, manager, ceremony):
    person = NewcomerFactory(
        given_names="Bram", surname="de Wit", email="bram@example.org", manager=manager, start_date=local(10).date()
    )
    services.appointment_assign(newcomer=person, ceremony=ceremony, by=hr)
    return person


def test_saving_the_form_unchanged_or_only_its_notes_sends_no_invite_and_records_no_change(
    hr_client, ceremony, zoe, mailbox
):
    mailbox().clear()
    entries = AuditEntry.objects.filter(action="ceremony.update").count()

    hr_client.post(reverse("ceremony_edit", args=[ceremony.pk]), form_data(ceremony))
    hr_client.post(reverse("ceremony_edit", args=[ceremony.pk]), form_data(ceremony, notes="Koffie vanaf 9:30"))

    assert _invites(mailbox()) == []
    changes = [entry.changes for entry in AuditEntry.objects.filter(action="ceremony.update")[entries:]]
    assert [sorted(change) for change in changes] == [["notes"]]


def test_moving_the_ceremony_reinvites_everyone_once(hr_client, ceremony, zoe, mailbox):
    mailbox().clear()

    response = hr_client.post(
        reverse("ceremony_edit", args=[ceremony.pk]),
        form_data(ceremony, starts_at="2026-03-17T14:00", ends_at="2026-03-17T15:00"),
    )

    assert response.status_code == 302
    assert sorted((to, method) for to, method, _seq, _uid in _invites(mailbox())) == [
        ("secretaris@example.org", "REQUEST"),
        ("zoe@example.org", "REQUEST"),
    ]
    mailbox().clear()
    ceremony.refresh_from_db()
    hr_client.post(reverse("ceremony_edit", args=[ceremony.pk]), form_data(ceremony, capacity=12))
    assert _invites(mailbox()) == []


def test_moving_before_a_participants_start_is_refused_naming_them_and_changes_nothing(
    hr_client, ceremony, zoe, bram, mailbox
):
    mailbox().clear()

    response = hr_client.post(
        reverse("ceremony_edit", args=[ceremony.pk]),
        form_data(ceremony, starts_at="2026-03-09T10:00", ends_at="2026-03-09T11:00"),
    )

    assert response.status_code == 200
    assert misfits_listed(response) == ["Bram de Wit: Deze beëdiging ligt vóór de startdatum van de nieuwkomer."]
    ceremony.refresh_from_db()
    assert timezone.localtime(ceremony.starts_at).day == 16
    assert _invites(mailbox()) == []


def test_hr_can_take_the_misfits_out_and_save_the_change(hr_client, ceremony, zoe, bram, mailbox):
    mailbox().clear()
    data = form_data(ceremony, starts_at="2026-03-09T10:00", ends_at="2026-03-09T11:00", remove_misfits="yes")

    response = hr_client.post(reverse("ceremony_edit", args=[ceremony.pk]), data)

    assert response.status_code == 302
    ceremony.refresh_from_db()
    assert timezone.localtime(ceremony.starts_at).day == 9
    assert Appointment.objects.get(newcomer=bram).ended_at is not None
    assert Appointment.objects.get(newcomer=zoe).ended_at is None
    sent = sorted((to, method) for to, method, _seq, _uid in _invites(mailbox()))
    assert ("bram@example.org", "CANCEL") in sent and ("zoe@example.org", "REQUEST") in sent


def test_an_officiant_who_does_not_swear_in_for_a_participants_body_is_refused(hr_client, hr, ceremony, zoe):
    griffie_only = OfficiantFactory(civil_service=False, griffie=True).user

    response = hr_client.post(
        reverse("ceremony_edit", args=[ceremony.pk]), form_data(ceremony, officiant=griffie_only.pk)
    )

    assert response.status_code == 200
    assert misfits_listed(response) == [
        "Zoë Özdemir: De beëdiger van deze beëdiging beëdigt niet voor het aanstellend orgaan van de nieuwkomer."
    ]
    ceremony.refresh_from_db()
    assert ceremony.officiant_id != griffie_only.pk
    assert zoe.appointing_body == AppointingBody.CIVIL_SERVICE


def test_a_planned_ceremony_cannot_be_moved_into_the_past(hr_client, ceremony, zoe):
    response = hr_client.post(
        reverse("ceremony_edit", args=[ceremony.pk]),
        form_data(ceremony, starts_at="2026-03-02T07:00", ends_at="2026-03-02T08:00"),
    )

    assert response.status_code == 200
    assert "verleden" in response.content.decode()
    ceremony.refresh_from_db()
    assert timezone.localtime(ceremony.starts_at).day == 16
