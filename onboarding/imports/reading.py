"""Reading and checking a newcomer import, without writing anything.

``import_result(content, filename=...)`` turns the uploaded bytes into an
``ImportResult``: every row with its cleaned values, its problems (column and
why) and what confirming would do with it (create, update, unchanged), plus
file-level problems and the manager accounts that would be created.
``parsed_import`` does the same without asking the database (no actions);
``with_actions`` adds them. What each column means and how a cell is
cleaned is in ``columns``; keeping a read file for the preview and the
confirmation in ``stored``; decoding CSV/XLSX in ``formats`` and ``xlsx``.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from onboarding.enums import Role
from onboarding.imports.columns import (
    COLUMNS,
    FORMULA_STARTS,
    HEADER_KEYS,
    IMPORTED_FIELDS,
    REQUIRED_COLUMNS,
    cleaned_value,
    display_value,
    is_example_number,
    match_key,
)
from onboarding.imports.formats import MAX_ROWS, ImportFormatError, table_rows, too_many_rows_message
from onboarding.models import Newcomer, User
from onboarding.newcomers.appointing import appointing_body_for, appointing_body_problem

LOOKUP_CHUNK = 1000


DUPLICATES_NAMED = 5


class RowAction:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    LABELS = {
        CREATE: pgettext_lazy("import row action", "create"),
        UPDATE: pgettext_lazy("import row action", "update"),
        UNCHANGED: pgettext_lazy("import row action", "unchanged"),
    }


@dataclass(slots=True)
class Change:
    column: str
    before: str
    after: str


@dataclass(slots=True)
class ImportRow:
    number: int  # the row number as the spreadsheet shows it (header = row 1)
    values: dict
    errors: list[tuple[str, str]] = field(default_factory=list)
    action: str = ""
    changes: list[Change] = field(default_factory=list)
    cells: list[str] | None = None  # the row as in the file, kept when it has problems (the rows left out)

    @property
    def action_label(self) -> str:
        return RowAction.LABELS.get(self.action, "")

    @property
    def display_values(self) -> dict[str, str]:
        return {name: display_value(name, value) for name, value in self.values.items()}

    @property
    def is_example(self) -> bool:
        return is_example_number(self.values.get("personnel_number"))

    @property
    def full_name(self) -> str:
        names = (self.values.get(part, "") for part in ("given_names", "surname_prefix", "surname"))
        return " ".join(name for name in names if name)


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    new_manager_emails: list[str] = field(default_factory=list)
    # Addresses of existing accounts without the Manager role: confirming the import grants it (audited).
    manager_grant_emails: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> header as in the file
    ignored_headers: list[str] = field(default_factory=list)
    header_cells: list[str] = field(default_factory=list)  # the row of column names as in the file

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def column_title(self, column: str) -> str:
        return self.headers.get(column, column)


def parsed_import(content: bytes, *, filename: str) -> ImportResult:
    """Every row cleaned and checked on its own and against the others; no database."""
    result = ImportResult()
    result.rows = list(read_rows(content, filename=filename, result=result))
    if not result.file_errors and not result.rows:
        result.file_errors.append(_("The file has no newcomer rows below the column names."))
    if not result.file_errors and all(row.is_example for row in result.rows):
        result.file_errors.append(example_only_message())
    if result.file_errors:
        result.rows = []
    _mark_duplicates(result.rows)
    return result


def read_rows(content: bytes, *, filename: str, result: ImportResult) -> Iterator[ImportRow]:
    """Each row cleaned and checked on its own, as it is read; headers and file problems go to ``result``."""
    try:
        yield from _checked_rows(table_rows(content, filename), result)
    except ImportFormatError as exc:
        result.file_errors.append(str(exc))


def _checked_rows(rows, result: ImportResult) -> Iterator[ImportRow]:
    columns, width = None, 0
    for number, cells in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            result.file_errors.append(too_many_rows_message())
            return
        if not any(cells):
            continue
        if columns is None:
            columns, width, result.header_cells = header_columns(cells, result), len(cells), cells
            if result.file_errors:
                return
            continue
        row = checked_row(number, cells, columns)
        if any(cells[width:]):
            row.errors.append(("", _("This row has more cells than there are column names; check the separators.")))
        if row.errors:
            row.cells = cells
        yield row


def header_columns(cells: list[str], result: ImportResult) -> dict[int, str]:
    """Cell position -> canonical column; file errors for missing or repeated columns."""
    columns = {}
    for position, header in enumerate(cells):
        name = HEADER_KEYS.get(match_key(header))
        if name is None:
            if header:
                result.ignored_headers.append(header)
        elif name in result.headers:
            result.file_errors.append(
                _('The columns "%(first)s" and "%(second)s" mean the same; keep one.')
                % {"first": result.headers[name], "second": header}
            )
        else:
            columns[position] = name
            result.headers[name] = header
    missing = [f"{name} ({COLUMNS[name]})" for name in REQUIRED_COLUMNS if name not in result.headers]
    if missing:
        result.file_errors.append(
            _("The file is missing these columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return columns


def checked_row(number: int, cells: list[str], columns: dict[int, str]) -> ImportRow:
    row = ImportRow(number=number, values={})
    for position, name in columns.items():
        text = cells[position] if position < len(cells) else ""
        if text.startswith(FORMULA_STARTS):
            value, error = text, _("This looks like a spreadsheet formula; enter plain text.")
        else:
            value, error = cleaned_value(name, text)
        row.values[name] = value
        if error:
            row.errors.append((name, error))
    kind = row.values.get("kind")
    if problem := appointing_body_problem(kind, row.values.get("appointing_body")):
        row.errors.append(("appointing_body", problem))
    elif not row.values.get("appointing_body"):
        row.values["appointing_body"] = appointing_body_for(kind)
    if row.values.get("language") == "":
        row.values["language"] = "nl"
    if _ends_before_start(row):
        row.errors.append(("end_date", _("The end of engagement cannot be before the start date.")))
    if row.is_example:
        row.errors.append(("personnel_number", _("This is the example row of the template; it is never imported.")))
    return row


def example_only_message() -> str:
    return _(
        "This is the template with only its example row. Put your newcomers in the rows below the column names "
        "(the example row may stay or go: it is never imported), then upload the file again."
    )


def _ends_before_start(row: ImportRow) -> bool:
    start, end = row.values.get("start_date"), row.values.get("end_date")
    return isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start


def _mark_duplicates(rows: list[ImportRow]) -> None:
    """A personnel number on several rows is an error on each, naming the first few others."""
    numbers = (row.values.get("personnel_number") for row in rows)
    for index, message in duplicate_messages([row.number for row in rows], numbers):
        rows[index].errors.append(("personnel_number", message))


def duplicate_messages(row_numbers: list[int], personnel_numbers: Iterable) -> Iterator[tuple[int, str]]:
    """(index, message) for each row whose personnel number is on other rows too."""
    rows_of: dict[str, list[int]] = {}
    for index, number in enumerate(personnel_numbers):
        if number:
            rows_of.setdefault(number, []).append(index)
    for indexes in rows_of.values():
        if len(indexes) > 1:
            same = [row_numbers[index] for index in indexes]
            for index in indexes:
                yield index, _duplicate_message(row_numbers[index], same)


def _duplicate_message(number: int, same: list[int]) -> str:
    """Names at most DUPLICATES_NAMED rows: listing every one would make n messages of n rows each."""
    others = [other for other in same[: DUPLICATES_NAMED + 1] if other != number][:DUPLICATES_NAMED]
    named = ", ".join(str(other) for other in others)
    more = len(same) - 1 - len(others)
    if not more:
        return _("This personnel number is also on row %(rows)s.") % {"rows": named}
    return ngettext(
        "This personnel number is also on row %(rows)s and on %(more)s other row.",
        "This personnel number is also on row %(rows)s and on %(more)s other rows.",
        more,
    ) % {"rows": named, "more": more}


# Compared with the stored newcomer to tell an update from an unchanged row (the number is the key).
COMPARED_FIELDS = tuple(name for name in IMPORTED_FIELDS if name != "personnel_number")


def import_result(content: bytes, *, filename: str) -> ImportResult:
    """The parsed import with each row's action and changes, and the managers to invite."""
    return with_actions(parsed_import(content, filename=filename))


