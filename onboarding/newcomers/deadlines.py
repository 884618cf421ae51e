"""The legal deadline for the oath or affirmation.

Start date plus N calendar months, clamped to the end of the month when the
target month is shorter (31 Jan + 2 -> 31 Mar; 31 Dec + 2 -> 28/29 Feb).
"""

import calendar
import datetime

from django.conf import settings


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))


def oath_deadline(start_date: datetime.date, months: int | None = None) -> datetime.date:
    """The last day on which the oath may be taken, under the configured rule."""
    if months is None:
        months = settings.OATH_DEADLINE_MONTHS
    return add_months(start_date, months)
