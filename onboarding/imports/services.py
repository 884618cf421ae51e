"""Uploading and applying a newcomer import: the file is read once, applied all rows or none, or (when HR
confirms it, naming how many rows go in and how many stay out) only the rows without problems.

Kept apart from ``services.py`` but written in the same style: keyword-only
operations that hold their own transaction and write the audit trail: one
entry per newcomer created or changed (with the values, as the services
write them, marked ``via`` the import) and one for the import with its counts.
An upload keeps its parsed rows on the batch, so previewing and confirming
never read the file again; an import of only the valid rows keeps the rows it left out, for their download.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.accounts.roles import role_labels
from onboarding.accounts.services import users_invite_many
from onboarding.audit.trail import Change, audit_record, audit_record_many, changed_fields, snapshot
from onboarding.declarations.services import declaration_request_send
from onboarding.enums import Kind, Role
from onboarding.imports.columns import IMPORTED_FIELDS
from onboarding.imports.reading import (
    ImportResult,
    ImportRow,
    RowAction,
    existing_user_emails,
    parsed_import,
    with_actions,
)
from onboarding.imports.stored import StoredImport, stored_import
from onboarding.models import ImportBatch, Newcomer, User
from onboarding.models.newcomers import AUDITED_FIELDS

WRITE_BATCH = 1000
# Set as they are; the start date goes through Newcomer.start_on (its deadline), the body has its default.
SET_FIELDS = tuple(name for name in IMPORTED_FIELDS if name not in {"start_date", "appointing_body"})


class ImportRefused(Exception):
    """The import cannot be applied; the message is meant for HR, `result` holds the problems if any."""

    def __init__(self, message: str, result: ImportResult | None = None):
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class ImportCounts:
    created: int
    updated: int
    unchanged: int
    managers_invited: int

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "managers_invited": self.managers_invited,
        }


def import_batch_upload(*, content: bytes, filename: str, by) -> ImportBatch:
    """Read the file once and keep its rows and their problems for the preview and the confirmation.

    Raises ImportRefused, with the file's problems in ``result``, when the file as a whole cannot be read.
    """
    stored = stored_import(content, filename=filename)
    if stored.file_errors:
        raise ImportRefused(stored.file_errors[0], result=ImportResult(file_errors=stored.file_errors))
    return ImportBatch.objects.create(uploaded_by=by, filename=filename[:255], parsed_rows=stored.text)


def batch_stored_import(batch: ImportBatch) -> StoredImport:
    """The batch's rows as read on upload."""
    if batch.parsed_rows or not batch.content:
        return StoredImport(file_errors=[], text=batch.parsed_rows)
    return stored_import(bytes(batch.content), filename=batch.filename)  # uploaded before rows were kept


@dataclass
class ImportPreview:
    """What confirming a stored import would do now, with the rows asked for (by index) and their actions."""

    stored: StoredImport
    counts: dict = field(default_factory=dict)
    new_manager_emails: list[str] = field(default_factory=list)
    manager_grants: list[dict] = field(default_factory=list)  # existing accounts that become manager, their roles
    shown: dict[int, ImportRow] = field(default_factory=dict)

    @property
    def file_errors(self) -> list[str]:
        return self.stored.file_errors

    @property
    def has_errors(self) -> bool:
        return self.stored.has_errors

    @property
    def ignored_headers(self) -> list[str]:
        return self.stored.summary["ignored_headers"]

    @property
    def valid_count(self) -> int:
        return self.stored.valid_count

    @property
    def problem_count(self) -> int:
        return self.stored.problem_count

    @property
    def export_format(self) -> str:
        return self.stored.export_format

    def column_title(self, column: str) -> str:
        return self.stored.summary["headers"].get(column, column)


def batch_preview(*, stored: StoredImport, shown: set[int]) -> ImportPreview:
    """Each row's action against the database, a chunk at a time: the counts, and the rows ``shown``.

    The counts and the managers are those of the rows without problems: what confirming writes (all rows
    of a file without problems, or only the valid rows of one with problems).
    """
    preview = ImportPreview(stored=stored)
    counts = dict.fromkeys((RowAction.CREATE, RowAction.UPDATE, RowAction.UNCHANGED), 0)
    new_managers: set[str] = set()
    grants: set[str] = set()
    offset = 0
    for chunk in stored.chunks():
        with_actions(chunk)
        valid_managers = {row.values.get("manager_email") for row in chunk.rows if not row.errors}
        new_managers.update(valid_managers.intersection(chunk.new_manager_emails))
        grants.update(valid_managers.intersection(chunk.manager_grant_emails))
        for index, row in enumerate(chunk.rows, start=offset):
            if not row.errors:
                counts[row.action] += 1
            if index in shown:
                preview.shown[index] = row
        offset += len(chunk.rows)
    preview.new_manager_emails = sorted(new_managers)
    preview.manager_grants = [
        {"account": user, "roles": role_labels(group.name for group in user.groups.all())}
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=grants)
        .prefetch_related("groups")
        .order_by("email")
    ]
    preview.counts = {
        "create": counts[RowAction.CREATE],
        "update": counts[RowAction.UPDATE],
        "unchanged": counts[RowAction.UNCHANGED],
        "problems": len(stored.summary["problem_rows"]),
        "managers": len(new_managers),
    }
    return preview


