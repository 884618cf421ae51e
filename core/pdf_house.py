"""The house style every PDF shares: page and margins, type, the organisation's header, the footer, tables.

One place for the look of the proof of oath (eed/proofs/pdf.py), the attendance list
(eed/proofs/attendance_pdf.py), the annual figures (eed/counts/pdf.py) and the signer's
copy of a declaration (onboarding/declarations/pdf.py). Fonts are the ones
core/pdf_fonts.py registers, in every paragraph and every table cell.

Tables hold long Dutch words ("Organisatieonderdeel") and long names
("Maximiliaan van den Heuvel-Oudshoorn"): every cell is a paragraph that wraps
between words, and each column is at least as wide as the widest single word
it holds (its header's too), so no word is split in the middle; when the page
cannot give every column that, the table's type gets a step smaller. Only a
"word" wider than the whole page (a 300-character user agent) is broken, as
the last resort that keeps it on the page.
"""

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from core.pdf_fonts import fonts
from core.pdfa import canvas_options

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# A SimpleDocTemplate's frame pads its flowables by 6 pt on each side: its tables get this width.
FRAME_PADDING = 6
DOCUMENT_WIDTH = CONTENT_WIDTH - 2 * FRAME_PADDING
LOGO_HEIGHT = 16 * mm
LOGO_MAX_WIDTH = 60 * mm
# The footer sits in the bottom margin, below everything the page holds.
FOOTER_BASELINE = 10 * mm
FOOTER_SIZE = 7.5
HOUSE_BLUE = colors.HexColor("#154273")
HEADER_FILL = colors.HexColor("#e8ecf2")
QUIET_GREY = colors.HexColor("#555555")
# reportlab's default cell padding, left and right.
CELL_PADDING = 6


@dataclass(frozen=True)
class OrganisationData:
    name: str
    address: str = ""
    logo: bytes | None = None


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def styles_for(scale: float = 1.0) -> dict[str, ParagraphStyle]:
    """The house type: body 10.5 pt, bold labels, the organisation's name 12 pt, titles 21 pt."""
    family = fonts()
    size = 10.5 * scale
    base = ParagraphStyle("body", fontName=family.regular, fontSize=size, leading=size * 1.38, spaceAfter=size / 2)
    cell = ParagraphStyle("cell", parent=base, spaceAfter=0)
    return {
        "body": base,
        "bold": ParagraphStyle("bold", parent=base, fontName=family.bold),
        "org": ParagraphStyle("org", parent=base, fontName=family.bold, fontSize=12, leading=15, spaceAfter=1),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, spaceAfter=2),
        "title": ParagraphStyle(
            "title", parent=base, fontName=family.bold, fontSize=21 * scale, leading=26 * scale, spaceBefore=10
        ),
        "alert": ParagraphStyle("alert", parent=base, fontName=family.bold, textColor=colors.HexColor("#b00020")),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=family.bold, fontSize=11.5 * scale, spaceBefore=8 * scale
        ),
        "cell": cell,
        "label": ParagraphStyle("label", parent=base, fontName=family.bold, spaceAfter=0),
    }


# --- the page frame: header and footer ---------------------------------------------


class Logos:
    """The organisation's logos of one document, each decoded once however many pages show it."""

    def __init__(self):
        self._readers: dict[str, tuple[ImageReader, float, float]] = {}

    def get(self, logo: bytes) -> tuple[ImageReader, float, float]:
        """(reader, drawn width, drawn height): 16 mm tall, at most 60 mm wide."""
        key = hashlib.sha256(logo).hexdigest()
        if key not in self._readers:
            reader = ImageReader(io.BytesIO(logo))
            width, height = reader.getSize()
            drawn_width = min(LOGO_MAX_WIDTH, LOGO_HEIGHT * width / height)
            self._readers[key] = (reader, drawn_width, drawn_width * height / width)
        return self._readers[key]


