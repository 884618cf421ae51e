"""The one clock of the periodic jobs: reminders, digests, retention, planning and the mail queue.

A job run "as" a day (``--today D`` on the command line, ``today=`` in code,
a pinned day in the tests) acts at *that day's moment*: the wall clock's time
of day on D, in the site's time zone. Everything the job decides (what is due,
what has expired, what is old enough) and every time it writes on the rows it
handles (reminded at, anonymised at) use that one moment, never the wall clock
beside it. Without ``--today`` the moment is simply now.

Two things keep the wall clock, on purpose, and the commands' help says so:

- the audit trail: entries are chained in the order they are written, so an
  entry's time is when it was written, also in a run "as" another day;
- the mail queue: a mail that a job queues is due at once, and
  ``send_queued_mail`` has no ``--today``: it sends what is due now.
"""

import datetime

from django.utils import timezone

WALL_CLOCK_NOTE = (
    "The audit trail and the mail queue keep the real time: entries are written when they happen, queued mail "
    "is due at once."
)


def job_moment(day: datetime.date | None = None) -> datetime.datetime:
    """The moment a job acts at: now, or now's time of day on ``day`` (site time zone)."""
    now = timezone.now()
    if day is None:
        return now
    local = timezone.localtime(now)
    if local.date() == day:
        return now
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))


def local_today() -> datetime.date:
    return timezone.localdate()


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
