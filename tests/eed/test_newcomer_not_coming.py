"""A newcomer who cannot come says so on their page: it is recorded (with their reason), HR is told by
mail and on the dashboard, the ceremony page shows it, and they are offered other dates that fit."""

import datetime
import email
import re
from email import policy

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eed.ceremonies import services
from eed.models import Appointment
from onboarding.enums import AppointingBody
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory
from tests.html import text_in

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 10) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def officiant(db):
    return OfficiantFactory(user__email="secretaris@example.org").user


@pytest.fixture
def planned(hr, manager, officiant):
    ceremony = CeremonyFactory(officiant=officiant, starts_at=at(10), ends_at=at(10, 11))
    newcomer = NewcomerFactory(
        given_names="Zoë", surname="Özdemir", email="zoe@example.org", manager=manager,
        start_date=timezone.localdate() - datetime.timedelta(days=5),
    )  # fmt: skip
    appointment, raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    return appointment, raw


def say(raw, **fields):
    return Client().post(reverse("newcomer_link", args=[raw]), fields)


def hr_mails(mailbox):
    found = []
    for message in mailbox():
        if message.to == ["hr@example.org"] or "hr@" in message.to[0]:
            parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
            found.append((parsed["Subject"], parsed.get_body(("plain",)).get_content()))
    return found


def test_not_coming_is_recorded_with_the_reason_and_hr_is_told_once(planned, mailbox, settings):
    appointment, raw = planned
    settings.HR_MAILBOX = "hr@example.org"
    mailbox().clear()

    response = say(raw, attendance="not_coming", absence_reason="Op vakantie in Portugal")
    say(raw, attendance="not_coming", absence_reason="Op vakantie in Portugal")

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.attendance == "not_coming"
    assert appointment.attendance_confirmed_at is None and appointment.absence_reason == "Op vakantie in Portugal"
    mails = hr_mails(mailbox)
    assert len(mails) == 1
    subject, body = mails[0]
    assert "Zoë Özdemir" in subject and "Op vakantie in Portugal" in body


def test_three_states_on_the_ceremony_page_and_the_not_coming_on_hrs_dashboard(planned, hr_client, hr, manager):
    appointment, raw = planned
    other = NewcomerFactory(given_names="Bram", surname="de Wit", manager=manager,
                            start_date=timezone.localdate() - datetime.timedelta(days=5))  # fmt: skip
    services.appointment_assign(newcomer=other, ceremony=appointment.ceremony, by=hr)
    page = hr_client.get(reverse("ceremony_detail", args=[appointment.ceremony_id])).content.decode()
    assert text_in(page).count("nog geen antwoord") == 2

    say(raw, attendance="not_coming", absence_reason="Ziek")

    page = text_in(hr_client.get(reverse("ceremony_detail", args=[appointment.ceremony_id])).content.decode())
    assert "kan niet komen Ziek" in page and "nog geen antwoord" in page
    dashboard = text_in(hr_client.get(reverse("dashboard")).content.decode())
    assert "1 nieuwkomer kan niet naar de beëdiging komen" in dashboard and "Zoë Özdemir" in dashboard


def test_the_newcomer_is_offered_dates_that_fit_and_moves_to_the_one_chosen(planned, officiant, mailbox):
    appointment, raw = planned
    fits = CeremonyFactory(officiant=officiant, starts_at=at(20), ends_at=at(20, 11), capacity=5)
    CeremonyFactory(officiant=officiant, starts_at=at(80), ends_at=at(80, 11))  # after the deadline
    full = CeremonyFactory(officiant=officiant, starts_at=at(25), ends_at=at(25, 11), capacity=1)
    services.appointment_assign(newcomer=NewcomerFactory(start_date=appointment.newcomer.start_date), ceremony=full,
                                by=None)  # fmt: skip
    griffie_only = OfficiantFactory(civil_service=False, griffie=True).user
    CeremonyFactory(officiant=griffie_only, starts_at=at(22), ends_at=at(22, 11))  # not for her body
    assert appointment.newcomer.appointing_body == AppointingBody.CIVIL_SERVICE

    say(raw, attendance="not_coming")
    page = Client().get(reverse("newcomer_link", args=[raw])).content.decode()
    offered = [int(value) for value in re.findall(r'name="move_to" value="(\d+)"', page)]
    assert offered == [fits.pk]

    mailbox().clear()
    moved = Client().post(reverse("newcomer_link", args=[raw]), {"move_to": str(fits.pk)})

    assert moved.status_code == 200 and "U staat nu ingepland" in moved.content.decode()
    current = Appointment.objects.get(newcomer=appointment.newcomer, ended_at__isnull=True)
    assert current.ceremony == fits
    assert Appointment.objects.get(pk=appointment.pk).ended_at is not None
    assert "zoe@example.org" in {message.to[0] for message in mailbox()}  # the new link and invite
    assert Client().get(reverse("newcomer_link", args=[raw])).status_code == 404  # the old link is closed


def test_a_date_that_was_not_offered_cannot_be_chosen(planned, officiant):
    appointment, raw = planned
    late = CeremonyFactory(officiant=officiant, starts_at=at(80), ends_at=at(80, 11))
    say(raw, attendance="not_coming")

    response = Client().post(reverse("newcomer_link", args=[raw]), {"move_to": str(late.pk)}, follow=True)

    assert Appointment.objects.get(newcomer=appointment.newcomer, ended_at__isnull=True).pk == appointment.pk
    assert "kan niet meer worden gekozen" in response.content.decode()


def test_coming_again_clears_the_not_coming(planned):
    appointment, raw = planned
    say(raw, attendance="not_coming", absence_reason="Ziek")

    say(raw, attendance="coming", form="oath")

    appointment.refresh_from_db()
    assert appointment.attendance == "coming" and appointment.absence_reason == ""
    assert appointment.attendance_declined_at is None