class _Logo(Flowable):
    def __init__(self, reader: ImageReader, width: float, height: float):
        super().__init__()
        self.reader, self.width, self.height = reader, width, height
        self.spaceAfter = 4 * mm

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


def house_header(organisation: OrganisationData, styles: dict, logos: Logos | None = None) -> list[Flowable]:
    """The top of every first page: the logo (if any), the organisation's name and address, a rule."""
    header: list[Flowable] = []
    if organisation.logo:
        header.append(_Logo(*(logos or Logos()).get(organisation.logo)))
    header.append(paragraph(organisation.name, styles["org"]))
    if organisation.address:
        header.append(paragraph(organisation.address, styles["small"]))
    header.append(HRFlowable(width="100%", thickness=0.8, color=HOUSE_BLUE, spaceBefore=1.5 * mm, spaceAfter=0))
    return header


def draw_footer(canvas: Canvas, *, left: str, right: str = "", inset: float = 0) -> None:
    """A thin rule and one quiet line in the bottom margin: who and what on the left, the page on the right.

    ``inset``: how far the page's text stands in from the margin (a platypus frame's padding).
    """
    font = fonts().regular
    start, end = MARGIN + inset, PAGE_WIDTH - MARGIN - inset
    room = end - start - (stringWidth(right, font, FOOTER_SIZE) + 6 * mm if right else 0)
    size = FOOTER_SIZE
    while size > 5 and stringWidth(left, font, size) > room:
        size -= 0.5
    canvas.saveState()
    canvas.setStrokeColor(HOUSE_BLUE)
    canvas.setLineWidth(0.5)
    canvas.line(start, FOOTER_BASELINE + 3.5 * mm, end, FOOTER_BASELINE + 3.5 * mm)
    canvas.setFillColor(QUIET_GREY)
    canvas.setFont(font, size)
    canvas.drawString(start, FOOTER_BASELINE, left)
    if right:
        canvas.setFont(font, FOOTER_SIZE)
        canvas.drawRightString(end, FOOTER_BASELINE, right)
    canvas.restoreState()


def footer_text(organisation: OrganisationData | str, title: str) -> str:
    name = organisation.name if isinstance(organisation, OrganisationData) else organisation
    return " · ".join(part for part in (name, title) if part)


def house_document(buffer, *, title: str, author: str, subject: str = "") -> SimpleDocTemplate:
    """An A4 document in the house margins that starts in the embedded font (PDF/A: no Helvetica)."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        subject=subject,
        **canvas_options(),
    )


def frame_pages(document, *, footer: str) -> None:
    """Give every page of a SimpleDocTemplate the house footer with "Page N".

    Drawn by the document's ``afterPage`` hook, once the page's content is down, so the footer
    also comes last when the page is read aloud or its text copied.
    """
    page_label = _("Page %(number)s")

    def after_page() -> None:
        right = page_label % {"number": document.page}
        draw_footer(document.canv, left=footer, right=right, inset=FRAME_PADDING)

    document.afterPage = after_page


# --- tables ------------------------------------------------------------------------

# Type sizes (header, cells) tried in turn until every column holds its widest word whole.
TABLE_SIZES = ((8.5, 9.5), (8, 9), (7.5, 8.5), (7, 8), (6.5, 7.5))


@dataclass(frozen=True)
class Column:
    """A column of a word table: its header, its share of the room left, its least width, figures or words."""

    header: str
    weight: float = 0
    floor: float = 0
    numeric: bool = False


def widest_word(texts: Sequence[str], style: ParagraphStyle) -> float:
    """The width of the widest single word among ``texts`` in the style's font and size."""
    words = [word for text in texts for word in str(text).split()]
    return max((stringWidth(word, style.fontName, style.fontSize) for word in words), default=0.0)


