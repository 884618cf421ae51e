"""An import read once: its rows kept as JSON Lines in the batch, given back a chunk at a time, so the
preview pages and the confirmation never read the file again.

The first line is the summary (JSON): the headers, the columns, the number of rows, the indexes of the rows
with problems, the manager addresses, the row of column names as in the file and the file's format. Each
further line is one row: ``[number, values, errors]``, and for a row with problems also its cells as in the
file (``[number, values, errors, cells]``), from which the rows left out are written back (``left_out``).
"""

import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from onboarding.imports.formats import file_format, table_rows
from onboarding.imports.reading import (
    LOOKUP_CHUNK,
    ImportResult,
    ImportRow,
    cell_has_problem,
    duplicate_messages,
    example_only_message,
    read_rows,
)

DATE_COLUMNS = frozenset({"start_date", "end_date"})


@dataclass
class StoredImport:
    """A read import: the file's problems, or its rows as JSON Lines (``text``) below a summary line."""

    file_errors: list[str]
    text: str = ""

    @cached_property
    def summary(self) -> dict:
        """Headers, columns, number of rows, indexes of the rows with problems, manager addresses."""
        if not self.text:
            return {
                "headers": {},
                "ignored_headers": [],
                "columns": [],
                "rows": 0,
                "problem_rows": [],
                "manager_emails": [],
            }
        return json.loads(self.text.partition("\n")[0])

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.summary["problem_rows"])

    @property
    def export_format(self) -> str:
        """The upload's format, "csv" or "xlsx": that of the file of its rows with problems."""
        return self.summary.get("format", "csv")

    @property
    def problem_count(self) -> int:
        return len(self.summary["problem_rows"])

    @property
    def valid_count(self) -> int:
        """The rows without problems: those an import of only the valid rows writes."""
        return self.summary["rows"] - self.problem_count

    def _lines(self) -> Iterator[tuple[int, str]]:
        lines = io.StringIO(self.text)
        next(lines, None)
        return enumerate(lines)

    def chunks(self, *, size: int = LOOKUP_CHUNK, valid_only: bool = False) -> Iterator[ImportResult]:
        """The rows in results of at most ``size`` rows each, as ``parsed_import`` gave them (no actions).

        ``valid_only``: only the rows without problems.
        """
        summary = self.summary
        skipped = frozenset(summary["problem_rows"]) if valid_only else frozenset()
        rows = []
        for index, line in self._lines():
            if index in skipped:
                continue
            rows.append(_stored_row(json.loads(line), summary["columns"]))
            if len(rows) == size:
                yield ImportResult(rows=rows, headers=summary["headers"], ignored_headers=summary["ignored_headers"])
                rows = []
        if rows:
            yield ImportResult(rows=rows, headers=summary["headers"], ignored_headers=summary["ignored_headers"])

    def problem_lines(self) -> Iterator[list]:
        """Each row with problems as stored: ``[number, values, errors]`` and, when kept, its cells."""
        wanted = frozenset(self.summary["problem_rows"])
        for index, line in self._lines():
            if index in wanted:
                yield json.loads(line)

    def left_out(self) -> "StoredImport":
        """Only the rows with problems, stored the same way: what an import of only the valid rows leaves out."""
        wanted = frozenset(self.summary["problem_rows"])
        lines = [line.rstrip("\n") for index, line in self._lines() if index in wanted]
        summary = {**self.summary, "rows": len(lines), "problem_rows": list(range(len(lines))), "manager_emails": []}
        return StoredImport(file_errors=[], text="\n".join([json.dumps(summary), *lines]))


def stored_import(content: bytes, *, filename: str) -> StoredImport:
    """Read and check the file once; each row becomes its JSON line as soon as it is read."""
    result = ImportResult()
    columns, lines, numbers, personnel_numbers, problems, managers = [], [], [], [], set(), set()
    examples = 0
    for row in read_rows(content, filename=filename, result=result):
        columns = columns or list(row.values)  # every row has the same columns
        examples += row.is_example
        if row.errors:
            problems.add(len(lines))
        elif row.values.get("manager_email"):
            managers.add(row.values["manager_email"])
        lines.append(json.dumps(_stored_line(row, columns)))
        numbers.append(row.number)
        personnel_numbers.append(row.values.get("personnel_number"))
    if not result.file_errors and not lines:
        result.file_errors.append(_("The file has no newcomer rows below the column names."))
    if not result.file_errors and examples == len(lines):
        result.file_errors.append(example_only_message())
    if result.file_errors:
        return StoredImport(file_errors=result.file_errors)
    _mark_duplicates(lines, numbers, personnel_numbers, problems, content=content, filename=filename)
    summary = {
        "headers": result.headers,
        "ignored_headers": result.ignored_headers,
        "columns": columns,
        "rows": len(lines),
        "problem_rows": sorted(problems),
        "manager_emails": sorted(managers),
        "file_header": result.header_cells,
        "format": file_format(content),
    }
    return StoredImport(file_errors=[], text="\n".join([json.dumps(summary), *lines]))


def _stored_line(row: ImportRow, columns: list[str]) -> list:
    line = [row.number, [_json_value(row.values[name]) for name in columns], row.errors]
    return [*line, row.cells] if row.cells is not None else line


def _mark_duplicates(lines, numbers, personnel_numbers, problems: set, *, content: bytes, filename: str) -> None:
    """A personnel number on several rows is a problem on each; a row without others gets its cells kept too."""
    duplicates = list(duplicate_messages(numbers, personnel_numbers))
    cells = _cells_of(content, filename, {numbers[index] for index, _message in duplicates if index not in problems})
    for index, message in duplicates:
        number, values, errors, *kept = json.loads(lines[index])
        row_cells = kept[0] if kept else cells[number]
        lines[index] = json.dumps([number, values, [*errors, ("personnel_number", message)], row_cells])
        problems.add(index)


def _cells_of(content: bytes, filename: str, numbers: set[int]) -> dict[int, list[str]]:
    """The cells of the rows with these numbers, read again from the file (it was read whole once already)."""
    found = {}
    if numbers:
        for number, cells in enumerate(table_rows(content, filename), start=1):
            if number in numbers:
                found[number] = cells
                if len(found) == len(numbers):
                    break
    return found


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _stored_row(stored: list, columns: list[str]) -> ImportRow:
    number, values, errors, *_cells = stored
    row = ImportRow(number, dict(zip(columns, values, strict=True)), [tuple(error) for error in errors])
    for name in DATE_COLUMNS.intersection(row.values):
        if isinstance(row.values[name], str) and not cell_has_problem(row, name):  # a cell in error keeps its text
            row.values[name] = datetime.date.fromisoformat(row.values[name])
    return row
