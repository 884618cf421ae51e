"""Newcomers through the API: checked by the import's own code, written by the import's own writer.

One validation, three doors: each newcomer of a request becomes a row as an uploaded file would give it
(text cells under the import's column names), checked by ``onboarding.imports.reading.checked_row`` and
the duplicate check, its action decided by ``with_actions`` and written by ``chunks_write`` with the
audit trail's ``via = api:<client>``. The form and the import share those rules and messages; so does
the API. A request is applied whole or not at all; its problems name the newcomer (index) and field.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from pydantic.alias_generators import to_camel

from onboarding.imports.columns import COLUMNS, REQUIRED_COLUMNS
from onboarding.imports.reading import ImportResult, ImportRow, checked_row, duplicate_messages, with_actions
from onboarding.imports.services import chunks_write
from onboarding.models import Newcomer

LOOKUP_CHUNK = 1000


@dataclass
class RowProblem:
    index: int
    field: str  # camelCase, "" for the row as a whole
    reason: str

    @property
    def name(self) -> str:
        return f"newcomers.{self.index}.{self.field}" if self.field else f"newcomers.{self.index}"


class BatchConflict(Exception):
    """Another request wrote one of these newcomers at the same moment; nothing of this one was written."""


def checked_rows(items: list[dict]) -> tuple[list[ImportRow], list[RowProblem]]:
    """Each item (snake_case field -> text or None, only the fields sent) as a checked import row.

    Row numbers count from 1 (the messages' "row 3" is the third newcomer, index 2).
    """
    rows = []
    for number, item in enumerate(items, start=1):
        names = [name for name in COLUMNS if name in item or name in REQUIRED_COLUMNS]
        cells = [(item.get(name) or "").strip() for name in names]
        rows.append(checked_row(number, cells, dict(enumerate(names))))
    personnel_numbers = (row.values.get("personnel_number") for row in rows)
    for index, message in duplicate_messages([row.number for row in rows], personnel_numbers):
        rows[index].errors.append(("personnel_number", message))
    problems = [
        RowProblem(index=row.number - 1, field=to_camel(column) if column else "", reason=str(message))
        for row in rows
        for column, message in row.errors
    ]
    return rows, problems


def _grouped(rows: list[ImportRow]) -> list[ImportResult]:
    """Rows sending the same fields together: a result's columns are those its rows set (the rest is kept)."""
    groups: dict[tuple, ImportResult] = {}
    for row in rows:
        columns = tuple(name for name in row.values if name != "appointing_body")  # always set: by the kind
        if columns not in groups:
            groups[columns] = ImportResult(headers={name: name for name in columns})
        groups[columns].rows.append(row)
    return list(groups.values())


@dataclass
class BatchOutcome:
    counts: dict
    rows: list[dict]


def newcomers_put(*, rows: list[ImportRow], via: str) -> BatchOutcome:
    """Create or update checked rows (without problems) by personnel number, all or none."""
    results = _grouped(rows)
    try:
        with transaction.atomic():
            for result in results:
                with_actions(result)
            managers = {row.values["manager_email"] for row in rows if row.values.get("manager_email")}
            counts = chunks_write(chunks=results, manager_emails=managers, by=None, via=via)
    except IntegrityError as exc:
        raise BatchConflict from exc
    ids = _ids([row.values["personnel_number"] for row in rows])
    return BatchOutcome(
        counts={**counts.as_dict(), "changed": bool(counts.created or counts.updated)},
        rows=[
            {
                "index": row.number - 1,
                "personnel_number": row.values["personnel_number"],
                "id": ids[row.values["personnel_number"]],
                "action": row.action,
            }
            for row in rows
        ],
    )


def _ids(numbers: list[str]) -> dict[str, int]:
    found = {}
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        chunk = numbers[start : start + LOOKUP_CHUNK]
        found.update(Newcomer.objects.filter(personnel_number__in=chunk).values_list("personnel_number", "pk"))
    return found
