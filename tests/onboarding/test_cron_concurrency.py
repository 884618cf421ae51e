"""Periodic commands run by cron on two machines at once: nothing is sent or changed twice (PostgreSQL)."""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from eed.ceremonies import services as eed_services
from eed.models import Appointment
from onboarding.declarations.services import declaration_request_send
from onboarding.enums import Kind
from onboarding.mail.outbox import outbox_send_due
from onboarding.models import QueuedMail
from tests.factories import CeremonyFactory, NewcomerFactory, UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


class RecordingBackend(BaseEmailBackend):
    """A delivery backend that notes every message it is given, from any thread, a little slowly."""

    delivered: list[str] = []
    lock = threading.Lock()

    def send_messages(self, email_messages):
        time.sleep(0.005)  # long enough for the two runs to overlap
        with self.lock:
            self.delivered.extend(message.subject for message in email_messages)
        return len(email_messages)


def at_once(*functions):
    """Run the functions in threads released together; their results (errors re-raised)."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # re-raised in the test's thread
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, function)) for index, function in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def test_two_mail_workers_at_once_deliver_every_message_exactly_once(require_postgresql, settings):
    settings.OUTBOX_DELIVERY_BACKEND = f"{__name__}.RecordingBackend"
    RecordingBackend.delivered = []
    for number in range(50):
        mail.EmailMessage(f"Bericht {number}", "Tekst", None, [f"p{number}@example.org"]).send()

    results = at_once(outbox_send_due, outbox_send_due)

    assert sorted(RecordingBackend.delivered) == sorted(f"Bericht {number}" for number in range(50))
    assert sum(sent for sent, _failed in results) == 50
    assert all(sent > 0 for sent, _failed in results), results  # both runs really worked
    assert not QueuedMail.objects.filter(sent_at__isnull=True).exists()


def _reminders_due(hr, today):
    """Five externals whose link went out 8 days ago and five newcomers at risk with a manager."""
    sent = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=8), datetime.time(9)))
    for number in range(5):
        external = NewcomerFactory(kind=Kind.EXTERNAL, email=f"ext{number}@example.org")
        declaration_request_send(newcomer=external, by=hr, now=sent)
    manager = UserFactory(email="digest.manager@example.org", roles=["Manager"])
    for _number in range(5):
        NewcomerFactory(manager=manager, start_date=today - datetime.timedelta(days=50))
    QueuedMail.objects.all().delete()


def _subjects_by_recipient() -> list[tuple[str, str]]:
    return sorted((mail.recipients[0], mail.subject) for mail in QueuedMail.objects.all())


def test_two_reminder_runs_at_once_send_each_declaration_reminder_and_digest_once(require_postgresql):
    hr = UserFactory(roles=["HR"])
    today = timezone.localdate()
    _reminders_due(hr, today)

    at_once(*[lambda: call_command("send_reminders", "--today", today.isoformat())] * 2)
    sent = _subjects_by_recipient()

    call_command("send_reminders", "--today", today.isoformat())  # and a third, later: nothing new
    assert _subjects_by_recipient() == sent
    assert len(sent) == len(set(sent))
    recipients = [recipient for recipient, _subject in sent]
    assert sorted(r for r in recipients if r.startswith("ext")) == [f"ext{n}@example.org" for n in range(5)]
    assert recipients.count("digest.manager@example.org") == 1
    assert recipients.count("hr@example.org") == 1


def test_two_reminder_runs_at_once_remind_each_witness_once(require_postgresql):
    hr = UserFactory(roles=["HR"])
    manager = UserFactory(email="witness@example.org", roles=["Manager"])
    ceremony = CeremonyFactory(capacity=20)
    for _number in range(10):
        eed_services.appointment_assign(newcomer=NewcomerFactory(manager=manager), ceremony=ceremony, by=hr)
    long_ago = timezone.now() - datetime.timedelta(days=14)
    Appointment.objects.update(witness_requested_at=long_ago)
    QueuedMail.objects.all().delete()
    today = timezone.localdate()

    at_once(*[lambda: call_command("send_reminders", "--today", today.isoformat())] * 2)

    reminders = QueuedMail.objects.filter(recipients=["witness@example.org"]).count()
    assert reminders == 10
    assert Appointment.objects.filter(witness_reminded_at__isnull=True).count() == 0


def test_two_retention_runs_at_once_anonymise_each_person_once_and_keep_the_chain(require_postgresql):
    from eed.retention import BATCH, retention_apply
    from onboarding.audit.trail import REDACTION_ACTION, audit_verify
    from onboarding.models import AuditEntry, Newcomer
    from onboarding.newcomers import services as onboarding_services

    hr = UserFactory(roles=["HR"])
    people = BATCH * 2 + 50  # several batches, so the runs interleave
    for number in range(people):
        onboarding_services.newcomer_create(
            by=hr,
            given_names="Oud",
            surname=f"Dossier {number}",
            email=f"oud{number}@example.org",
            personnel_number=f"R{number}",
            start_date=datetime.date(2015, 3, 1),
        )
    today = datetime.date(2026, 11, 29)

    reports = at_once(*[lambda: retention_apply(today=today)] * 2)

    assert sum(report.newcomers_anonymised for report in reports) == people
    assert sum(report.audit_entries_redacted for report in reports) == people
    seals = AuditEntry.objects.filter(action=REDACTION_ACTION)
    assert seals.count() == seals.values("target_id").distinct().count() == people
    assert not Newcomer.objects.not_anonymised().exists()
    checked, broken, _head = audit_verify()
    assert broken is None and checked == 2 * people
