"""The ceremony's attendance list with signature boxes: data in, PDF bytes out.

Knows nothing of requests or models (eed/proofs/documents.py builds the data). A row
grows with a long name; the box to sign in is never smaller than 13 mm.
"""

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from core.pdfa import canvas_options, pdfa_from_reportlab
from eed.proofs.pdf import CONTENT_WIDTH, MARGIN, OrganisationData, paragraph, styles_for


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    personnel_number: str
    form: str
    witness: str
    outcome: str = ""


@dataclass(frozen=True)
class AttendanceListData:
    organisation: OrganisationData
    language: str
    starts_at: datetime.datetime
    place: str
    officiant_name: str
    officiant_function: str
    rows: Sequence[AttendanceRow]


def _attendance_table(data: AttendanceListData, styles) -> Table:
    header = [_("No."), _("Name"), _("Personnel number"), _("Form"), _("Witness"), _("Signature")]
    head = ParagraphStyle("head", parent=styles["label"], fontSize=8.5, leading=10.5)
    cell = ParagraphStyle("list-cell", parent=styles["cell"], fontSize=9.5, leading=12)
    cells = [[paragraph(label, head) for label in header]]
    for index, row in enumerate(data.rows, start=1):
        form = f"{row.form}\n{row.outcome}" if row.outcome else row.form
        values = (str(index), row.name, row.personnel_number, form, row.witness)
        # The empty box to sign in is at least this tall; a long name makes the row taller.
        cells.append([*(paragraph(value, cell) for value in values), Spacer(1, 13 * mm)])
    widths = [10 * mm, 40 * mm, 37 * mm, 19 * mm, 28 * mm]
    table = Table(cells, colWidths=[*widths, CONTENT_WIDTH - sum(widths)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cell.fontName),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf2")),
            ]
        )
    )
    return table


def attendance_list_pdf(data: AttendanceListData) -> bytes:
    """Names, form and witness of each newcomer with a box to sign, and a line for the officiant."""
    with translation.override(data.language):
        styles = styles_for(1.0)
        when = timezone.localtime(data.starts_at)
        moment = f"{formats.date_format(when, 'l j F Y')}, {when:%H:%M}"
        officiant = ", ".join(part for part in (data.officiant_name, data.officiant_function) if part)
        story = [
            paragraph(data.organisation.name, styles["org"]),
            paragraph(_("Attendance list"), styles["title"]),
            paragraph(_("Ceremony of %(when)s") % {"when": moment}, styles["bold"]),
            paragraph(_("Place: %(place)s") % {"place": data.place}, styles["body"]),
            paragraph(_("Officiant: %(officiant)s") % {"officiant": officiant}, styles["body"]),
            Spacer(1, 4 * mm),
            _attendance_table(data, styles),
            Spacer(1, 14 * mm),
            paragraph("_" * 40, styles["body"]),
            paragraph(_("Signature of the officiant"), styles["small"]),
        ]
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=_("Attendance list"),
            author=data.organisation.name,
            **canvas_options(),
        )
        document.build(story)
        return pdfa_from_reportlab(
            buffer.getvalue(), title=_("Attendance list"), author=data.organisation.name, language=data.language
        )
