"""Reminders for declaration links not yet signed, run daily by ``manage.py send_reminders``."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.clock import job_moment, local_midnight
from core.jobs import each_item
from onboarding.declarations.services import declaration_remind
from onboarding.enums import Kind
from onboarding.models import DeclarationRequest, DeclarationSignature


def reminder_step_due(sent_on: datetime.date, today: datetime.date, days: list[int]) -> int:
    """How many of the reminder days (counted from the day the link was sent) have been reached."""
    return sum(1 for day in days if sent_on + datetime.timedelta(days=day) <= today)


def declaration_reminders_send(*, today: datetime.date) -> int:
    """Remind externals with a live, unsigned link, DECLARATION_REMINDER_DAYS days after it was sent.

    One mail per run at most per external, even when a run was missed and two
    steps are due: the request records the step reached. Expiry is judged at
    the job's moment on ``today`` (core.clock), not by the wall clock.
    """
    days = settings.DECLARATION_REMINDER_DAYS
    day_start = local_midnight(today)
    signed = DeclarationSignature.objects.filter(newcomer=OuterRef("newcomer"), withdrawn_at__isnull=True)
    candidates = (
        DeclarationRequest.objects.filter(
            invalidated_at__isnull=True,
            expires_at__gt=day_start,
            reminders_sent__lt=len(days),
            newcomer__kind=Kind.EXTERNAL,
        )
        .exclude(Exists(signed))
        .only("pk", "sent_at", "reminders_sent")
        .order_by("pk")
    )
    now = job_moment(today)
    sent = 0
    for request in candidates.iterator():
        with each_item("declaration", request.pk):  # one failing reminder does not stop the others
            step = reminder_step_due(timezone.localdate(request.sent_at), today, days)
            if step > request.reminders_sent and declaration_remind(request=request, step=step, now=now):
                sent += 1
    return sent
