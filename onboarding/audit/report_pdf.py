"""The audit trail's check as a PDF/A for the independent checker (BIO 8.15.06): data in, bytes out.

``manage.py verify_audit --report FILE.pdf`` writes it. It says what was
checked (how many entries, the period they span, the last hash) and the breaks
found (the check stops at the first one, so at most one is named).
"""

import datetime
import io
from dataclasses import dataclass

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

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
        (_("Entries checked"), formats.number_format(data.entries, force_grouping=True)),
        (_("Period"), period),
        (_("Last hash"), data.last_hash or "-"),
        (_("Breaks found"), breaks),
    ]


def audit_report_pdf(data: AuditReportData) -> bytes:
    """One page, in the active language, in the house style; dated by the moment of the check."""
    styles = styles_for(1.0)
    heading = _("Audit trail check")
    explanation = _(
        "Every audit entry carries the SHA-256 of its content and of the entry before it; the check recomputes "
        "the chain in order and the seals of redacted entries. Repeat it with: manage.py verify_audit."
    )
    story = [
        *house_header(OrganisationData(name=data.organisation), styles),
        paragraph(heading, styles["title"]),
        Spacer(1, 2 * mm),
        label_value_table(_rows(data), styles),
        Spacer(1, 4 * mm),
        paragraph(explanation, styles["body"]),
    ]
    buffer = io.BytesIO()
    document = house_document(buffer, title=heading, author=data.organisation)
    frame_pages(document, footer=footer_text(data.organisation, heading))
    document.build(story)
    return pdfa_from_reportlab(
        buffer.getvalue(),
        title=heading,
        author=data.organisation,
        language=translation.get_language() or "",
        moment=data.checked_at,
    )
