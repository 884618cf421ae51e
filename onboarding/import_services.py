"""Applying a checked newcomer import: all rows in one transaction, or none.

Kept apart from ``services.py`` but written in the same style: keyword-only
operations that hold their own transaction and write the audit trail: one
entry per newcomer created or changed (with the values, as the services
write them, marked ``via`` the import) and one for the import with its counts.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.audit import Change, audit_record, audit_record_many, changed_fields, snapshot
from onboarding.deadlines import oath_deadline
from onboarding.declaration_services import declaration_request_send
from onboarding.enums import Kind, Role
from onboarding.importing import ImportResult, ImportRow, RowAction, import_result
from onboarding.models import ImportBatch, Newcomer
from onboarding.services import NEWCOMER_FIELDS, users_invite_many

WRITE_BATCH = 1000
MODEL_FIELDS = (
    "given_names",
    "surname_prefix",
    "surname",
    "email",
    "personnel_number",
    "start_date",
    "kind",
    "end_date",
    "language",
)


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


def newcomers_import(*, batch: ImportBatch, by) -> ImportBatch:
    """Apply an uploaded batch once: lock it, re-check its content, write, forget the content.

    Raises ImportRefused when the batch was applied already or has problems.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.applied_at is not None:
            raise ImportRefused(_("This import has already been applied; nothing was written again."))
        counts = _checked_write(bytes(batch.content), filename=batch.filename, by=by, via=f"import:{batch.pk}")
        batch.applied_at = timezone.now()
        batch.created_count, batch.updated_count = counts.created, counts.updated
        batch.content = b""
        batch.save(update_fields=["applied_at", "created_count", "updated_count", "content"])
        audit_record(actor=by, action="newcomer.import", target=batch, changes=_audit_changes(batch.filename, counts))
    return batch


def newcomers_import_file(*, content: bytes, filename: str, by=None) -> ImportCounts:
    """Apply a file directly (the management command), recorded as an applied batch without content."""
    with transaction.atomic():
        counts = _checked_write(content, filename=filename, by=by, via="command:import_newcomers")
        changes = _audit_changes(filename, counts)
        batch = ImportBatch.objects.create(
            uploaded_by=by,
            filename=filename[:255],
            content=b"",
            applied_at=timezone.now(),
            created_count=counts.created,
            updated_count=counts.updated,
        )
        audit_record(actor=by, action="newcomer.import", target=batch, changes=changes, via="command:import_newcomers")
    return counts


def _audit_changes(filename: str, counts: ImportCounts) -> dict:
    return {"filename": filename, **counts.as_dict()}


def _checked_write(content: bytes, *, filename: str, by, via: str) -> ImportCounts:
    """Parse again inside the transaction (the database may have moved on), then write."""
    result = import_result(content, filename=filename)
    if result.has_errors:
        raise ImportRefused(
            _("The file has problems; nothing was imported. Fix the file and upload it again."), result=result
        )
    return rows_write(result=result, by=by, via=via)


def rows_write(*, result: ImportResult, by, via: str = "import") -> ImportCounts:
    managers = users_invite_many(emails=_manager_emails(result), by=by, role=Role.MANAGER)
    to_create = [row for row in result.rows if row.action == RowAction.CREATE]
    to_update = [row for row in result.rows if row.action == RowAction.UPDATE]
    for start in range(0, len(to_create), WRITE_BATCH):
        created = Newcomer.objects.bulk_create(
            [_new_newcomer(row, managers) for row in to_create[start : start + WRITE_BATCH]], batch_size=WRITE_BATCH
        )
        records = [Change("newcomer.create", newcomer, snapshot(newcomer, NEWCOMER_FIELDS)) for newcomer in created]
        audit_record_many(actor=by, records=records, via=via)
    for start in range(0, len(to_update), WRITE_BATCH):
        records = _update_chunk(to_update[start : start + WRITE_BATCH], managers, columns=result.headers.keys())
        audit_record_many(actor=by, records=records, via=via)
    if settings.DECLARATION_SEND_AUTOMATICALLY:
        externals = [row.values["personnel_number"] for row in to_create if row.values["kind"] == Kind.EXTERNAL]
        for start in range(0, len(externals), WRITE_BATCH):
            for newcomer in Newcomer.objects.filter(personnel_number__in=externals[start : start + WRITE_BATCH]):
                declaration_request_send(newcomer=newcomer, by=by)
    return ImportCounts(
        created=len(to_create),
        updated=len(to_update),
        unchanged=result.count(RowAction.UNCHANGED),
        managers_invited=len(result.new_manager_emails),
    )


def _manager_emails(result: ImportResult) -> set[str]:
    return {row.values["manager_email"] for row in result.rows if row.values.get("manager_email")}


def _new_newcomer(row: ImportRow, managers: dict) -> Newcomer:
    newcomer = Newcomer(notes="")
    _assign(newcomer, row.values, managers)
    newcomer.deadline = oath_deadline(newcomer.start_date)
    return newcomer


def _update_chunk(rows: list[ImportRow], managers: dict, *, columns) -> list[Change]:
    """Write the rows' changes; the audit records of what changed."""
    stored = Newcomer.objects.in_bulk([row.values["personnel_number"] for row in rows], field_name="personnel_number")
    now = timezone.now()
    newcomers, records = [], []
    for row in rows:
        newcomer = stored[row.values["personnel_number"]]
        before = snapshot(newcomer, NEWCOMER_FIELDS)
        start_date = newcomer.start_date
        _assign(newcomer, row.values, managers)
        if newcomer.start_date != start_date:
            newcomer.deadline = oath_deadline(newcomer.start_date)
        newcomer.updated_at = now
        newcomers.append(newcomer)
        changes = changed_fields(before, snapshot(newcomer, NEWCOMER_FIELDS))
        if changes:
            records.append(Change("newcomer.update", newcomer, changes))
    fields = [name for name in MODEL_FIELDS if name in columns]
    fields += ["appointing_body", "deadline", "updated_at"] + (["manager"] if "manager_email" in columns else [])
    Newcomer.objects.bulk_update(newcomers, fields, batch_size=WRITE_BATCH)
    return records


def _assign(newcomer: Newcomer, values: dict, managers: dict) -> None:
    for name in MODEL_FIELDS:
        if name in values:
            setattr(newcomer, name, values[name])
    newcomer.appointing_body = values["appointing_body"]
    if "manager_email" in values:
        newcomer.manager = managers.get(values["manager_email"]) if values["manager_email"] else None
