"""One bad name or one failing item never stops a job for everyone else: it is logged, reported and skipped.

Names stored before the text rules may hold a line break, which in a mail subject made Django refuse the
whole message: assigning that newcomer gave a 500, the planner stopped half-way and ``send_reminders``
crashed on every run. Other failures are simulated by making one item's step raise.
"""

import datetime
import email
import json
import logging
from email import policy
from io import StringIO

import pytest
from django.core.mail import send_mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from eed.ceremonies import notifications, services
from eed.models import Appointment
from onboarding.audit import trail as audit
from onboarding.mail import outbox
from onboarding.models import Newcomer, QueuedMail
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory

pytestmark = pytest.mark.django_db

BROKEN_SURNAME = "Hof\r\nBcc: everyone@example.org"  # as stored before the rules
MONDAY = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())


def _command(*args) -> tuple[str, bool]:
    """(what the command printed, whether it exited non-zero)."""
    out = StringIO()
    try:
        call_command(*args, stdout=out)
    except CommandError:
        return out.getvalue(), True
    return out.getvalue(), False


def _headers(message) -> dict:
    return dict(email.message_from_bytes(message.message().as_bytes(), policy=policy.default).items())


@pytest.fixture
def ceremony(db):
    return CeremonyFactory(officiant=OfficiantFactory().user)


def _pending_since_monday(appointment) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(9)))
    Appointment.objects.filter(pk=appointment.pk).update(witness_requested_at=moment)


def _send_reminders() -> tuple[str, bool]:
    return _command("send_reminders", "--today", (MONDAY + datetime.timedelta(days=3)).isoformat())


# --- names stored with a line break -----------------------------------------------------------------


def test_assigning_a_newcomer_whose_stored_name_holds_a_line_break_works(hr_client, manager, ceremony, mailbox):
    newcomer = NewcomerFactory(given_names="Anouk", surname=BROKEN_SURNAME, manager=manager)

    response = hr_client.post(reverse("appointment_add", args=[ceremony.pk]), {"newcomer": newcomer.pk})

    assert response.status_code == 302
    (request,) = [m for m in mailbox() if m.to == ["manager@example.org"]]
    assert _headers(request)["Subject"] == "Bent u getuige voor Anouk Hof Bcc: everyone@example.org?"
    assert "Bcc" not in _headers(request)


def test_the_planner_places_everyone_even_when_a_stored_name_holds_a_line_break(hr_client, manager, ceremony):
    broken = NewcomerFactory(surname=BROKEN_SURNAME, manager=manager)
    fine = NewcomerFactory(manager=manager)
    preview = hr_client.get(reverse("planner"))
    data = {"assign": [str(row.newcomer.pk) for row, _select in preview.context["rows"]]}
    data |= {select.html_name: str(row.ceremony.pk) for row, select in preview.context["rows"]}

    response = hr_client.post(reverse("planner"), data)

    assert response.status_code == 302
    assert set(Appointment.objects.values_list("newcomer", flat=True)) == {broken.pk, fine.pk}


def test_send_reminders_goes_on_when_a_stored_name_holds_a_line_break(hr, manager, ceremony, mailbox):
    for surname in (BROKEN_SURNAME, "Jansen"):
        appointment, _raw = services.appointment_assign(
            newcomer=NewcomerFactory(surname=surname, manager=manager), ceremony=ceremony, by=hr
        )
        _pending_since_monday(appointment)
    mailbox().clear()

    printed, failed = _send_reminders()

    assert "witness: 2 sent, 0 failed" in printed and not failed
    assert len([m for m in mailbox() if m.subject.startswith("Herinnering")]) == 2


def test_a_subject_with_a_line_break_is_queued_on_one_line(mailbox):
    send_mail("Welkom\nBcc: everyone@example.org", "Tekst", None, ["a@example.org"])

    assert QueuedMail.objects.get().subject == "Welkom Bcc: everyone@example.org"
    assert "Bcc" not in _headers(mailbox()[0])


# --- any other failure of one item ------------------------------------------------------------------


def test_one_failing_reminder_is_logged_without_personal_data_and_tried_again_next_run(
    hr, manager, ceremony, mailbox, monkeypatch, caplog
):
    appointments = []
    for surname in ("Bakker", "Visser"):
        appointment, _raw = services.appointment_assign(
            newcomer=NewcomerFactory(surname=surname, manager=manager), ceremony=ceremony, by=hr
        )
        _pending_since_monday(appointment)
        appointments.append(appointment)
    failing = appointments[0]
    real_reminder = notifications.witness_reminder

    def reminder_failing_for_one(*, appointment, to_hr=False):
        if appointment.pk == failing.pk:
            raise RuntimeError(f"mail server refused {appointment.newcomer.full_name} <{appointment.newcomer.email}>")
        real_reminder(appointment=appointment, to_hr=to_hr)

    monkeypatch.setattr(notifications, "witness_reminder", reminder_failing_for_one)
    mailbox().clear()

    with caplog.at_level(logging.ERROR):
        printed, failed = _send_reminders()

    assert "witness: 1 sent, 1 failed" in printed and "declaration: 0 sent, 0 failed" in printed and failed
    assert len(mailbox()) == 1
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert f"item {failing.pk} failed with RuntimeError" in record.getMessage()
    assert "Bakker" not in caplog.text and "@example.org" not in caplog.text
    assert Appointment.objects.get(pk=failing.pk).witness_reminded_at is None  # its claim was rolled back

    monkeypatch.setattr(notifications, "witness_reminder", real_reminder)
    assert "witness: 1 sent, 0 failed" in _send_reminders()[0]


