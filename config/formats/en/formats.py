"""Dates in English, in the same kinds of place as in Dutch (British order: day, month, year)."""

# Headings and sentences: "Tuesday 12 January 2021", "Tuesday 12 January 2021, 10:00".
DATE_FORMAT = "l j F Y"
DATETIME_FORMAT = "l j F Y, H:i"
# Tables: "12-01-2021", "12-01-2021 10:00".
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
# A ceremony named in a line (a list of ceremonies, a choice, a mail subject): "Tue 12 Jan 2021 10:00".
WEEKDAY_DATE_FORMAT = "D j M Y"
WEEKDAY_DATETIME_FORMAT = "D j M Y H:i"
TIME_FORMAT = "H:i"
