"""Daily reminders around ceremonies (run by ``manage.py send_reminders``).

Each function is idempotent: what it sent is recorded (timestamps on the
appointment, DigestLog for the weekly digest), so running it twice on a day
sends nothing twice.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.clock import job_moment
from core.jobs import each_item
from core.links import absolute_reverse
from eed.ceremonies import notifications
from eed.enums import CeremonyState, WitnessAnswer
from eed.models import Appointment, DigestLog
from onboarding.enums import Kind, Role
from onboarding.models import Newcomer, User


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Monday-to-Friday days after ``start`` up to and including ``end``."""
    days = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def _pending_witness_requests():
    return Appointment.objects.filter(
        ended_at__isnull=True,
        witness__isnull=False,
        witness_answer=WitnessAnswer.PENDING,
        witness_requested_at__isnull=False,
        ceremony__state=CeremonyState.PLANNED,
    ).select_related("witness", "newcomer", "ceremony", "ceremony__officiant")


def witness_reminders_send(*, today: datetime.date) -> int:
    """Unanswered after N working days: remind the witness; N working days later: tell HR."""
    wait = settings.WITNESS_REMINDER_WORKING_DAYS
    moment = job_moment(today)
    sent = 0
    for appointment in _pending_witness_requests():
        requested = timezone.localtime(appointment.witness_requested_at).date()
        row = Appointment.objects.filter(pk=appointment.pk)
        with each_item("witness", appointment.pk):  # a savepoint: a failing mail un-claims its step
            # Claim the step with a conditional UPDATE before sending: a second run
            # at the same moment waits for this one and then matches no row.
            if appointment.witness_reminded_at is None:
                if working_days_between(requested, today) >= wait and row.filter(
                    witness_reminded_at__isnull=True
                ).update(witness_reminded_at=moment):
                    notifications.witness_reminder(appointment=appointment)
                    sent += 1
            elif appointment.witness_hr_alerted_at is None:
                reminded = timezone.localtime(appointment.witness_reminded_at).date()
                if working_days_between(reminded, today) >= wait and row.filter(
                    witness_hr_alerted_at__isnull=True
                ).update(witness_hr_alerted_at=moment):
                    notifications.witness_reminder(appointment=appointment, to_hr=True)
                    sent += 1
    return sent


def newcomers_at_risk(*, today: datetime.date):
    """Needing an oath, no current appointment, deadline passed or within DUE_SOON_DAYS."""
    current = Appointment.objects.filter(newcomer=OuterRef("pk"), ended_at__isnull=True)
    horizon = today + datetime.timedelta(days=settings.DUE_SOON_DAYS)
    return (
        Newcomer.objects.not_anonymised()
        .exclude(kind=Kind.EXTERNAL)
        .filter(~Exists(current), deadline__lte=horizon)
        .select_related("manager")
        .order_by("deadline", "surname")
    )


# The digest lists who is due soon or overdue since at most DIGEST_OVERDUE_DAYS, the first DIGEST_ROWS of them;
# those overdue for longer (years of them, in a large organisation) are a count with the link to the overdue list.
DIGEST_OVERDUE_DAYS = 60
DIGEST_ROWS = 50


def digest_parts(newcomers, *, today: datetime.date) -> dict:
    """What one digest says: ``newcomers`` listed, ``more`` not listed, ``long_overdue`` only counted."""
    since = today - datetime.timedelta(days=DIGEST_OVERDUE_DAYS)
    recent = [newcomer for newcomer in newcomers if newcomer.deadline >= since]
    return {
        "newcomers": recent[:DIGEST_ROWS],
        "more": max(0, len(recent) - DIGEST_ROWS),
        "long_overdue": len(newcomers) - len(recent),
        "overdue_days": DIGEST_OVERDUE_DAYS,
    }


def _digest_once(*, recipient, language: str, newcomers, week: str, list_url: str, today: datetime.date) -> bool:
    try:
        with transaction.atomic():
            DigestLog.objects.create(recipient=recipient, week=week)
            notifications.deadline_digest(
                to=recipient, language=language, list_url=list_url, **digest_parts(newcomers, today=today)
            )
    except IntegrityError:
        return False
    return True


def deadline_digests_send(*, today: datetime.date) -> int:
    """Weekly (on Mondays, or the first run of the week): HR and each manager get their newcomers at risk."""
    year, week_number, _weekday = today.isocalendar()
    week = f"{year}-W{week_number:02d}"
    at_risk = list(newcomers_at_risk(today=today))
    if not at_risk:
        return 0
    list_url = absolute_reverse("newcomer_list")
    sent = 0
    with each_item("deadline digest", "HR"):
        sent += _digest_once(
            recipient=settings.HR_MAILBOX, language="nl", newcomers=at_risk, week=week, list_url=list_url, today=today
        )
    by_manager: dict[int, list] = {}
    for newcomer in at_risk:
        if newcomer.manager_id:
            by_manager.setdefault(newcomer.manager_id, []).append(newcomer)
    managers = User.objects.filter(pk__in=by_manager, is_active=True, groups__name=Role.MANAGER.value)
    for manager in managers:
        with each_item("deadline digest", f"manager {manager.pk}"):
            sent += _digest_once(
                recipient=manager.email,
                language=manager.language,
                newcomers=by_manager[manager.pk],
                week=week,
                list_url=list_url,
                today=today,
            )
    return sent
