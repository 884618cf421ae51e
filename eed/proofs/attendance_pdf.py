"""The ceremony's attendance list with signature boxes: data in, PDF bytes out.

Knows nothing of requests or models (eed/proofs/documents.py builds the data). A row
grows with a long name; the box to sign in is never smaller than 13 mm. The table is
a house word table (core/pdf_house.py): every column holds its widest word whole, so
"Afgelegd" and "Heuvel-Oudshoorn" never break inside.
"""

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from core.pdf_house import (
    MARGIN,
    Column,
    OrganisationData,
    footer_text,
    frame_pages,
    house_header,
    paragraph,
    styles_for,
    word_table,
)
from core.pdfa import canvas_options, pdfa_from_reportlab


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


def _attendance_table(data: AttendanceListData) -> Table:
    """No., name with personnel number, form (and outcome), witness, and a box to sign in.

    The personnel number sits under the name, so the names and the witnesses get the room
    to stay whole, and the box is never narrower than 40 mm.
    """
    columns = [
        Column(_("No.")),
        Column(_("Name and personnel number"), weight=3),
        Column(_("Form")),
        Column(_("Witness"), weight=2),
        Column(_("Signature"), weight=3, floor=40 * mm),
    ]
    body = [
        [
            str(index),
            f"{row.name}\n{row.personnel_number}" if row.personnel_number else row.name,
            f"{row.form}\n{row.outcome}" if row.outcome else row.form,
            row.witness,
            # The empty box to sign in is at least 13 mm tall; a long name makes the row taller.
            Spacer(1, 13 * mm),
        ]
        for index, row in enumerate(data.rows, start=1)
    ]
    return word_table(columns, body)


def attendance_list_pdf(data: AttendanceListData) -> bytes:
    """Names, form and witness of each newcomer with a box to sign, and a line for the officiant."""
    with translation.override(data.language):
        styles = styles_for(1.0)
        when = timezone.localtime(data.starts_at)
        moment = f"{formats.date_format(when, 'l j F Y')}, {when:%H:%M}"
        officiant = ", ".join(part for part in (data.officiant_name, data.officiant_function) if part)
        story = [
            *house_header(data.organisation, styles),
            paragraph(_("Attendance list"), styles["title"]),
            paragraph(_("Ceremony of %(when)s") % {"when": moment}, styles["bold"]),
            paragraph(_("Place: %(place)s") % {"place": data.place}, styles["body"]),
            paragraph(_("Officiant: %(officiant)s") % {"officiant": officiant}, styles["body"]),
            Spacer(1, 4 * mm),
            _attendance_table(data),
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
        frame_pages(document, footer=footer_text(data.organisation, _("Attendance list")))
        document.build(story)
        return pdfa_from_reportlab(
            buffer.getvalue(), title=_("Attendance list"), author=data.organisation.name, language=data.language
        )
