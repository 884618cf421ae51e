"""Dates in Python code, in the formats of config/formats (one per kind of place; README, Translations).

Templates use the same names with ``|date``; code that builds a label (a table cell, a choice, a line of
history) uses these, in the active language and the local time zone.
"""

import datetime

from django.utils import formats, timezone


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def table_date(value) -> str:
    """In a table: "12-01-2021", with a time "12-01-2021 10:00"."""
    kind = "SHORT_DATETIME_FORMAT" if isinstance(value, datetime.datetime) else "SHORT_DATE_FORMAT"
    return formats.date_format(_local(value), kind)


def text_date(value) -> str:
    """In a heading or a sentence: "dinsdag 12 januari 2021", with a time "dinsdag 12 januari 2021, 10:00"."""
    kind = "DATETIME_FORMAT" if isinstance(value, datetime.datetime) else "DATE_FORMAT"
    return formats.date_format(_local(value), kind)


def ceremony_moment(value) -> str:
    """A ceremony named in a line (a choice, a cell, a subject): "di 12 jan. 2021 10:00"."""
    kind = "WEEKDAY_DATETIME_FORMAT" if isinstance(value, datetime.datetime) else "WEEKDAY_DATE_FORMAT"
    return formats.date_format(_local(value), kind)
