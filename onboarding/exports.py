"""CSV and XLSX downloads of a table's rows, safe to open in a spreadsheet."""

import tablib
from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise_formula(value):
    """Prefix text that a spreadsheet would run as a formula with a quote (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def table_dataset(table) -> tablib.Dataset:
    rows = iter(table.as_values())
    dataset = tablib.Dataset(headers=[str(header) for header in next(rows)])
    for row in rows:
        dataset.append([neutralise_formula("" if value is None else value) for value in row])
    return dataset


def table_export_response(table, *, export_format: str, filename: str) -> HttpResponse:
    dataset = table_dataset(table)
    # For CSV, a BOM makes Excel read the UTF-8 correctly (accents in names).
    content = "\ufeff" + dataset.export("csv") if export_format == "csv" else dataset.export("xlsx")
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response