def test_a_failing_digest_does_not_keep_the_managers_from_theirs(manager, mailbox, monkeypatch):
    NewcomerFactory(manager=manager, start_date=timezone.localdate() - datetime.timedelta(days=55))
    real_digest = notifications.deadline_digest

    def digest_failing_for_hr(*, to, **kwargs):
        if to == "hr@example.org":
            raise RuntimeError("HR mailbox full")
        real_digest(to=to, **kwargs)

    monkeypatch.setattr(notifications, "deadline_digest", digest_failing_for_hr)

    printed, failed = _command("send_reminders")

    assert "deadline digest: 1 sent, 1 failed" in printed and failed
    assert [m.to for m in mailbox()] == [["manager@example.org"]]


def test_a_step_that_fails_whole_does_not_keep_the_other_steps_from_running(hr, manager, ceremony, monkeypatch):
    appointment, _raw = services.appointment_assign(newcomer=NewcomerFactory(manager=manager), ceremony=ceremony, by=hr)
    _pending_since_monday(appointment)

    def no_database(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("eed.ceremonies.reminders.newcomers_at_risk", no_database)

    printed, failed = _send_reminders()

    assert "witness: 1 sent, 0 failed" in printed
    assert "deadline digest: stopped by an error (see the log)" in printed
    assert failed


def test_the_planner_reports_a_newcomer_it_could_not_place_and_places_the_others(
    hr_client, manager, ceremony, monkeypatch
):
    failing, fine = NewcomerFactory(manager=manager), NewcomerFactory(manager=manager)
    real_invitation = notifications.newcomer_invitation

    def invitation_failing_for_one(*, appointment, raw_token):
        if appointment.newcomer_id == failing.pk:
            raise RuntimeError("template broken")
        real_invitation(appointment=appointment, raw_token=raw_token)

    monkeypatch.setattr(notifications, "newcomer_invitation", invitation_failing_for_one)
    preview = hr_client.get(reverse("planner"))
    data = {"assign": [str(row.newcomer.pk) for row, _select in preview.context["rows"]]}
    data |= {select.html_name: str(row.ceremony.pk) for row, select in preview.context["rows"]}

    response = hr_client.post(reverse("planner"), data, follow=True)

    assert response.status_code == 200
    assert list(Appointment.objects.values_list("newcomer", flat=True)) == [fine.pk]
    shown = [str(message) for message in response.context["messages"]]
    assert f"{failing.full_name} is niet ingedeeld: Er is een onverwachte fout opgetreden" in " ".join(shown)


def test_the_mail_run_goes_on_past_a_message_it_cannot_handle(mailbox, monkeypatch):
    for number in range(3):
        send_mail(f"Bericht {number}", "Tekst", None, [f"person{number}@example.org"])
    broken = QueuedMail.objects.order_by("id")[1].pk
    real_deliver = outbox.outbox_deliver

    def deliver_failing_for_one(*, pk, connection=None):
        if pk == broken:
            raise RuntimeError("row damaged")
        return real_deliver(pk=pk, connection=connection)

    monkeypatch.setattr(outbox, "outbox_deliver", deliver_failing_for_one)

    printed, failed = _command("send_queued_mail")

    assert "Sent 2, failed 1" in printed and failed
    assert QueuedMail.objects.filter(sent_at__isnull=True).get().pk == broken


def test_retention_anonymises_the_others_when_one_person_fails(monkeypatch):
    people = [NewcomerFactory(start_date=datetime.date(2015, 1, 5)) for _ in range(3)]
    failing = people[1]
    real_redact = audit.audit_redact

    def redact_failing_for_one(*, redactions, **kwargs):
        if any(redaction.target.pk == failing.pk for redaction in redactions):
            raise RuntimeError("audit chain busy")
        return real_redact(redactions=redactions, **kwargs)

    monkeypatch.setattr("eed.retention.audit_redact", redact_failing_for_one)

    printed, failed = _command("apply_retention", "--today", "2030-01-15", "--format", "json")

    report = json.loads(printed)
    assert (report["newcomers_anonymised"], report["failed"]) == (2, 1) and failed
    assert list(Newcomer.objects.not_anonymised()) == [failing]
    assert Newcomer.objects.get(pk=failing.pk).surname == failing.surname