def with_actions(result: ImportResult) -> ImportResult:
    """``result`` (as parsed) with each row's action and changes against the database, and the managers to invite."""
    existing = existing_newcomers({row.values["personnel_number"] for row in result.rows if _has_number(row)})
    for row in result.rows:
        _set_action(row, existing.get(row.values.get("personnel_number")))
    managers = _manager_emails(result.rows)
    existing = existing_user_emails(managers)
    result.new_manager_emails = sorted(managers - existing)
    result.manager_grant_emails = sorted(existing - existing_user_emails(existing, role=Role.MANAGER))
    return result


def _has_number(row: ImportRow) -> bool:
    return bool(row.values.get("personnel_number"))


def _chunks(items, size=LOOKUP_CHUNK):
    items = sorted(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_newcomers(personnel_numbers) -> dict[str, dict]:
    """Stored values of the newcomers with these personnel numbers, by number."""
    fields = ("personnel_number", *COMPARED_FIELDS, "manager__email")
    found = {}
    for chunk in _chunks(personnel_numbers):
        for values in Newcomer.objects.filter(personnel_number__in=chunk).values(*fields):
            found[values["personnel_number"]] = values
    return found


def existing_user_emails(emails, *, role: Role | None = None) -> set[str]:
    """Those of these (lower-cased) e-mail addresses that already have an account (with ``role``, if given)."""
    found = set()
    for chunk in _chunks(emails):
        users = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
        if role is not None:
            users = users.filter(groups__name=role.value)
        found.update(users.values_list("email_lower", flat=True))
    return found


def _manager_emails(rows: list[ImportRow]) -> set[str]:
    return {
        row.values["manager_email"]
        for row in rows
        if row.values.get("manager_email") and not cell_has_problem(row, "manager_email")
    }


def cell_has_problem(row: ImportRow, column: str) -> bool:
    return any(name == column for name, _message in row.errors)


def _set_action(row: ImportRow, stored: dict | None) -> None:
    if stored is None:
        row.action = RowAction.CREATE
        return
    row.changes = row_changes(row.values, stored)
    row.action = RowAction.UPDATE if row.changes else RowAction.UNCHANGED


def row_changes(values: dict, stored: dict) -> list[Change]:
    """What an update would change, as display text; only for columns in the file."""
    changes = []
    for name in (*COMPARED_FIELDS, "manager_email"):
        if name not in values:
            continue
        before = (stored["manager__email"] or "").lower() if name == "manager_email" else stored[name]
        if before != values[name]:
            changes.append(Change(name, display_value(name, before), display_value(name, values[name])))
    return changes
