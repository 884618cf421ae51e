"""CSV and XLSX downloads, safe to open in a spreadsheet whatever list separator it applies.

Every CSV and XLSX the application writes goes through ``export_content`` (or the
``csv_text`` / ``xlsx_content`` behind it), so the rules below hold everywhere.

CSV (OWASP "CSV injection", and Excel's habit of splitting on the list separator
of the user's region — ``;`` in Dutch Excel — rather than on the file's ``,``):

* every field is quoted (``csv.QUOTE_ALL``), so a separator inside a cell does not
  split it for a reader that honours the quotes;
* for a reader that does not (or gets out of step with the quotes), every text cell
  is neutralised by ``neutralise_formula``: at the start of the cell and after every
  character any spreadsheet may split on (``,`` ``;`` tab ``|`` CR LF), optional spaces
  and double quotes followed by a formula character (``= + - @`` tab CR, and the
  full-width U+FF1D U+FF0B U+FF0D U+FF20) get an apostrophe put right before that formula character.
  Whatever character a reader splits on, and whichever quotes it drops, a piece can
  only start with spaces and quotes and then the apostrophe, never with a formula
  character: Excel reads it as text;
* numbers (int, float, Decimal) are numbers, never text, and are written as they
  are: their digits, sign and decimal point cannot start a formula after a split;
* the separator is ``,`` unless the caller asks for ``;`` (files HR edits in Dutch
  Excel and uploads again: the import template and the rows an import left out).

XLSX keeps the text exactly as it is: a text cell is stored as a string (never as a
formula, whatever it starts with) and is marked with Excel's "quote prefix", so it
stays text even when someone edits the cell.
"""

import csv
import io
import re
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.responses import file_response

FORMULA_CHARACTERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
SPLIT_CHARACTERS = ",;\t|\r\n"
_FORMULA_AFTER_SPLIT = re.compile(
    "(^|[" + re.escape(SPLIT_CHARACTERS) + '])([ "]*)(?=[' + re.escape(FORMULA_CHARACTERS) + "])"
)
XLSX_MAX_COLUMN_WIDTH = 60
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def cell_text(value) -> str:
    """Any non-number as the text a spreadsheet gets (None as empty)."""
    return "" if value is None else str(value)


def neutralise_formula(value):
    """The value with an apostrophe before every formula character a spreadsheet could start a cell with.

    Numbers are returned unchanged; anything else as neutralised text (rule in the module docstring).
    """
    if is_number(value):
        return value
    return _FORMULA_AFTER_SPLIT.sub(r"\1\2'", cell_text(value))


def csv_text(header, rows, *, delimiter: str = ",") -> str:
    """The CSV text, every field quoted and neutralised; ``delimiter=";"`` for a file Dutch Excel opens as columns."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in (header, *rows):
        writer.writerow([neutralise_formula(value) for value in row])
    return stream.getvalue()


def _xlsx_cell_value(value):
    return value if is_number(value) else ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))


def xlsx_content(header, rows, *, title: str = "", more_sheets=()) -> bytes:
    """The workbook: a bold, frozen header row; text cells stored as text, never as formulas.

    ``more_sheets``: (title, header, rows) of further sheets, written the same way after the first.
    """
    workbook = Workbook()
    _fill_sheet(workbook.active, header, rows, title=title)
    for sheet_title, sheet_header, sheet_rows in more_sheets:
        _fill_sheet(workbook.create_sheet(), sheet_header, sheet_rows, title=sheet_title)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _fill_sheet(sheet, header, rows, *, title: str) -> None:
    if title:
        sheet.title = _sheet_title(title)
    widths: dict[int, int] = {}
    bold = Font(bold=True)
    for row_number, row in enumerate((header, *rows), start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=_xlsx_cell_value(value))
            if isinstance(cell.value, str):
                # openpyxl makes any text starting with "=" a formula: force plain text.
                cell.data_type = "s"
                cell.quotePrefix = cell.value[:1] in FORMULA_CHARACTERS
            if row_number == 1:
                cell.font = bold
            widths[column] = max(widths.get(column, 0), len(str(cell.value or "")))
    sheet.freeze_panes = "A2"
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, XLSX_MAX_COLUMN_WIDTH)


def _sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return _SHEET_TITLE_FORBIDDEN.sub("", str(title))[:31] or "Sheet"


def export_content(header, rows, *, export_format: str, delimiter: str = ","):
    """The file for a download; a CSV starts with a BOM so that Excel reads UTF-8 (accents in names)."""
    if export_format == "csv":
        return "\ufeff" + csv_text(header, rows, delimiter=delimiter)
    return xlsx_content(header, rows)


def export_response(header, rows, *, export_format: str, filename: str, delimiter: str = ",") -> HttpResponse:
    """A CSV or XLSX download ("csv" or "xlsx") of the rows under the header."""
    content = export_content(header, rows, export_format=export_format, delimiter=delimiter)
    return download_response(content, export_format=export_format, filename=filename)


def download_response(content, *, export_format: str, filename: str) -> HttpResponse:
    """The download of a file ``export_content`` or ``xlsx_content`` made, named ``filename`` plus its extension."""
    return file_response(content, filename=f"{filename}.{export_format}", content_type=CONTENT_TYPES[export_format])


def table_export_response(table, *, export_format: str, filename: str) -> HttpResponse:
    """A download of a django-tables2 table's export values."""
    rows = iter(table.as_values())
    header = [str(title) for title in next(rows)]
    return export_response(header, rows, export_format=export_format, filename=filename)