def fit_widths(minimums: Sequence[float], weights: Sequence[float], total: float = DOCUMENT_WIDTH) -> list[float]:
    """Each column at least its minimum, the room left shared out by weight.

    Minimums wider than the page together are scaled down (words then break: the last resort).
    """
    spare = total - sum(minimums)
    if spare < 0:
        return [width * total / sum(minimums) for width in minimums]
    weight = sum(weights) or 1
    return [width + spare * share / weight for width, share in zip(minimums, weights, strict=True)]


def _table_styles(head_size: float, cell_size: float) -> dict[str, ParagraphStyle]:
    family = fonts()
    cell = ParagraphStyle("table-cell", fontName=family.regular, fontSize=cell_size, leading=cell_size * 1.27)
    head = ParagraphStyle("table-head", fontName=family.bold, fontSize=head_size, leading=head_size * 1.25)
    return {
        "head": head,
        "cell": cell,
        "head_number": ParagraphStyle("table-head-number", parent=head, alignment=TA_RIGHT),
        "number": ParagraphStyle("table-number", parent=cell, alignment=TA_RIGHT),
    }


def _minimums(columns: Sequence[Column], body: Sequence[Sequence], styles: dict) -> list[float]:
    """Per column: the widest word of its header and of its text cells, with the cell padding; at least its floor."""
    widths = []
    for index, column in enumerate(columns):
        texts = [row[index] for row in body if isinstance(row[index], str)]
        word = max(widest_word([column.header], styles["head"]), widest_word(texts, styles["cell"]))
        widths.append(max(column.floor, word + 2 * CELL_PADDING + 0.5))
    return widths


def word_table(columns: Sequence[Column], body: Sequence[Sequence], *, total: float = DOCUMENT_WIDTH) -> Table:
    """A ruled table whose every text cell is a paragraph that wraps between words, never inside one.

    Each column is at least as wide as the widest word in it (header included); when the page
    cannot give every column that, the type gets a step smaller. A cell may also be a flowable
    (a box to sign in); it then counts only through its column's floor.
    """
    for head_size, cell_size in TABLE_SIZES:
        styles = _table_styles(head_size, cell_size)
        minimums = _minimums(columns, body, styles)
        if sum(minimums) <= total:
            break
    widths = fit_widths(minimums, [column.weight for column in columns], total)
    header = [paragraph(column.header, styles["head_number" if column.numeric else "head"]) for column in columns]
    rows = [header]
    for row in body:
        rows.append(
            [
                paragraph(value, styles["number" if column.numeric else "cell"]) if isinstance(value, str) else value
                for column, value in zip(columns, row, strict=True)
            ]
        )
    return grid_table(rows, widths)


def house_table_style(*commands) -> TableStyle:
    """The house font in every cell (paragraphs carry their own; plain strings get this), cells aligned at the top."""
    family = fonts()
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), family.regular),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *commands,
        ]
    )


def grid_table(rows: list[list], widths: Sequence[float], *, header_rows: int = 1, commands=()) -> Table:
    """A ruled table with a tinted header row that repeats on every page."""
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows)
    table.setStyle(
        house_table_style(
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
            *commands,
        )
    )
    return table


def label_value_table(
    rows: Sequence[tuple[str, str | Flowable]],
    styles: dict,
    *,
    label_floor: float = 42 * mm,
    total: float = DOCUMENT_WIDTH,
) -> Table:
    """Bold labels beside their values (the proof's details, the declaration's evidence); a value may be a flowable.

    The label column holds its widest word whole; the values take the rest (a value "word" wider than
    that, such as a 300-character user agent, is the one thing that breaks).
    """
    label_width = max(label_floor, widest_word([label for label, _value in rows], styles["label"]) + CELL_PADDING + 0.5)
    cells = [
        [paragraph(label, styles["label"]), value if isinstance(value, Flowable) else paragraph(value, styles["cell"])]
        for label, value in rows
    ]
    table = Table(cells, colWidths=[label_width, total - label_width])
    table.setStyle(
        house_table_style(
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        )
    )
    return table
