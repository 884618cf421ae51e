"""Reading the first worksheet of an XLSX workbook as rows of text, with the work bounded.

openpyxl, even in read-only mode, reads the whole shared string table and
style sheet up front and pads every row out to its farthest cell, so a
crafted workbook of a few hundred KB cost minutes of CPU or most of a
gigabyte. This reader parses only the parts it needs (the workbook, its
relationships, the styles, the shared strings and the first sheet) straight
from the zip with expat, counting as it goes, and raises ImportFormatError
naming the limit as soon as one is passed: bytes unpacked, XML elements,
nesting depth, shared strings (count and total length), cell formats, rows,
columns and characters in a cell. Empty cells are never materialised, and a
DOCTYPE is refused, so no entity is ever declared, expanded or fetched.

Values come out as openpyxl gives them with ``data_only=True`` (numbers,
dates by the cell's number format, booleans, text), then as text by
``cell_text``.
"""

import posixpath
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from onboarding.imports.formats import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    ImportFormatError,
    cell_text,
    cell_too_long_message,
    column_letter,
    too_many_columns_message,
    too_many_rows_message,
    unreadable_workbook_message,
)
from onboarding.imports.xlsx_parts import (
    READ_ERRORS,
    WORKBOOK,
    Budget,
    PartReader,
    fed_part,
    limit_error,
    opened_archive,
    read_part,
)

MAX_SHARED_STRINGS = 1_000_000


MAX_SHARED_TEXT_CHARS = 20_000_000


MAX_CELL_FORMATS = 64_000  # Excel's own limit on cell formats in a workbook


WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"


def xlsx_rows(content: bytes) -> Iterator[list[str]]:
    """Rows of the first worksheet, cell values as text (dates as yyyy-mm-dd); empty rows as [].

    Raises ImportFormatError, possibly only while iterating.
    """
    archive = opened_archive(content)
    try:
        budget = Budget()
        sheet, strings_part, styles_part, epoch = _workbook_parts(archive, budget)
        styles = read_part(archive, styles_part, _StylesReader(budget)) if styles_part else _StylesReader(budget)
        strings = read_part(archive, strings_part, _SharedStringsReader(budget)).strings if strings_part else []
        reader = _SheetReader(budget, strings, styles.date_styles(), styles.timedelta_styles(), epoch)
        for _chunk in fed_part(archive, sheet, reader):
            yield from reader.ready
            reader.ready.clear()
    except ImportFormatError:
        raise
    except READ_ERRORS:
        raise ImportFormatError(unreadable_workbook_message()) from None
    finally:
        archive.close()


class _WorkbookReader(PartReader):
    def __init__(self, budget):
        super().__init__(budget)
        self.first_sheet_id = None
        self.date1904 = False

    def start(self, name, attributes):
        if name == "sheet" and self.first_sheet_id is None:
            self.first_sheet_id = attributes.get(RELATIONSHIP_ID)
        elif name == "workbookPr":
            self.date1904 = attributes.get("date1904", "").lower() in ("1", "true")


class _RelationshipsReader(PartReader):
    def __init__(self, budget):
        super().__init__(budget)
        self.targets: dict[str, str] = {}  # id -> part name
        self.by_type: dict[str, str] = {}  # last word of the type -> part name

    def start(self, name, attributes):
        if name != "Relationship" or attributes.get("TargetMode") == "External":
            return
        target = attributes.get("Target", "")
        part = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        self.targets[attributes.get("Id", "")] = part
        self.by_type.setdefault(attributes.get("Type", "").rpartition("/")[2], part)


def _workbook_parts(archive: zipfile.ZipFile, budget: Budget) -> tuple[str, str | None, str | None, object]:
    """(first sheet, shared strings or None, styles or None, date epoch) from the workbook and its relationships."""
    workbook = read_part(archive, WORKBOOK, _WorkbookReader(budget))
    relationships = read_part(archive, WORKBOOK_RELS, _RelationshipsReader(budget))
    sheet = relationships.targets.get(workbook.first_sheet_id or "")
    if sheet is None or sheet not in archive.NameToInfo:
        raise ImportFormatError(unreadable_workbook_message())

    def present(kind):
        part = relationships.by_type.get(kind)
        return part if part in archive.NameToInfo else None

    epoch = CALENDAR_MAC_1904 if workbook.date1904 else WINDOWS_EPOCH
    return sheet, present("sharedStrings"), present("styles"), epoch


class _StylesReader(PartReader):
    def __init__(self, budget):
        super().__init__(budget)
        self.custom_formats: dict[int, str] = {}
        self.cell_formats: list[int] = []  # number format of each cell format, by index
        self.in_cell_formats = False
        self.count = 0

    def start(self, name, attributes):
        if name == "cellXfs":
            self.in_cell_formats = True
        elif name == "numFmt" or (name == "xf" and self.in_cell_formats):
            self.count += 1
            if self.count > MAX_CELL_FORMATS:
                raise limit_error(
                    _("The Excel workbook has more than %(max)s cell formats. Export it as CSV instead."),
                    MAX_CELL_FORMATS,
                )
            number_format_id = int(attributes.get("numFmtId", 0))
            if name == "numFmt":
                self.custom_formats[number_format_id] = attributes.get("formatCode", "")
            else:
                self.cell_formats.append(number_format_id)

    def end(self, name):
        if name == "cellXfs":
            self.in_cell_formats = False

    def _styles_where(self, test) -> frozenset[int]:
        return frozenset(
            index
            for index, format_id in enumerate(self.cell_formats)
            if test(self.custom_formats.get(format_id) or builtin_format_code(format_id))
        )

    def date_styles(self) -> frozenset[int]:
        return self._styles_where(is_date_format)

    def timedelta_styles(self) -> frozenset[int]:
        return self._styles_where(is_timedelta_format)