def newcomers_import(*, batch: ImportBatch, by) -> ImportBatch:
    """Apply an uploaded batch once: lock it, decide each row's action against the database, write, forget the rows.

    Raises ImportRefused when the batch was applied already or has problems.
    """
    with transaction.atomic():
        batch, stored = _locked_unapplied(batch)
        if stored.has_errors:
            raise ImportRefused(_problems_message())
        return _batch_apply(batch, stored, by=by, valid_only=False)


def newcomers_import_valid(*, batch: ImportBatch, by, valid: int, left_out: int) -> ImportBatch:
    """Apply only the rows without problems of an uploaded batch, once, as a clean import applies all of them.

    ``valid`` and ``left_out`` are the numbers of rows HR confirmed to import and to leave out: when they are
    not the batch's (a confirmation of another preview, or altered), nothing is written. The rows left out
    stay on the batch for their download. Raises ImportRefused when the batch was applied already, when the
    numbers differ, or when no row can be imported.
    """
    with transaction.atomic():
        batch, stored = _locked_unapplied(batch)
        if stored.file_errors or not stored.valid_count:
            raise ImportRefused(_("No row of this file can be imported; nothing was imported."))
        if (valid, left_out) != (stored.valid_count, stored.problem_count):
            raise ImportRefused(
                _(
                    "This is not the import you confirmed: it has %(valid)s valid rows and %(left_out)s rows "
                    "with problems. Nothing was imported; check the preview and confirm again."
                )
                % {"valid": stored.valid_count, "left_out": stored.problem_count}
            )
        return _batch_apply(batch, stored, by=by, valid_only=True)


def batch_left_out(batch: ImportBatch) -> StoredImport | None:
    """The batch's rows with problems: those an import of its valid rows leaves out, or left out.

    None when there are none, or when they are no longer kept (a clean import, or retention emptied them).
    """
    if batch.applied_at is not None:
        return StoredImport(file_errors=[], text=batch.left_out_rows) if batch.left_out_rows else None
    stored = batch_stored_import(batch)
    return stored if stored.problem_count else None


