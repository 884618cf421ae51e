"""An import read once: its rows kept as JSON Lines in the batch, given back a chunk at a time, so the
preview pages and the confirmation never read the file again.
"""

import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from onboarding.imports.reading import (
    LOOKUP_CHUNK,
    ImportResult,
    ImportRow,
    cell_has_problem,
    duplicate_messages,
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

    def chunks(self, *, size: int = LOOKUP_CHUNK) -> Iterator[ImportResult]:
        """The rows in results of at most ``size`` rows each, as ``parsed_import`` gave them (no actions)."""
        summary, lines = self.summary, io.StringIO(self.text)
        next(lines, None)
        rows = []
        for line in lines:
            rows.append(_stored_row(json.loads(line), summary["columns"]))
            if len(rows) == size:
                yield ImportResult(rows=rows, headers=summary["headers"], ignored_headers=summary["ignored_headers"])
                rows = []
        if rows:
            yield ImportResult(rows=rows, headers=summary["headers"], ignored_headers=summary["ignored_headers"])


def stored_import(content: bytes, *, filename: str) -> StoredImport:
    """Read and check the file once; each row becomes its JSON line as soon as it is read."""
    result = ImportResult()
    columns, lines, numbers, personnel_numbers, problems, managers = [], [], [], [], set(), set()
    for row in read_rows(content, filename=filename, result=result):
        columns = columns or list(row.values)  # every row has the same columns
        if row.errors:
            problems.add(len(lines))
        elif row.values.get("manager_email"):
            managers.add(row.values["manager_email"])
        lines.append(json.dumps([row.number, [_json_value(row.values[name]) for name in columns], row.errors]))
        numbers.append(row.number)
        personnel_numbers.append(row.values.get("personnel_number"))
    if not result.file_errors and not lines:
        result.file_errors.append(_("The file has no newcomer rows below the column names."))
    if result.file_errors:
        return StoredImport(file_errors=result.file_errors)
    for index, message in duplicate_messages(numbers, personnel_numbers):
        number, values, errors = json.loads(lines[index])
        lines[index] = json.dumps([number, values, [*errors, ("personnel_number", message)]])
        problems.add(index)
    summary = {
        "headers": result.headers,
        "ignored_headers": result.ignored_headers,
        "columns": columns,
        "rows": len(lines),
        "problem_rows": sorted(problems),
        "manager_emails": sorted(managers),
    }
    return StoredImport(file_errors=[], text="\n".join([json.dumps(summary), *lines]))


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _stored_row(stored: list, columns: list[str]) -> ImportRow:
    number, values, errors = stored
    row = ImportRow(number, dict(zip(columns, values, strict=True)), [tuple(error) for error in errors])
    for name in DATE_COLUMNS.intersection(row.values):
        if isinstance(row.values[name], str) and not cell_has_problem(row, name):  # a cell in error keeps its text
            row.values[name] = datetime.date.fromisoformat(row.values[name])
    return row
