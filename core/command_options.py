"""Options shared by the management commands that cron runs."""

import datetime

from django.core.management.base import CommandError


def today_option(value: str | None) -> datetime.date | None:
    """The ``--today`` of a command (act as that day): the date, or None when it was not given."""
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date like 2026-11-29, not {value!r}.") from None
