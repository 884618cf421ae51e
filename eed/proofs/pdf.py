"""Proofs of oath or affirmation: data in, PDF bytes out (the attendance list: eed/proofs/attendance_pdf.py).

Knows nothing of requests or models (eed/proofs/documents.py builds the data). Each
proof is one A4 page in its own language (labels through gettext, the two
document titles from ``TITLES``). Text is laid out with platypus paragraphs:
it wraps, and when a very long name or formula does not fit, the type gets
smaller step by step; past the smallest step the text flows onto a further
page. Nothing is ever cut off. The organisation's header, the footer, the type
and the tables are the house style every PDF shares (core/pdf_house.py).

The QR code is encoded once (``qr_matrix``) and its modules are drawn as
rectangles straight on the canvas (shared/PERFORMANCE.md: a quarter of the
time of reportlab's ``QrCodeWidget``).
"""

import datetime
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Spacer, Table

from core.pdf_house import (
    CONTENT_WIDTH,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Logos,
    OrganisationData,
    draw_footer,
    footer_text,
    house_header,
    house_table_style,
    label_value_table,
    paragraph,
    styles_for,
)
from core.pdfa import canvas_options, pdfa_from_reportlab
from eed.enums import OathForm

try:
    import qrcode
    import qrcode.constants
except ImportError:  # pragma: no cover - reportlab's own encoder then
    qrcode = None

# Document titles, per language: not interface strings, so not in the catalogue.
TITLES = {
    "nl": {OathForm.OATH.value: "Bewijs van eedaflegging", OathForm.AFFIRMATION.value: "Bewijs van belofte"},
    "en": {OathForm.OATH.value: "Proof of oath", OathForm.AFFIRMATION.value: "Proof of affirmation"},
}
QR_SIZE = 34 * mm
QR_QUIET_MODULES = 4
GAP = 7 * mm
# Type sizes tried in turn until the page holds everything.
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)


@dataclass(frozen=True)
class ProofData:
    organisation: OrganisationData
    language: str
    form: str
    formula_title: str
    formula: str
    closing_words: str
    formula_version: int
    full_name: str
    date: datetime.date
    place: str
    officiant_name: str
    officiant_function: str
    witness_name: str
    number: str
    verification_url: str
    revoked_on: datetime.date | None = None


def title_for(language: str, form: str) -> str:
    return TITLES.get(language, TITLES["nl"])[form]


