"""Reading and checking a newcomer import, without writing anything.

``import_result(content, filename=...)`` turns the uploaded bytes into an
``ImportResult``: every row with its cleaned values, its problems (column and
why) and what confirming would do with it (create, update, unchanged), plus
file-level problems and the manager accounts that would be created.
``parsed_import`` does the same without asking the database (no actions);
``with_actions`` adds them. ``stored_import`` reads a file once into JSON
Lines and ``stored_chunks`` gives its rows back a chunk at a time, so the
preview pages and the confirmation never read the file again. Decoding
CSV/XLSX lives in ``import_formats``.
"""

import datetime
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from core.text_rules import control_characters_error, normalised_name
from onboarding.enums import AppointingBody, Kind, Role
from onboarding.imports.formats import MAX_ROWS, ImportFormatError, table_rows, too_many_rows_message
from onboarding.models import Newcomer, User

LOOKUP_CHUNK = 1000
DUPLICATES_NAMED = 5

# Canonical column name -> accepted Dutch header. Headers match after removing
# case, spaces, "-" and "_" (so "E-mail", "email" and "e_mail" are the same).
COLUMNS = {
    "personnel_number": "personeelsnummer",
    "given_names": "voornamen",
    "surname_prefix": "tussenvoegsel",
    "surname": "achternaam",
    "email": "e-mail",
    "start_date": "datum_in_dienst",
    "kind": "soort",
    "manager_email": "e-mail_leidinggevende",
    "appointing_body": "aanstellend_orgaan",
    "end_date": "datum_uit_dienst",
    "language": "taal",
}
OPTIONAL_COLUMNS = frozenset({"surname_prefix", "manager_email", "appointing_body", "end_date", "language"})
# Optional columns whose empty cell means "none" (stored as NULL) rather than an empty text.
NULLABLE_COLUMNS = frozenset({"end_date"})
REQUIRED_COLUMNS = tuple(name for name in COLUMNS if name not in OPTIONAL_COLUMNS)
# Columns stored as a registered name: normalised as the newcomer form does (core.text_rules).
NAME_COLUMNS = frozenset({"given_names", "surname_prefix", "surname"})

KIND_VALUES = {
    "employee": Kind.EMPLOYEE,
    "medewerker": Kind.EMPLOYEE,
    "trainee": Kind.TRAINEE,
    "griffie": Kind.GRIFFIE,
    "external": Kind.EXTERNAL,
    "extern": Kind.EXTERNAL,
    "inhuur": Kind.EXTERNAL,
}
LANGUAGE_VALUES = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "en": "en",
    "engels": "en",
    "english": "en",
}
APPOINTING_BODY_VALUES = {
    "civil_service": AppointingBody.CIVIL_SERVICE,
    "ambtelijke organisatie": AppointingBody.CIVIL_SERVICE,
    "provinciesecretaris": AppointingBody.CIVIL_SERVICE,
    "griffie": AppointingBody.GRIFFIE,
    "griffier": AppointingBody.GRIFFIE,
}
MAX_LENGTHS = {
    name: Newcomer._meta.get_field(name).max_length
    for name in ("personnel_number", "given_names", "surname_prefix", "surname", "email")
} | {"manager_email": User._meta.get_field("email").max_length}

FORMULA_STARTS = ("=", "+", "-", "@")
START_YEARS = (1950, 2100)
_SEPARATORS = re.compile(r"[\s_-]+")
_DAY_FIRST = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def match_key(text: str) -> str:
    """What headers and choice values are compared on: no case, spaces, '-' or '_'."""
    return _SEPARATORS.sub("", text.replace("\ufeff", "").strip().lower())


HEADER_KEYS = {match_key(alias): name for name, dutch in COLUMNS.items() for alias in (name, dutch)}
KIND_KEYS = {match_key(value): kind for value, kind in KIND_VALUES.items()}
APPOINTING_BODY_KEYS = {match_key(value): body for value, body in APPOINTING_BODY_VALUES.items()}
LANGUAGE_KEYS = {match_key(value): code for value, code in LANGUAGE_VALUES.items()}


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

    @property
    def action_label(self) -> str:
        return RowAction.LABELS.get(self.action, "")

    @property
    def display_values(self) -> dict[str, str]:
        return {name: display_value(name, value) for name, value in self.values.items()}

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


# --- Reading: bytes in, rows with their problems out -------------------------


def parsed_import(content: bytes, *, filename: str) -> ImportResult:
    """Every row cleaned and checked on its own and against the others; no database."""
    result = ImportResult()
    result.rows = list(read_rows(content, filename=filename, result=result))
    if not result.file_errors and not result.rows:
        result.file_errors.append(_("The file has no newcomer rows below the column names."))
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
            columns, width = header_columns(cells, result), len(cells)
            if result.file_errors:
                return
            continue
        row = checked_row(number, cells, columns)
        if any(cells[width:]):
            row.errors.append(("", _("This row has more cells than there are column names; check the separators.")))
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
    if not row.values.get("appointing_body"):
        row.values["appointing_body"] = default_appointing_body(row.values.get("kind"))
    if row.values.get("language") == "":
        row.values["language"] = "nl"
    if _ends_before_start(row):
        row.errors.append(("end_date", _("The end of engagement cannot be before the start date.")))
    return row


