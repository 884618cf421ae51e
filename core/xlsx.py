"""XLSX workbooks as Excel users expect them, written by openpyxl in write-only mode (rules: ``core.exports``).

Each sheet is named; its header row is bold, frozen (``freeze_panes`` "A2") and carries a filter over the
data; every column is as wide as its content (header and the first ``WIDTH_SAMPLE_ROWS`` rows, at most
``MAX_COLUMN_WIDTH``). Dates and times are real date cells shown as the tables show them
(``SHORT_DATE_FORMAT`` / ``SHORT_DATETIME_FORMAT`` turned into Excel's codes: ``dd-mm-yyyy``,
``dd-mm-yyyy hh:mm``, local time); numbers are numbers; text is stored as a string, never a formula, with
the quote prefix when it starts with a formula character. Write-only mode streams the rows into a
temporary file, so a workbook of 100,000 rows does not sit in memory as cells.

Callers import this module where they write a workbook, not at the top: openpyxl adds ~11 MB to every
process that loads the views, most of which never write one.
"""

import datetime
import re
import tempfile
from collections.abc import Iterable
from itertools import chain, islice

from django.utils import formats, timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.cells import FORMULA_CHARACTERS, cell_text, is_number

MAX_COLUMN_WIDTH = 60
WIDTH_SAMPLE_ROWS = 200
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Django's date format characters and Excel's codes for them; any other character is written as it is.
_EXCEL_CODES = {"d": "dd", "j": "d", "m": "mm", "n": "m", "Y": "yyyy", "y": "yy", "H": "hh", "G": "h", "i": "mm"}


def excel_number_format(django_format: str) -> str:
    """Excel's number format for a Django date format: "d-m-Y H:i" → "dd-mm-yyyy hh:mm"."""
    return "".join(_EXCEL_CODES.get(character, character) for character in django_format)


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return _SHEET_TITLE_FORBIDDEN.sub("", str(title))[:31] or "Sheet"


def xlsx_file(header, rows: Iterable, *, title: str = "", more_sheets=()):
    """The workbook in an open temporary file, read from its start (the caller closes it).

    ``more_sheets``: (title, header, rows) of further sheets, written the same way after the first.
    """
    workbook = Workbook(write_only=True)
    for sheet_header, sheet_rows, sheet_name in ((header, rows, title), *((h, r, t) for t, h, r in more_sheets)):
        _SheetWriter(workbook.create_sheet(sheet_title(sheet_name) if sheet_name else None)).write(
            sheet_header, sheet_rows
        )
    file = tempfile.TemporaryFile()  # noqa: SIM115 (returned open: the response sends and closes it)
    workbook.save(file)
    file.seek(0)
    return file


def xlsx_content(header, rows: Iterable, *, title: str = "", more_sheets=()) -> bytes:
    """The workbook's bytes (a small file: the import template)."""
    with xlsx_file(header, rows, title=title, more_sheets=more_sheets) as file:
        return file.read()


class _SheetWriter:
    def __init__(self, sheet):
        self.sheet = sheet
        self.date_format = excel_number_format(formats.get_format("SHORT_DATE_FORMAT"))
        self.datetime_format = excel_number_format(formats.get_format("SHORT_DATETIME_FORMAT"))
        self.bold = Font(bold=True)

    def write(self, header, rows: Iterable) -> None:
        header = [_plain(value) for value in header]
        rows = (list(map(_plain, row)) for row in rows)
        sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
        columns = max([len(header), *(len(row) for row in sample)]) or 1
        self._set_widths(header, sample)
        self.sheet.freeze_panes = "A2"
        self.sheet.append([self._header_cell(value) for value in header])
        last_row = 1
        for row in chain(sample, rows):
            self.sheet.append([self._cell(value) for value in row])
            last_row += 1
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{last_row}"

    def _set_widths(self, header, sample) -> None:
        widths: dict[int, int] = {}
        for row in (header, *sample):
            for column, value in enumerate(row, start=1):
                widths[column] = max(widths.get(column, 0), self._width(value))
        for column, width in widths.items():
            self.sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_COLUMN_WIDTH)

    def _width(self, value) -> int:
        if isinstance(value, datetime.datetime):
            return len(self.datetime_format)
        if isinstance(value, datetime.date):
            return len(self.date_format)
        return len(cell_text(value))

    def _header_cell(self, value):
        cell = self._text_cell(cell_text(value))
        cell.font = self.bold
        return cell

    def _cell(self, value):
        if isinstance(value, str):
            return self._text_cell(value) if _needs_forcing(value) else value
        if isinstance(value, datetime.datetime):
            return self._date_cell(value, self.datetime_format)
        if isinstance(value, datetime.date):
            return self._date_cell(value, self.date_format)
        return value

    def _text_cell(self, text: str):
        cell = WriteOnlyCell(self.sheet, value=text)
        # openpyxl makes any text starting with "=" a formula (and "#N/A" an error): force plain text.
        cell.data_type = "s"
        cell.quotePrefix = text[:1] in FORMULA_CHARACTERS
        return cell

    def _date_cell(self, value, number_format: str):
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = number_format
        return cell


def _needs_forcing(text: str) -> bool:
    return text[:1] in FORMULA_CHARACTERS or text in ERROR_CODES


def _plain(value):
    """A value as a cell holds it: numbers, dates and None as they are (a time in local time, without its
    zone, which Excel has not), anything else as text without the characters XML cannot hold."""
    if value is None or is_number(value):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))
