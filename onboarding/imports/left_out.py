"""The rows an import leaves out, as a file HR fixes and uploads again.

The same columns as the upload, in its order and spelling (those the import does not use too), each row's
cells as they were in the file, and before them one column with the row's problems. The import does not
know that column's name, so it ignores it (the preview lists it among the ignored columns); a file left out
twice keeps one problems column, the newest. The format is the upload's: CSV for Dutch Excel (";", UTF-8
with a BOM) or XLSX, written by ``core.exports``, so that no cell can start a formula.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onboarding.imports.columns import match_key
from onboarding.imports.stored import StoredImport

PROBLEMS_HEADER = gettext_lazy("Problems")
PROBLEM_SEPARATOR = " | "


@dataclass
class LeftOutTable:
    header: list[str]
    rows: Iterator[list[str]]
    export_format: str  # "csv" or "xlsx": the upload's


def left_out_table(stored: StoredImport) -> LeftOutTable:
    """The rows with problems of ``stored`` under the upload's column names, their problems first."""
    summary = stored.summary
    headers, columns = summary["headers"], summary["columns"]
    file_header = summary.get("file_header") or [headers[name] for name in columns if name in headers]
    dropped = {position for position, title in enumerate(file_header) if match_key(title) in _problem_keys()}

    def rows() -> Iterator[list[str]]:
        for _number, values, errors, *kept in stored.problem_lines():
            cells = kept[0] if kept else _cells_from_values(values, columns, file_header, headers)
            yield [_problems_text(errors, headers), *_without(cells, dropped)]

    header = [str(PROBLEMS_HEADER), *_without(file_header, dropped)]
    return LeftOutTable(header=header, rows=rows(), export_format=summary.get("format", "csv"))


def left_out_filename(filename: str) -> str:
    """The upload's name (without extension) and the words "rows with problems", for the download."""
    stem = os.path.splitext(os.path.basename(filename))[0]
    return "-".join(part for part in (stem, slugify(_("rows with problems"))) if part)


def _problems_text(errors: list, headers: dict) -> str:
    return PROBLEM_SEPARATOR.join(
        f"{headers.get(column, column)}: {message}" if column else message for column, message in errors
    )


def _problem_keys() -> frozenset[str]:
    """The problems column's name in every language, as headers are compared."""
    keys = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            keys.add(match_key(str(PROBLEMS_HEADER)))
    return frozenset(keys)


def _without(cells: list[str], positions: set[int]) -> list[str]:
    return [cell for position, cell in enumerate(cells) if position not in positions]


def _cells_from_values(values: list, columns: list[str], file_header: list[str], headers: dict) -> list[str]:
    """A row stored before rows kept their cells: its values, written as the import reads them, under their names."""
    cells = [""] * len(file_header)
    for name, value in zip(columns, values, strict=True):
        if headers.get(name) in file_header:
            cells[file_header.index(headers[name])] = _as_text(value)
    return cells


def _as_text(value) -> str:
    return "" if value is None else str(value)  # a date is stored as yyyy-mm-dd, which the import reads