def _locked_unapplied(batch: ImportBatch) -> tuple[ImportBatch, StoredImport]:
    """The batch locked for this transaction, and its rows; ImportRefused when it was applied already."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.applied_at is not None:
        raise ImportRefused(_("This import has already been applied; nothing was written again."))
    return batch, batch_stored_import(batch)


def _batch_apply(batch: ImportBatch, stored: StoredImport, *, by, valid_only: bool) -> ImportBatch:
    """Write the rows (``valid_only``: those without problems), mark the batch applied, forget its rows."""
    managers = _valid_manager_emails(stored) if valid_only else stored.summary["manager_emails"]
    counts = chunks_write(
        chunks=(with_actions(chunk) for chunk in stored.chunks(valid_only=valid_only)),
        manager_emails=managers,
        by=by,
        via=f"import:{batch.pk}",
        batch=batch,
    )
    changes = _audit_changes(batch.filename, counts)
    if valid_only:
        batch.left_out_count = changes["left_out"] = stored.problem_count
        batch.left_out_rows = stored.left_out().text if stored.problem_count else ""
    batch.applied_at = timezone.now()
    batch.created_count, batch.updated_count = counts.created, counts.updated
    batch.content, batch.parsed_rows = b"", ""
    batch.save(
        update_fields=[
            *("applied_at", "created_count", "updated_count", "content", "parsed_rows"),
            *("left_out_count", "left_out_rows"),
        ]
    )
    audit_record(actor=by, action="newcomer.import", target=batch, changes=changes)
    return batch


def _valid_manager_emails(stored: StoredImport) -> set[str]:
    """The manager addresses of the rows without problems (the summary's may hold those of duplicated rows)."""
    return {email for chunk in stored.chunks(valid_only=True) for email in _manager_emails(chunk)}


def newcomers_import_file(*, content: bytes, filename: str, by=None) -> ImportCounts:
    """Apply a file directly (the management command), recorded as an applied batch without content."""
    with transaction.atomic():
        result = with_actions(parsed_import(content, filename=filename))
        if result.has_errors:
            raise ImportRefused(_problems_message(), result=result)
        batch = ImportBatch.objects.create(uploaded_by=by, filename=filename[:255], applied_at=timezone.now())
        counts = rows_write(result=result, by=by, via="command:import_newcomers", batch=batch)
        batch.created_count, batch.updated_count = counts.created, counts.updated
        batch.save(update_fields=["created_count", "updated_count"])
        changes = _audit_changes(filename, counts)
        audit_record(actor=by, action="newcomer.import", target=batch, changes=changes, via="command:import_newcomers")
    return counts


def _audit_changes(filename: str, counts: ImportCounts) -> dict:
    return {"filename": filename, **counts.as_dict()}


def _problems_message() -> str:
    return _("The file has problems; nothing was imported. Fix the file and upload it again.")


def rows_write(*, result: ImportResult, by, via: str = "import", batch: ImportBatch | None = None) -> ImportCounts:
    """Write a checked result whose rows have their actions."""
    return chunks_write(chunks=[result], manager_emails=_manager_emails(result), by=by, via=via, batch=batch)


def chunks_write(
    *, chunks: Iterable[ImportResult], manager_emails, by, via: str, batch: ImportBatch | None = None
) -> ImportCounts:
    """Invite the managers named, then write the rows a chunk at a time (each chunk's rows with their actions).

    Each newcomer created or changed is marked with ``batch`` as their last import.
    """
    emails = set(manager_emails)
    invited = len(emails - existing_user_emails(emails))
    managers = users_invite_many(emails=emails, by=by, role=Role.MANAGER)
    created = updated = unchanged = 0
    for chunk in chunks:
        counts = _chunk_write(chunk, managers, by=by, via=via, batch=batch)
        created, updated, unchanged = created + counts[0], updated + counts[1], unchanged + counts[2]
    return ImportCounts(created=created, updated=updated, unchanged=unchanged, managers_invited=invited)


def _chunk_write(result: ImportResult, managers: dict, *, by, via: str, batch) -> tuple[int, int, int]:
    """(created, updated, unchanged) of writing the result's rows."""
    to_create = [row for row in result.rows if row.action == RowAction.CREATE]
    to_update = [row for row in result.rows if row.action == RowAction.UPDATE]
    for start in range(0, len(to_create), WRITE_BATCH):
        created = Newcomer.objects.bulk_create(
            [_new_newcomer(row, managers, batch) for row in to_create[start : start + WRITE_BATCH]],
            batch_size=WRITE_BATCH,
        )
        records = [Change("newcomer.create", newcomer, snapshot(newcomer, AUDITED_FIELDS)) for newcomer in created]
        audit_record_many(actor=by, records=records, via=via)
    for start in range(0, len(to_update), WRITE_BATCH):
        records = _update_chunk(
            to_update[start : start + WRITE_BATCH], managers, columns=result.headers.keys(), batch=batch
        )
        audit_record_many(actor=by, records=records, via=via)
    if settings.DECLARATION_SEND_AUTOMATICALLY:
        externals = [row.values["personnel_number"] for row in to_create if row.values["kind"] == Kind.EXTERNAL]
        for start in range(0, len(externals), WRITE_BATCH):
            for newcomer in Newcomer.objects.filter(personnel_number__in=externals[start : start + WRITE_BATCH]):
                declaration_request_send(newcomer=newcomer, by=by)
    return len(to_create), len(to_update), result.count(RowAction.UNCHANGED)


def _manager_emails(result: ImportResult) -> set[str]:
    return {row.values["manager_email"] for row in result.rows if row.values.get("manager_email")}


def _new_newcomer(row: ImportRow, managers: dict, batch) -> Newcomer:
    newcomer = Newcomer(notes="", last_import=batch)
    _assign(newcomer, row.values, managers)
    return newcomer


def _update_chunk(rows: list[ImportRow], managers: dict, *, columns, batch) -> list[Change]:
    """Write the rows' changes; the audit records of what changed."""
    stored = Newcomer.objects.in_bulk([row.values["personnel_number"] for row in rows], field_name="personnel_number")
    now = timezone.now()
    newcomers, records = [], []
    for row in rows:
        newcomer = stored[row.values["personnel_number"]]
        before = snapshot(newcomer, AUDITED_FIELDS)
        _assign(newcomer, row.values, managers)
        newcomer.updated_at, newcomer.last_import = now, batch
        newcomers.append(newcomer)
        changes = changed_fields(before, snapshot(newcomer, AUDITED_FIELDS))
        if changes:
            records.append(Change("newcomer.update", newcomer, changes))
    fields = [name for name in (*SET_FIELDS, "start_date") if name in columns]
    fields += ["appointing_body", "deadline", "updated_at", "last_import", "search_key"]
    fields += ["manager"] if "manager_email" in columns else []
    Newcomer.objects.bulk_update(newcomers, fields, batch_size=WRITE_BATCH)
    return records


def _assign(newcomer: Newcomer, values: dict, managers: dict) -> None:
    for name in SET_FIELDS:
        if name in values:
            setattr(newcomer, name, values[name])
    if "start_date" in values:
        newcomer.start_on(values["start_date"])
    newcomer.appointing_body = values["appointing_body"]
    if "manager_email" in values:
        newcomer.manager = managers.get(values["manager_email"]) if values["manager_email"] else None
    newcomer.refresh_search_key()  # bulk writes skip save()
