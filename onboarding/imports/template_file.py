"""The file HR starts an import from: the column names the import accepts, in Dutch, and one example row.

The example row has the personnel number VOORBEELD (``columns.EXAMPLE_PERSONNEL_NUMBER``): a row with it is
never imported (reading names it as a problem), and a file holding only that row is refused with a message
saying so, so the template uploaded untouched imports nobody. The CSV (";" for Dutch Excel, UTF-8 with a BOM)
holds the two rows; the XLSX holds them on its first sheet and explains every column on a second one.
"""

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import export_content
from onboarding.imports.columns import COLUMNS, EXAMPLE_PERSONNEL_NUMBER

EXAMPLE_ROW = {
    "personnel_number": EXAMPLE_PERSONNEL_NUMBER,
    "given_names": "Anna Maria",
    "surname_prefix": "van der",
    "surname": "Berg",
    "email": "a.vanderberg@example.org",
    "start_date": "01-09-2026",
    "kind": "medewerker",
    "manager_email": "leidinggevende@example.org",
    "appointing_body": "",
    "end_date": "",
    "language": "nl",
}

# What each column holds, as the upload page and the template's second sheet say it.
COLUMN_HELP = {
    "personnel_number": gettext_lazy("required, unique"),
    "given_names": gettext_lazy("required"),
    "surname_prefix": gettext_lazy("may be empty"),
    "surname": gettext_lazy("required"),
    "email": gettext_lazy("required"),
    "start_date": gettext_lazy("required, dd-mm-yyyy or yyyy-mm-dd"),
    "kind": gettext_lazy("required: employee (medewerker), trainee, griffie or external (extern, inhuur)"),
    "manager_email": gettext_lazy("may be empty; an unknown address gets a manager account and an invitation"),
    "appointing_body": gettext_lazy(
        "may be empty: civil_service (ambtelijke organisatie) or griffie; empty means griffie for griffie staff, "
        "the civil service for everyone else"
    ),
    "end_date": gettext_lazy(
        "may be empty: the end of engagement, when known (personal data is kept until the retention period after it)"
    ),
    "language": gettext_lazy(
        "may be empty: nl (Nederlands, the default) or en (English), the language of this person's mails and pages"
    ),
}


def column_help() -> list[tuple[str, str, str]]:
    """(English name, Dutch name, what it holds) of every column, in the template's order."""
    return [(name, dutch, str(COLUMN_HELP[name])) for name, dutch in COLUMNS.items()]


def template_content(export_format: str):
    """The template as CSV text or XLSX bytes."""
    header, rows = list(COLUMNS.values()), [[EXAMPLE_ROW[name] for name in COLUMNS]]
    if export_format == "csv":
        return export_content(header, rows, export_format="csv")
    explanation = (
        _("Explanation"),
        [_("Column (Dutch)"), _("Column (English)"), _("Values")],
        [*((dutch, name, text) for name, dutch, text in column_help()), [], *([note] for note in _notes())],
    )
    from core.xlsx import xlsx_content  # openpyxl on first use (see core.xlsx)

    return xlsx_content(header, rows, title=_("Newcomers"), more_sheets=[explanation])


def _notes() -> list[str]:
    return [
        _(
            "Row 2 of the sheet %(sheet)s is an example: a row with the personnel number %(number)s is never "
            "imported. Replace it with your newcomers, or leave it."
        )
        % {"sheet": _("Newcomers"), "number": EXAMPLE_PERSONNEL_NUMBER},
        _("Keep the column names in row 1; columns with another name are ignored."),
        _("Only the first sheet is imported."),
    ]


def template_filename() -> str:
    return slugify(_("newcomers import template"))
