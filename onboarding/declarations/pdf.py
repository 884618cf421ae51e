"""The signer's copy of a signed integrity declaration: data in, PDF bytes out.

Knows nothing of requests or models. Labels are translated with the active
language, so callers wrap the call in ``translation.override(...)``. Text is
laid out with platypus paragraphs: long text wraps and flows onto further
pages, it is never cut.
"""

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.pdf_fonts import font_name
from core.pdfa import canvas_options, pdfa_from_reportlab


@dataclass(frozen=True)
class DeclarationPdfData:
    organisation: str
    title: str
    paragraphs: list[str]
    text_version: int
    text_sha256: str
    signed_name: str
    signed_at: datetime.datetime
    verification_code: str
    ip_address: str
    user_agent: str
    sent_at: datetime.datetime
    opened_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None = None
    withdrawal_reason: str = ""


def format_moment(moment: datetime.datetime) -> str:
    """ "2026-11-29 13:05:09 UTC (14:05:09 Europe/Amsterdam)"."""
    utc = moment.astimezone(datetime.UTC)
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    return f"{utc:%Y-%m-%d %H:%M:%S} UTC ({local:%H:%M:%S} {settings.TIME_ZONE})"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=14.5, spaceAfter=6)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=20, spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, spaceAfter=2),
        # 8.5 pt keeps a 64-digit SHA-256 on one line of the value column.
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11.5, spaceAfter=0),
    }


def _table(rows: list[tuple[str, str]], styles) -> Table:
    cells = [
        [Paragraph(escape(label), styles["cell"]), Paragraph(escape(value), styles["cell"])] for label, value in rows
    ]
    table = Table(cells, colWidths=[40 * mm, 130 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles["cell"].fontName),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _evidence_rows(data: DeclarationPdfData) -> list[tuple[str, str]]:
    rows = [
        (_("Signed by"), data.signed_name),
        (_("Signed at"), format_moment(data.signed_at)),
        (_("Text version"), str(data.text_version)),
        (_("SHA-256 of the text"), data.text_sha256),
        (_("Verification code"), data.verification_code),
    ]
    if data.withdrawn_at:
        rows += [(_("Withdrawn at"), format_moment(data.withdrawn_at)), (_("Reason"), data.withdrawal_reason)]
    return rows


def _audit_rows(data: DeclarationPdfData) -> list[tuple[str, str]]:
    rows = [(_("Link sent"), format_moment(data.sent_at))]
    if data.opened_at:
        rows.append((_("Link opened"), format_moment(data.opened_at)))
    rows += [
        (_("Signed"), format_moment(data.signed_at)),
        (_("IP address"), data.ip_address or "-"),
        (_("Browser (user agent)"), data.user_agent or "-"),
    ]
    return rows


def declaration_pdf(data: DeclarationPdfData) -> bytes:
    styles = _styles(font_name())
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=data.title,
        author=data.organisation,
        subject=_("Signed integrity declaration"),
        **canvas_options(),
    )
    story = [
        Paragraph(escape(data.organisation), styles["small"]),
        Paragraph(escape(data.title), styles["title"]),
        *[Paragraph(escape(paragraph).replace("\n", "<br/>"), styles["body"]) for paragraph in data.paragraphs],
        Spacer(1, 4 * mm),
        Paragraph(escape(_("Signature")), styles["heading"]),
        _table(_evidence_rows(data), styles),
        Paragraph(escape(_("Audit trail")), styles["heading"]),
        _table(_audit_rows(data), styles),
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                _(
                    "The SHA-256 is computed over the exact text shown when signing (title and paragraphs, "
                    "UTF-8). HR can confirm this copy with the verification code."
                )
            ),
            styles["small"],
        ),
    ]
    document.build(story)
    # Dated by the signature, so the same copy is the same bytes (and SHA-256) every time.
    return pdfa_from_reportlab(
        buffer.getvalue(),
        title=data.title,
        author=data.organisation,
        language=translation.get_language() or "",
        moment=data.signed_at,
    )