def _ends_before_start(row: ImportRow) -> bool:
    start, end = row.values.get("start_date"), row.values.get("end_date")
    return isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start


def cleaned_value(name: str, text: str):
    """(value, error message or None) for one cell."""
    error = control_characters_error(text, field=capfirst(COLUMNS[name]))
    if error is not None:  # every cell is one line: a line break in a name would reach mail subjects
        return text, error.messages[0]
    if name in NAME_COLUMNS:
        text = normalised_name(text)
    if not text:
        return None if name in NULLABLE_COLUMNS else "", None if name in OPTIONAL_COLUMNS else _(
            "This value is required."
        )
    max_length = MAX_LENGTHS.get(name)
    if max_length and len(text) > max_length:
        return text, _("At most %(max)s characters are allowed (this has %(length)s).") % {
            "max": max_length,
            "length": len(text),
        }
    cleaner = CLEANERS.get(name)
    return cleaner(text) if cleaner else (text, None)


def cleaned_email(text: str):
    email = text.lower()
    try:
        validate_email(email)
    except ValidationError:
        return text, _('"%(value)s" is not a valid e-mail address.') % {"value": text}
    return email, None


def cleaned_date(text: str):
    match = _DAY_FIRST.fullmatch(text)
    parts = (match[3], match[2], match[1]) if match else None
    match = _YEAR_FIRST.fullmatch(text)
    parts = (match[1], match[2], match[3]) if match else parts
    if parts is None:
        return text, _('"%(value)s" is not a date; use dd-mm-yyyy or yyyy-mm-dd.') % {"value": text}
    try:
        day = datetime.date(*(int(part) for part in parts))
    except ValueError:
        return text, _('"%(value)s" is not an existing date.') % {"value": text}
    if not START_YEARS[0] <= day.year <= START_YEARS[1]:
        return text, _("The year must be between %(first)s and %(last)s.") % {
            "first": START_YEARS[0],
            "last": START_YEARS[1],
        }
    return day, None


UNKNOWN_KIND = gettext_lazy(
    'Unknown kind "%(value)s"; use employee (medewerker), trainee, griffie or external (extern, inhuur).'
)
UNKNOWN_APPOINTING_BODY = gettext_lazy(
    'Unknown appointing body "%(value)s"; use civil_service or griffie, or leave it empty.'
)
UNKNOWN_LANGUAGE = gettext_lazy('Unknown language "%(value)s"; use nl (Nederlands) or en (English), or leave it empty.')


def _cleaned_choice(text: str, keys: dict, unknown) -> tuple:
    """The value ``text`` names in ``keys`` (compared by match_key), or the ``unknown`` message."""
    value = keys.get(match_key(text))
    if value is None:
        return text, str(unknown) % {"value": text}
    return value, None


def cleaned_kind(text: str):
    return _cleaned_choice(text, KIND_KEYS, UNKNOWN_KIND)


def cleaned_appointing_body(text: str):
    return _cleaned_choice(text, APPOINTING_BODY_KEYS, UNKNOWN_APPOINTING_BODY)


def cleaned_language(text: str):
    return _cleaned_choice(text, LANGUAGE_KEYS, UNKNOWN_LANGUAGE)


CLEANERS = {
    "email": cleaned_email,
    "manager_email": cleaned_email,
    "start_date": cleaned_date,
    "end_date": cleaned_date,
    "kind": cleaned_kind,
    "appointing_body": cleaned_appointing_body,
    "language": cleaned_language,
}


def default_appointing_body(kind) -> str:
    return AppointingBody.GRIFFIE if kind == Kind.GRIFFIE else AppointingBody.CIVIL_SERVICE


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


# --- What confirming would do: a constant number of lookups -----------------

COMPARED_FIELDS = (
    "given_names",
    "surname_prefix",
    "surname",
    "email",
    "start_date",
    "kind",
    "appointing_body",
    "end_date",
    "language",
)


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
        if row.values.get("manager_email") and not _bad(row, "manager_email")
    }


def _bad(row: ImportRow, column: str) -> bool:
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


def display_value(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if name == "kind" and value in Kind.values:
        return str(Kind(value).label)
    if name == "appointing_body" and value in AppointingBody.values:
        return str(AppointingBody(value).label)
    if name == "language":
        return dict(settings.LANGUAGES).get(value, value)
    return str(value)


# --- Keeping a read import: JSON Lines and back -----------------------------
#
# The first line holds the headers, the column of each value, the indexes of
# the rows with problems and the manager addresses; then one line per row:
# [row number, [values in column order], [[column, problem], ...]]. Lines are
# decoded as they are needed, so memory stays bounded by a chunk of rows.

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
        if isinstance(row.values[name], str) and not _bad(row, name):  # a cell in error keeps its text
            row.values[name] = datetime.date.fromisoformat(row.values[name])
    return row
