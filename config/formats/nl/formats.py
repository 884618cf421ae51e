"""Dates the Dutch way. Month abbreviations carry their dot ("jan.", "mei"): locale/nl gives Django's anew."""

# Headings and sentences: "dinsdag 12 januari 2021", "dinsdag 12 januari 2021, 10:00".
DATE_FORMAT = "l j F Y"
DATETIME_FORMAT = "l j F Y, H:i"
# Tables: "12-01-2021", "12-01-2021 10:00".
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
# A ceremony named in a line (a list of ceremonies, a choice, a mail subject): "di 12 jan. 2021 10:00".
WEEKDAY_DATE_FORMAT = "D j N Y"
WEEKDAY_DATETIME_FORMAT = "D j N Y H:i"
TIME_FORMAT = "H:i"
