"""CSV and XLSX downloads that open right in Dutch Excel, and stay safe whatever splits them.

Every CSV and XLSX the application writes goes through ``export_response`` (or the ``csv_text`` /
``export_content`` / ``core.xlsx.xlsx_file`` behind it), so the rules below hold everywhere. A caller passes
a header and rows of plain Python values (text, int, float, Decimal, date, datetime, None), produced by a
plain row function over ``QuerySet.iterator()``: no table rendering per cell.

CSV, one dialect for every file, whatever the interface language, because Dutch Excel opens it by
double-click as columns:

* ``;`` between fields, CRLF between rows, UTF-8 with a BOM (so Excel reads accents in names);
* numbers are numbers: an integer as its digits, any other number with a decimal comma (``100.0`` →
  ``100,0``). A ``;`` file is only split into columns by an Excel whose list separator is ``;``, which
  is the Excel of a region with a decimal comma (nl, de, fr...): the two go together. English Excel puts a
  ``;`` file in one column whatever its decimals;
* dates and times as the tables show them (``SHORT_DATE_FORMAT``, ``SHORT_DATETIME_FORMAT``, local time:
  ``12-01-2021``, ``12-01-2021 10:00``), which Dutch Excel reads as dates;
* every field is quoted (``csv.QUOTE_ALL``), so a separator inside a cell does not split it for a
  reader that honours the quotes;
* for a reader that does not (or gets out of step with the quotes, or splits on another character than
  ``;``), every text cell is neutralised by ``neutralise_formula`` (OWASP "CSV injection"): at the start
  of the cell and after every character any spreadsheet may split on (``,`` ``;`` tab ``|`` CR LF),
  optional spaces and double quotes followed by a formula character (``= + - @`` tab CR, and the
  full-width U+FF1D U+FF0B U+FF0D U+FF20) get an apostrophe put right before that formula character.
  Whatever character a reader splits on, and whichever quotes it drops, a piece can only start with
  spaces and quotes and then the apostrophe, never with a formula character: Excel reads it as text.
  Numbers and dates are not text: their digits, sign, decimal comma and dashes cannot start a formula
  after any split (a piece of ``-1,5`` is ``-1`` or ``5``: numbers again).

A CSV download is streamed (``core.responses.streaming_file_response``): rows are written in chunks as
the queryset's iterator yields them, so its memory does not grow with the number of rows
(benchmarks/export_100k.py). The rows are produced in the language active when the response was made.

XLSX (``core.xlsx``): real date and number cells, a named sheet, the header row bold, frozen and with a
filter, column widths from the content; text exactly as it is, stored as a string (never as a formula,
whatever it starts with) and marked with Excel's "quote prefix", so it stays text even when edited.
"""

import csv
import datetime
import functools
import io
import re
from collections.abc import Iterable, Iterator
from itertools import islice

from django.http import HttpResponse
from django.utils import translation

from core.cells import FORMULA_CHARACTERS, cell_text, is_number
from core.dates import table_date
from core.responses import file_response, streaming_file_response

CSV_DELIMITER = ";"
DECIMAL_SEPARATOR = ","
SPLIT_CHARACTERS = ",;\t|\r\n"
_FORMULA_AFTER_SPLIT = re.compile(
    "(^|[" + re.escape(SPLIT_CHARACTERS) + '])([ "]*)(?=[' + re.escape(FORMULA_CHARACTERS) + "])"
)
_ANY_FORMULA_CHARACTER = re.compile("[" + re.escape(FORMULA_CHARACTERS) + "]")
# Rows written per chunk of a streamed CSV: few enough to keep memory flat, enough to keep the overhead low.
CSV_CHUNK_ROWS = 500
# Dates (and times) whose text a CSV remembers while it is written: a bounded cache, so memory stays flat.
DATES_REMEMBERED = 4096

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise_formula(value):
    """The value with an apostrophe before every formula character a spreadsheet could start a cell with.

    Numbers are returned unchanged; anything else as neutralised text (rule in the module docstring).
    """
    if is_number(value):
        return value
    return _FORMULA_AFTER_SPLIT.sub(r"\1\2'", cell_text(value))


def csv_number(value) -> str:
    """A number as Dutch Excel reads it: ``3``, ``83,3``, ``-1,5``."""
    if isinstance(value, int):
        return str(value)
    return str(value).replace(".", DECIMAL_SEPARATOR)


def csv_field(value, *, date_text=table_date) -> str:
    """One CSV field: a number with a decimal comma, a date as in the tables, any other value neutralised text."""
    if value.__class__ is str:  # most cells: straight to the rule (most hold no formula character at all)
        return _FORMULA_AFTER_SPLIT.sub(r"\1\2'", value) if _ANY_FORMULA_CHARACTER.search(value) else value
    if is_number(value):
        return csv_number(value)
    if isinstance(value, datetime.date):
        return date_text(value)
    return neutralise_formula(value)


def csv_chunks(header, rows: Iterable, *, chunk_rows: int = CSV_CHUNK_ROWS) -> Iterator[str]:
    """The CSV text in pieces: the header, then ``chunk_rows`` rows at a time; every field quoted."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([csv_field(value) for value in header])
    date_text = functools.lru_cache(maxsize=DATES_REMEMBERED)(table_date)  # rows repeat their dates
    rows = iter(rows)
    while True:
        for row in islice(rows, chunk_rows):
            writer.writerow([csv_field(value, date_text=date_text) for value in row])
        text = stream.getvalue()
        if not text:
            return
        yield text
        stream.seek(0)
        stream.truncate()


def csv_text(header, rows) -> str:
    """The whole CSV text (without BOM), for a command's output or a file built at once."""
    return "".join(csv_chunks(header, rows))


def export_content(header, rows, *, export_format: str, title: str = ""):
    """The whole file at once: CSV text with a BOM, or XLSX bytes (a small file: a template, a test)."""
    if export_format == "csv":
        return "\ufeff" + csv_text(header, rows)
    from core.xlsx import xlsx_file  # openpyxl on first use (see core.xlsx)

    with xlsx_file(header, rows, title=title) as file:
        return file.read()


def export_response(header, rows: Iterable, *, export_format: str, filename: str, title: str = "") -> HttpResponse:
    """A download ("csv" or "xlsx") of the rows under the header, named ``filename`` plus its extension.

    CSV is streamed: ``rows`` (a generator over ``QuerySet.iterator()``) is consumed while the response is
    sent, in the language active now. XLSX is written to a temporary file (openpyxl's write-only mode) and
    sent from there; ``title`` names its sheet.
    """
    name = f"{filename}.{export_format}"
    if export_format == "csv":
        chunks = _in_language(translation.get_language(), csv_chunks(header, rows))
        return streaming_file_response(_utf8_with_bom(chunks), filename=name, content_type=CONTENT_TYPES["csv"])
    from core.xlsx import xlsx_file  # openpyxl on first use (see core.xlsx)

    return file_response(xlsx_file(header, rows, title=title), filename=name, content_type=CONTENT_TYPES["xlsx"])


def download_response(content, *, export_format: str, filename: str) -> HttpResponse:
    """The download of a file ``export_content`` made, named ``filename`` plus its extension."""
    return file_response(content, filename=f"{filename}.{export_format}", content_type=CONTENT_TYPES[export_format])


def _in_language(language: str | None, chunks: Iterator[str]) -> Iterator[str]:
    """The chunks, each made with ``language`` active (a streamed body is written after the view returned)."""
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def _utf8_with_bom(chunks: Iterator[str]) -> Iterator[bytes]:
    yield "\ufeff".encode()
    for chunk in chunks:
        yield chunk.encode()
