"""The audit trail's check as a PDF/A for the independent checker (BIO 8.15.06): data in, bytes out.

``manage.py verify_audit --report FILE.pdf`` writes it. It says what was
checked (how many entries, the period they span, the last hash) and the breaks
found (the check stops at the first one, so at most one is named).
"""

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.pdf_fonts import fonts
from core.pdfa import canvas_options, pdfa_from_reportlab
from onboarding.declarations.pdf import format_moment


@dataclass(frozen=True)
class AuditReportData:
    organisation: str
    checked_at: datetime.datetime
    entries: int
    first_at: datetime.datetime | None
    last_at: datetime.datetime | None
    last_hash: str
    break_entry: int | None = None
    break_at: datetime.datetime | None = None
    break_reason: str = ""


def _moment(moment: datetime.datetime | None) -> str:
    return format_moment(moment) if moment is not None else "-"


def _rows(data: AuditReportData) -> list[tuple[str, str]]:
    period = f"{_moment(data.first_at)} \N{EN DASH} {_moment(data.last_at)}" if data.first_at else "-"
    if data.break_entry is None:
        breaks = _("None: every entry matches its hash and the hash of the entry before it.")
    else:
        breaks = _("Entry %(entry)s (%(at)s): %(reason)s. The check stopped there.") % {
            "entry": data.break_entry,
            "at": _moment(data.break_at),
            "reason": data.break_reason,
        }
    return [
        (_("Checked at"), _moment(data.checked_at)),
        (_("Entries checked"), str(data.entries)),
        (_("Period"), period),
        (_("Last hash"), data.last_hash or "-"),
        (_("Breaks found"), breaks),
    ]


def audit_report_pdf(data: AuditReportData) -> bytes:
    """One page, in the active language; dated by the moment of the check."""
    family = fonts()
    body = ParagraphStyle("body", fontName=family.regular, fontSize=10, leading=14, spaceAfter=6)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0)
    title = ParagraphStyle("title", parent=body, fontName=family.bold, fontSize=16, leading=20)
    heading = _("Audit trail check")
    cells = [[Paragraph(escape(label), cell), Paragraph(escape(value), cell)] for label, value in _rows(data)]
    table = Table(cells, colWidths=[40 * mm, 130 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), family.regular), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    explanation = _(
        "Every audit entry carries the SHA-256 of its content and of the entry before it; the check recomputes "
        "the chain in order and the seals of redacted entries. Repeat it with: manage.py verify_audit."
    )
    story = [
        Paragraph(escape(data.organisation), body),
        Paragraph(escape(heading), title),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 4 * mm),
        Paragraph(escape(explanation), body),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=heading,
        author=data.organisation,
        **canvas_options(),
    )
    document.build(story)
    return pdfa_from_reportlab(
        buffer.getvalue(),
        title=heading,
        author=data.organisation,
        language=translation.get_language() or "",
        moment=data.checked_at,
    )
