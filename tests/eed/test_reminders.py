"""Reminders: unanswered witness requests and the weekly deadline digest, never sent twice."""

import datetime

import pytest
from django.utils import timezone

from eed.ceremonies import reminders, services
from eed.models import Appointment
from tests.factories import CeremonyFactory, NewcomerFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)


def test_working_days_skip_the_weekend():
    friday = datetime.date(2026, 11, 27)
    assert reminders.working_days_between(friday, MONDAY) == 1
    assert reminders.working_days_between(friday, friday + datetime.timedelta(days=5)) == 3


def test_an_unanswered_witness_is_reminded_then_hr_is_told_each_once(hr, manager, mailbox):
    newcomer = NewcomerFactory(manager=manager)
    appointment, _raw = services.appointment_assign(newcomer=newcomer, ceremony=CeremonyFactory(), by=hr)
    requested = timezone.make_aware(datetime.datetime(2026, 11, 30, 9))
    Appointment.objects.filter(pk=appointment.pk).update(witness_requested_at=requested)
    mailbox().clear()

    assert reminders.witness_reminders_send(today=datetime.date(2026, 12, 2)) == 0
    assert reminders.witness_reminders_send(today=datetime.date(2026, 12, 3)) == 1
    assert reminders.witness_reminders_send(today=datetime.date(2026, 12, 3)) == 0
    assert [m.to for m in mailbox()] == [["manager@example.org"]]

    Appointment.objects.filter(pk=appointment.pk).update(
        witness_reminded_at=timezone.make_aware(datetime.datetime(2026, 12, 3, 7))
    )
    assert reminders.witness_reminders_send(today=datetime.date(2026, 12, 8)) == 1
    assert reminders.witness_reminders_send(today=datetime.date(2026, 12, 9)) == 0
    assert [m.to for m in mailbox()][-1] == ["hr@example.org"]


def test_an_answered_request_is_not_reminded(hr, manager, mailbox):
    appointment, _raw = services.appointment_assign(
        newcomer=NewcomerFactory(manager=manager), ceremony=CeremonyFactory(), by=hr
    )
    services.witness_answer(appointment=appointment, by=manager, confirm=True)
    Appointment.objects.filter(pk=appointment.pk).update(
        witness_requested_at=timezone.now() - datetime.timedelta(days=30)
    )

    assert reminders.witness_reminders_send(today=timezone.localdate()) == 0


def test_the_weekly_digest_goes_to_hr_and_each_manager_once_a_week(manager, other_manager, mailbox):
    NewcomerFactory(surname="Dringend", manager=manager, start_date=MONDAY - datetime.timedelta(days=55))
    NewcomerFactory(surname="Verlopen", manager=other_manager, start_date=MONDAY - datetime.timedelta(days=90))
    NewcomerFactory(surname="Ruim", manager=manager, start_date=MONDAY)
    NewcomerFactory(surname="Extern", kind="external", manager=manager, start_date=MONDAY - datetime.timedelta(days=90))

    assert reminders.deadline_digests_send(today=MONDAY) == 3
    assert reminders.deadline_digests_send(today=MONDAY + datetime.timedelta(days=2)) == 0
    outbox = {m.to[0]: m.body for m in mailbox()}
    assert "Dringend" in outbox["hr@example.org"] and "Verlopen" in outbox["hr@example.org"]
    assert "Ruim" not in outbox["hr@example.org"] and "Extern" not in outbox["hr@example.org"]
    assert "Verlopen" not in outbox["manager@example.org"]
    assert reminders.deadline_digests_send(today=MONDAY + datetime.timedelta(days=7)) == 3


def test_the_digest_lists_the_recent_ones_and_counts_the_long_overdue_with_a_link(mailbox):
    """Years of overdue people would make the weekly digest endless: they are a count and the overdue list."""
    due_soon = MONDAY - datetime.timedelta(days=55)
    long_ago = MONDAY - datetime.timedelta(days=400)
    NewcomerFactory.create_batch(reminders.DIGEST_ROWS + 3, surname="Dringend", start_date=due_soon)
    NewcomerFactory.create_batch(4, surname="Lang", start_date=long_ago)

    assert reminders.deadline_digests_send(today=MONDAY) == 1

    [mail] = mailbox()
    assert mail.body.count("Dringend") == reminders.DIGEST_ROWS and "Lang" not in mail.body
    assert "En nog 3 nieuwkomers." in mail.body
    assert f"4 nieuwkomers hebben meer dan {reminders.DIGEST_OVERDUE_DAYS} dagen" in mail.body
    assert "/newcomers/?status=overdue" in mail.body
