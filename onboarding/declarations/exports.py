"""The declaration overview as a download: the table's export columns, one plain row per external
(see onboarding/newcomers/exports.py). The times stay times, so the XLSX holds date cells."""

from collections.abc import Iterator

from django.db.models import QuerySet

from onboarding.declarations.tables import ExternalDeclarationTable
from onboarding.enums import Status
from onboarding.newcomers.exports import CHUNK_SIZE, NAME_FIELDS, labels, sort_name, table_header

EXPORT_COLUMNS = (
    "name",
    "personnel_number",
    "start_date",
    "status",
    "sent_at",
    "opened_at",
    "signed_at",
    "expires_at",
    "email",
    "verification_code",
)


def declaration_export_header() -> list[str]:
    return table_header(ExternalDeclarationTable, EXPORT_COLUMNS)


def declaration_export_rows(queryset: QuerySet) -> Iterator[list]:
    """One row per external of ``queryset`` (``selectors.externals_overview``, with the times annotated)."""
    statuses = labels(Status)
    fields = (*NAME_FIELDS, *EXPORT_COLUMNS[1:])
    for external in queryset.values_list(*fields, named=True).iterator(chunk_size=CHUNK_SIZE):
        yield [
            sort_name(external),
            external.personnel_number,
            external.start_date,
            statuses[external.status],
            external.sent_at,
            external.opened_at,
            external.signed_at,
            external.expires_at,
            external.email,
            external.verification_code or "",
        ]
