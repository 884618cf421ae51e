"""The signer's copy of a signed integrity declaration: data in, PDF bytes out.

Knows nothing of requests or models. Labels are translated with the active
language, so callers wrap the call in ``translation.override(...)``. Text is
laid out with platypus paragraphs: long text wraps and flows onto further
pages, it is never cut. The house style (header with the organisation, type,
tables, footer) is the proof of oath's, from core/pdf_house.py. The copy names
the signer twice: as our records hold the name, and as they typed it.
"""

import datetime
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from core.pdf_house import (
    OrganisationData,
    footer_text,
    frame_pages,
    house_document,
    house_header,
    label_value_table,
    paragraph,
    styles_for,
)
from core.pdfa import pdfa_from_reportlab


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
    # The newcomer's name as our records hold it, printed above the name they typed.
    registered_name: str = ""
    # The organisation's details for the header (address, logo); the name alone without.
    letterhead: OrganisationData | None = None


def format_moment(moment: datetime.datetime) -> str:
    """ "2026-11-29 13:05:09 UTC (14:05:09 Europe/Amsterdam)"."""
    utc = moment.astimezone(datetime.UTC)
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    return f"{utc:%Y-%m-%d %H:%M:%S} UTC ({local:%H:%M:%S} {settings.TIME_ZONE})"


def _styles() -> dict[str, ParagraphStyle]:
    styles = styles_for(1.0)
    # 8 pt keeps a 64-digit SHA-256 on one line of the value column.
    return {**styles, "code": ParagraphStyle("code", parent=styles["cell"], fontSize=8, leading=13)}


def _table(rows: list[tuple[str, str]], styles) -> Table:
    return label_value_table(rows, styles, label_floor=48 * mm)


def _evidence_rows(data: DeclarationPdfData, styles) -> list[tuple[str, str]]:
    rows = [
        *([(_("Name in our records"), data.registered_name)] if data.registered_name else []),
        (_("Signed as (the name as typed)"), data.signed_name),
        (_("Signed at"), format_moment(data.signed_at)),
        (_("Text version"), str(data.text_version)),
        (_("SHA-256 of the text"), paragraph(data.text_sha256, styles["code"])),
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
    styles = _styles()
    buffer = io.BytesIO()
    document = house_document(
        buffer, title=data.title, author=data.organisation, subject=_("Signed integrity declaration")
    )
    story = [
        *house_header(data.letterhead or OrganisationData(name=data.organisation), styles),
        paragraph(data.title, styles["title"]),
        *[paragraph(text, styles["body"]) for text in data.paragraphs],
        Spacer(1, 2 * mm),
        paragraph(_("Signature"), styles["heading"]),
        _table(_evidence_rows(data, styles), styles),
        paragraph(_("Audit trail"), styles["heading"]),
        _table(_audit_rows(data), styles),
        Spacer(1, 4 * mm),
        paragraph(
            _(
                "The SHA-256 is computed over the exact text shown when signing (title and paragraphs, "
                "UTF-8). HR can confirm this copy with the verification code."
            ),
            styles["small"],
        ),
    ]
    frame_pages(document, footer=footer_text(data.organisation, data.title))
    document.build(story)
    # Dated by the signature, so the same copy is the same bytes (and SHA-256) every time.
    return pdfa_from_reportlab(
        buffer.getvalue(),
        title=data.title,
        author=data.organisation,
        language=translation.get_language() or "",
        moment=data.signed_at,
    )
