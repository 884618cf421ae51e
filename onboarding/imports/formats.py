"""Decoding uploaded newcomer files into rows of text cells.

CSV (comma or semicolon, UTF-8 with or without BOM, or Windows-1252) and
XLSX (the first sheet, read by ``import_xlsx``). The file type is recognised
by its content, not its name. Anything else, and any file past the limits
below, raises ``ImportFormatError`` with a message for HR; nothing here
touches the database.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterator

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Limits for every format, so that no file costs more to read than the largest one accepted.
MAX_ROWS = 100_000  # newcomer rows, below the row of column names
MAX_COLUMNS = 100
MAX_CELL_CHARS = 1_000  # the longest stored value has 320

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_SIGNATURES = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"\x1f\x8b", "gzip"),
    (b"PK\x05\x06", "ZIP"),
)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ImportFormatError(Exception):
    """The file as a whole cannot be read; the message is meant for HR."""


def table_rows(content: bytes, filename: str) -> Iterator[list[str]]:
    """The file's rows, each a list of stripped text cells, from the first row on.

    Raises ImportFormatError, possibly only while iterating.
    """
    if not content.strip():
        raise ImportFormatError(_("The file is empty."))
    if content.startswith(_ZIP_MAGIC):
        from onboarding.imports.xlsx import xlsx_rows

        return xlsx_rows(content)
    _refuse_known_binary(content, filename)
    return csv_rows(decoded_text(content))


def file_format(content: bytes) -> str:
    """ "xlsx" for a workbook, "csv" for anything ``table_rows`` reads as text."""
    return "xlsx" if content.startswith(_ZIP_MAGIC) else "csv"


def _refuse_known_binary(content: bytes, filename: str) -> None:
    if content.startswith(_OLE2_MAGIC):
        raise ImportFormatError(
            _("This is an old Excel (.xls) file. Save it as an Excel workbook (.xlsx) or as CSV and upload that.")
        )
    for signature, kind in _OTHER_SIGNATURES:
        if content.startswith(signature):
            raise ImportFormatError(
                _("This is a %(kind)s file, not a CSV file or an Excel workbook (.xlsx).") % {"kind": kind}
            )
    if filename.lower().endswith(".xlsx"):
        raise ImportFormatError(_("The file is named .xlsx but is not an Excel workbook."))


def decoded_text(content: bytes) -> str:
    """The text of a CSV file: UTF-8 (BOM optional) first, else Windows-1252."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFormatError(_("The file is saved as UTF-16 text. Save it as CSV (UTF-8) and upload that."))
    if b"\x00" in content:
        raise ImportFormatError(_("The file contains binary data; it is not a CSV file or an Excel workbook (.xlsx)."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFormatError(
                _("The file is not readable text (expected UTF-8 or Windows-1252). Save it as CSV (UTF-8).")
            ) from None
    if _CONTROL_CHARACTERS.search(text):
        raise ImportFormatError(_("The file contains binary data; it is not a CSV file or an Excel workbook (.xlsx)."))
    return text


def csv_delimiter(text: str) -> str:
    """Semicolon (Dutch Excel) or comma, whichever the first line uses more."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def csv_rows(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        for number, row in enumerate(reader, start=1):
            yield bounded_row(number, [cell.strip() for cell in row])
    except csv.Error as exc:
        raise ImportFormatError(
            _("The CSV file cannot be read from row %(row)s on: %(reason)s") % {"row": reader.line_num, "reason": exc}
        ) from None


def bounded_row(number: int, cells: list[str]) -> list[str]:
    """The row without the empty cells past MAX_COLUMNS; ImportFormatError past a limit."""
    if len(cells) > MAX_COLUMNS:
        if any(cells[MAX_COLUMNS:]):
            raise ImportFormatError(too_many_columns_message())
        cells = cells[:MAX_COLUMNS]
    if cells and max(map(len, cells)) > MAX_CELL_CHARS:
        column = next(position for position, cell in enumerate(cells, start=1) if len(cell) > MAX_CELL_CHARS)
        raise ImportFormatError(cell_too_long_message(f"{column_letter(column)}{number}"))
    return cells


def column_letter(number: int) -> str:
    """ "A" for 1, "AB" for 28: the column as a spreadsheet names it."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


def too_many_rows_message() -> str:
    return _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": _grouped(MAX_ROWS)}


def too_many_columns_message() -> str:
    return _("The file has more than %(max)s columns. Leave out the columns that are not needed.") % {
        "max": _grouped(MAX_COLUMNS)
    }


def cell_too_long_message(cell: str) -> str:
    return _("Cell %(cell)s has more than %(max)s characters. Shorten it, or leave its column out.") % {
        "cell": cell,
        "max": _grouped(MAX_CELL_CHARS),
    }


def unreadable_workbook_message() -> str:
    return _("The Excel workbook cannot be read; it may be damaged. Save it again in Excel, or export it as CSV.")


def cell_text(value) -> str:
    """An XLSX cell value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