# --- QR code -------------------------------------------------------------------


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code's modules (True = dark), error correction level M.

    Encoded with the ``qrcode`` package when it is installed (twice as fast as
    reportlab's port, which is the fallback).
    """
    if qrcode is not None:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(text)
        code.make(fit=True)
        return code.get_matrix()
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    count = code.getModuleCount()
    return [[bool(code.isDark(row, column)) for column in range(count)] for row in range(count)]


def draw_qr(canvas: Canvas, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
    """Dark modules as one filled path of horizontal runs, inside a quiet zone of four modules.

    Drawn in module units (integers) under a scaling transform: the PDF stays
    small and each coordinate is cheap to write.
    """
    count = len(matrix)
    span = count + 2 * QR_QUIET_MODULES
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / span, size / span)
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        bottom = span - QR_QUIET_MODULES - row_index - 1
        column = 0
        while column < count:
            if not row[column]:
                column += 1
                continue
            start = column
            while column < count and row[column]:
                column += 1
            path.rect(QR_QUIET_MODULES + start, bottom, column - start, 1)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


# --- one proof -----------------------------------------------------------------


def _details(proof: ProofData, styles) -> Table:
    date = formats.date_format(proof.date, "j F Y")
    officiant = ", ".join(part for part in (proof.officiant_name, proof.officiant_function) if part)
    rows = [
        (_("Name"), proof.full_name),
        (_("Form"), str(OathForm(proof.form).label)),
        (_("Date and place"), f"{date}, {proof.place}" if proof.place else date),
        (_("Officiant"), officiant),
        (_("Witness"), proof.witness_name or "-"),
        (_("Certificate number"), proof.number),
    ]
    return label_value_table(rows, styles, total=CONTENT_WIDTH)


def _story(proof: ProofData, scale: float, logos: Logos) -> list:
    styles = styles_for(scale)
    story = [
        *house_header(proof.organisation, styles, logos),
        paragraph(title_for(proof.language, proof.form), styles["title"]),
    ]
    if proof.revoked_on is not None:
        revoked = formats.date_format(proof.revoked_on, "j F Y")
        story.append(
            paragraph(_("Revoked on %(date)s: this proof is no longer valid.") % {"date": revoked}, styles["alert"])
        )
    story += [Spacer(1, 3 * mm), _details(proof, styles)]
    heading = _("%(title)s (version %(version)s)") % {"title": proof.formula_title, "version": proof.formula_version}
    story.append(paragraph(heading, styles["heading"]))
    story += [paragraph(part.strip(), styles["body"]) for part in proof.formula.split("\n\n") if part.strip()]
    if proof.closing_words:
        story.append(paragraph(proof.closing_words, styles["bold"]))
    return story


def _signatures(proof: ProofData, styles) -> Table:
    column = (CONTENT_WIDTH - 2 * 6 * mm) / 3
    officiant = ", ".join(part for part in (proof.officiant_name, proof.officiant_function) if part)
    people = [(_("Newcomer"), proof.full_name), (_("Officiant"), officiant), (_("Witness"), proof.witness_name)]
    rows: list[list] = [[], [], []]
    for index, (label, name) in enumerate(people):
        cells = [Spacer(1, 16 * mm), paragraph(label, styles["label"]), paragraph(name, styles["cell"])]
        for row, cell in zip(rows, cells, strict=True):
            row.extend([cell] if index == 0 else ["", cell])
    table = Table(rows, colWidths=[column, 6 * mm, column, 6 * mm, column])
    commands = [("LEFTPADDING", (0, 0), (-1, -1), 0)]
    commands += [("LINEBELOW", (index, 0), (index, 0), 0.8, colors.black) for index in (0, 2, 4)]
    table.setStyle(house_table_style(*commands))
    return table


def _footer(proof: ProofData, styles) -> list:
    return [
        paragraph(_("Certificate number: %(number)s") % {"number": proof.number}, styles["label"]),
        Spacer(1, 2 * mm),
        paragraph(_("Check that this proof is genuine:"), styles["small"]),
        paragraph(proof.verification_url, styles["small"]),
    ]


def _wrap_stack(flowables: list, width: float) -> list[float]:
    """Wrap each flowable to the width; their heights, in order."""
    return [flowable.wrap(width, PAGE_HEIGHT)[1] for flowable in flowables]


def _stack_height(flowables: list, heights: list[float]) -> float:
    spaces = sum(
        flowable.getSpaceAfter() + (flowable.getSpaceBefore() if index else 0)
        for index, flowable in enumerate(flowables)
    )
    return sum(heights) + spaces


def _draw_stack(canvas: Canvas, flowables: list, heights: list[float], x: float, top: float) -> None:
    """Draw wrapped flowables downwards from ``top``."""
    y = top
    for index, (flowable, height) in enumerate(zip(flowables, heights, strict=True)):
        if index:
            y -= flowable.getSpaceBefore()
        y -= height
        flowable.drawOn(canvas, x, y)
        y -= flowable.getSpaceAfter()


class _Page:
    """Draws one proof on a shared canvas; keeps the document's logos decoded once."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.logos = Logos()

    def _show_page(self, proof: ProofData) -> None:
        """The house footer, then on to the next page."""
        draw_footer(self.canvas, left=footer_text(proof.organisation, title_for(proof.language, proof.form)))
        self.canvas.showPage()

    def _bottom(self, proof: ProofData) -> tuple[float, Callable[[], None]]:
        """The signature lines and the QR code with the number: (height, draw)."""
        styles = styles_for(1.0)
        footer = _footer(proof, styles)
        footer_heights = _wrap_stack(footer, CONTENT_WIDTH - QR_SIZE - 4 * mm)
        # The text starts level with the code itself, below its quiet zone.
        inset = 3 * mm
        footer_height = max(QR_SIZE, _stack_height(footer, footer_heights) + inset)
        signatures = _signatures(proof, styles)
        _width, signatures_height = signatures.wrap(CONTENT_WIDTH, PAGE_HEIGHT)

        def draw():
            canvas = self.canvas
            qr_top = MARGIN + footer_height
            draw_qr(canvas, qr_matrix(proof.verification_url), PAGE_WIDTH - MARGIN - QR_SIZE, qr_top - QR_SIZE, QR_SIZE)
            _draw_stack(canvas, footer, footer_heights, MARGIN, qr_top - inset)
            signatures.drawOn(canvas, MARGIN, MARGIN + footer_height + GAP)

        return footer_height + GAP + signatures_height, draw

    def draw(self, proof: ProofData) -> None:
        with translation.override(proof.language):
            top = PAGE_HEIGHT - MARGIN
            bottom_height, draw_bottom = self._bottom(proof)
            room = top - MARGIN - bottom_height - GAP
            for scale in SCALES:
                story = _story(proof, scale, self.logos)
                heights = _wrap_stack(story, CONTENT_WIDTH)
                if _stack_height(story, heights) <= room:
                    _draw_stack(self.canvas, story, heights, MARGIN, top)
                    draw_bottom()
                    self._show_page(proof)
                    return
            self._overflow(proof, story, top, bottom_height, draw_bottom)

    def _overflow(self, proof: ProofData, story: list, top: float, bottom_height: float, draw_bottom) -> None:
        """Past the smallest type: the text flows over further pages, the signatures follow it."""
        while True:
            frame = Frame(MARGIN, MARGIN, CONTENT_WIDTH, top - MARGIN, 0, 0, 0, 0, showBoundary=0)
            frame.addFromList(story, self.canvas)
            if not story:
                break
            self._show_page(proof)
            top = PAGE_HEIGHT - MARGIN
        if frame._y - MARGIN < bottom_height + GAP:
            self._show_page(proof)
        draw_bottom()
        self._show_page(proof)


def proofs_pdf(proofs: Sequence[ProofData], *, title: str = "", moment: datetime.datetime | None = None) -> bytes:
    """Every proof on its own page, in the order given (a ceremony's proofs print as one file), as PDF/A-2b.

    ``moment`` (a proof's issue moment) dates the file, so the same proof is the same bytes every time.
    """
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, **canvas_options())
    first = proofs[0] if proofs else None
    title = title or (f"{title_for(first.language, first.form)} {first.number}" if first else "")
    page = _Page(canvas)
    for proof in proofs:
        page.draw(proof)
    canvas.save()
    return pdfa_from_reportlab(
        buffer.getvalue(),
        title=title,
        author=first.organisation.name if first else "",
        language=first.language if first else "",
        moment=moment,
    )


def proof_pdf(proof: ProofData, *, moment: datetime.datetime | None = None) -> bytes:
    return proofs_pdf([proof], moment=moment)