class _SharedStringsReader(PartReader):
    """Each <si> as its plain text (runs joined, phonetic hints left out), capped at MAX_CELL_CHARS + 1."""

    def __init__(self, budget):
        super().__init__(budget)
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.length = self.total = 0
        self.collecting = self.phonetic = False

    def start(self, name, attributes):
        if name == "si":
            if len(self.strings) >= MAX_SHARED_STRINGS:
                raise limit_error(
                    _("The Excel workbook holds more than %(max)s different texts. Split it into smaller files."),
                    MAX_SHARED_STRINGS,
                )
            self.parts, self.length = [], 0
        elif name == "t":
            self.collecting = not self.phonetic
        elif name == "rPh":
            self.phonetic = True

    def end(self, name):
        if name == "t":
            self.collecting = False
        elif name == "rPh":
            self.phonetic = False
        elif name == "si":
            text = "".join(self.parts).replace("x005F_", "")  # as openpyxl reads them
            self.total += len(text)
            if self.total > MAX_SHARED_TEXT_CHARS:
                raise limit_error(
                    _(
                        "The texts in the Excel workbook are together longer than %(max)s characters. "
                        "Split it into smaller files."
                    ),
                    MAX_SHARED_TEXT_CHARS,
                )
            self.strings.append(text)

    def text(self, data):
        if self.collecting and self.length <= MAX_CELL_CHARS:
            kept = data[: MAX_CELL_CHARS + 1 - self.length]
            self.parts.append(kept)
            self.length += len(kept)


def column_number(reference: str) -> int:
    """1 for "A7", 28 for "AB7"; ValueError for anything that is no cell reference in Excel's range."""
    letters = reference.rstrip("0123456789").upper()
    if not letters or len(letters) > 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(reference)
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    if number > 16_384:
        raise ValueError(reference)
    return number


class _SheetReader(PartReader):
    """Rows of text as they complete, in ``ready``; a gap of missing rows comes out as empty rows."""

    def __init__(self, budget, strings, date_styles, timedelta_styles, epoch):
        super().__init__(budget)
        self.strings, self.date_styles, self.timedelta_styles, self.epoch = (
            strings,
            date_styles,
            timedelta_styles,
            epoch,
        )
        self.ready: list[list[str]] = []
        self.rows_seen = self.row_number = self.rows_out = 0
        self.cells: dict[int, str] = {}
        self.column = 0
        self.kind = self.style = None
        self.parts: list[str] = []
        self.length = 0
        self.collecting = self.inline = self.phonetic = False

    def start(self, name, attributes):
        if name == "c":
            reference = attributes.get("r")
            self.column = column_number(reference) if reference else self.column + 1
            self.kind, self.style = attributes.get("t", "n"), attributes.get("s")
            self.parts, self.length = [], 0
        elif name == "v":
            self.collecting = self.kind != "inlineStr"
        elif name == "t":
            self.collecting = self.inline and not self.phonetic
        elif name == "is":
            self.inline = True
        elif name == "rPh":
            self.phonetic = True
        elif name == "row":
            self._row_start(attributes.get("r"))

    def _row_start(self, reference: str | None) -> None:
        self.rows_seen += 1
        if self.rows_seen > MAX_ROWS + 1:
            raise ImportFormatError(too_many_rows_message())
        number = int(reference) if reference else self.row_number + 1
        if number <= self.row_number:  # rows out of order or repeated: no exporter writes that
            raise ImportFormatError(unreadable_workbook_message())
        self.row_number, self.cells, self.column = number, {}, 0

    def end(self, name):
        if name == "c":
            text = cell_text(self._value())
            if text:
                if self.column > MAX_COLUMNS:
                    raise ImportFormatError(too_many_columns_message())
                self.cells[self.column] = text
        elif name in ("v", "t"):
            self.collecting = False
        elif name == "is":
            self.inline = False
        elif name == "rPh":
            self.phonetic = False
        elif name == "row" and self.cells:
            self._row_end()

    def _row_end(self) -> None:
        if self.row_number > MAX_ROWS + 1:
            raise ImportFormatError(too_many_rows_message())
        self.ready.extend([] for _ in range(self.rows_out + 1, self.row_number))
        row = [""] * max(self.cells)
        for column, text in self.cells.items():
            row[column - 1] = text
        self.ready.append(row)
        self.rows_out = self.row_number

    def text(self, data):
        if self.collecting:
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:
                raise ImportFormatError(cell_too_long_message(self._reference()))
            self.parts.append(data)

    def _reference(self) -> str:
        return f"{column_letter(self.column)}{self.row_number}"

    def _value(self):
        """The cell's value as openpyxl reads it with data_only=True."""
        raw = "".join(self.parts)
        if self.kind == "inlineStr":
            return raw
        if not raw:
            return None
        if self.kind == "s":
            text = self.strings[int(raw)]
            if len(text) > MAX_CELL_CHARS:
                raise ImportFormatError(cell_too_long_message(self._reference()))
            return text
        if self.kind == "b":
            return bool(int(raw))
        if self.kind == "d":
            return from_ISO8601(raw)
        if self.kind != "n":  # "str" (a formula's text), "e" (an error such as #N/A)
            return raw
        return self._number(raw)

    def _number(self, raw: str):
        number = float(raw) if "." in raw or "e" in raw or "E" in raw else int(raw)
        style = int(self.style) if self.style else 0
        if style not in self.date_styles:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=style in self.timedelta_styles)
        except (OverflowError, ValueError):
            return "#VALUE!"
