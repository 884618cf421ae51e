"""The newcomer list as a download: the table's export columns, one plain row per newcomer.

The rows come from ``QuerySet.iterator()`` in the table's order (the user's sort) and a plain function per
row, not from django-tables2's per-cell rendering (which cost ~0.7 ms a row): a 100,000-row CSV streams in
seconds with flat memory (benchmarks/export_100k.py). Dates stay dates, so the XLSX holds date cells.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from onboarding.enums import Kind, Status
from onboarding.models import Newcomer
from onboarding.newcomers.tables import NewcomerTable

# The columns the export holds, in its order (the page's, and the e-mail address the page leaves out).
EXPORT_COLUMNS = ("name", "personnel_number", "kind", "start_date", "deadline", "status", "manager", "email")
# Rows fetched from the database at a time.
CHUNK_SIZE = 2000
# "Berg, Anna van der", from any row with the name's three fields (the model's own rule).
sort_name = Newcomer.sort_name.fget
NAME_FIELDS = ("surname", "given_names", "surname_prefix")


def table_header(table_class, columns) -> list[str]:
    """The columns' headings as the table shows them."""
    return [str(table_class.base_columns[name].verbose_name) for name in columns]


def ordered_rows(table) -> QuerySet:
    """The table's queryset in the order its request asked for (after ``RequestConfig.configure``)."""
    return table.data.data


def newcomer_export_header() -> list[str]:
    return table_header(NewcomerTable, EXPORT_COLUMNS)


def labels(choices) -> dict[str, str]:
    """Value → label of a choices class, in the active language (looked up once, not per row)."""
    return {value: str(label) for value, label in choices.choices}


def newcomer_export_rows(queryset: QuerySet) -> Iterator[list]:
    """One row per newcomer of ``queryset`` (annotated with its status), from one query read in chunks."""
    kinds, statuses = labels(Kind), labels(Status)
    fields = (*NAME_FIELDS, "personnel_number", "kind", "start_date", "deadline", "status", "manager__email", "email")
    for newcomer in queryset.values_list(*fields, named=True).iterator(chunk_size=CHUNK_SIZE):
        yield [
            sort_name(newcomer),
            newcomer.personnel_number,
            kinds.get(newcomer.kind, newcomer.kind),
            newcomer.start_date,
            newcomer.deadline,
            statuses[newcomer.status],
            newcomer.manager__email or "",
            newcomer.email,
        ]
