"""The annual figures as a PDF: paragraph, table, chart and the chart's figures. Data in, bytes out.

In the house style of every PDF (core/pdf_house.py). Figures print in the
active language's number format ("1.234", "83,3"); the chart is the page's
small multiples (eed/counts/report.py ``chart_bars``), scaled to the page so
every year shows, with its figures in a table below it.
"""

import io

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from core.pdf_fonts import fonts
from core.pdf_house import (
    DOCUMENT_WIDTH,
    Column,
    OrganisationData,
    footer_text,
    frame_pages,
    house_document,
    house_header,
    styles_for,
    word_table,
)
from core.pdf_house import paragraph as text_paragraph
from core.pdfa import pdfa_from_reportlab
from eed.counts.report import figure_text

KIND_COLOURS = {
    "employee": colors.HexColor("#154273"),
    "trainee": colors.HexColor("#6f93bd"),
    "griffie": colors.HexColor("#b36b00"),
}


def _chart(chart: dict) -> Drawing:
    """The chart's geometry (SVG units, y downwards) drawn to the page's width."""
    font = fonts()
    factor = DOCUMENT_WIDTH / chart["width"]
    height = chart["height"]
    group = Group()

    def text(x, y, value, *, anchor="start", bold=False):
        name = font.bold if bold else font.regular
        group.add(String(x, height - y, value, fontName=name, fontSize=12, textAnchor=anchor))

    for row in chart["years"]:
        text(chart["year_x"], row["y"], str(row["year"]), anchor="end")
    for panel in chart["panels"]:
        text(panel["x"], panel["title_y"], panel["title"], bold=True)
        group.add(
            Line(panel["x"], height - panel["axis_top"], panel["x"], height - panel["axis_bottom"], strokeWidth=1)
        )
        for bar in panel["bars"]:
            if bar["width"] > 0:
                top = height - bar["y"] - bar["height"]
                colour = KIND_COLOURS[panel["kind"]]
                group.add(Rect(bar["x"], top, bar["width"], bar["height"], fillColor=colour, strokeColor=None))
            text(bar["label_x"], bar["label_y"], bar["label"])
    group.scale(factor, factor)
    drawing = Drawing(DOCUMENT_WIDTH, height * factor, initialFontName=font.regular)  # PDF/A: no Helvetica
    drawing.add(group)
    return drawing


def _figures_table(header, rows) -> Table:
    """Figure, this year, last year: labels wrap between words, figures right-aligned."""
    columns = [Column(header[0], weight=1), Column(header[1], floor=28 * mm, numeric=True)]
    columns.append(Column(header[2], floor=28 * mm, numeric=True))
    return word_table(columns, [[str(label), figure_text(now), figure_text(before)] for label, now, before in rows])


def _chart_table(chart: dict) -> Table:
    """The chart's figures, every year of it: the chart's text alternative on paper."""
    kinds = (_("employees"), _("trainees"), _("griffie staff"), _("total"))
    columns = [Column(capfirst(_("Year")), floor=22 * mm)]
    columns += [Column(capfirst(label), weight=1, numeric=True) for label in kinds]
    return word_table(columns, [[str(row["year"]), *row["values"], row["total"]] for row in chart["rows"]])


def counts_pdf(
    *,
    title: str,
    organisation: str,
    paragraph: str,
    header: tuple[str, str, str],
    rows,
    chart: dict,
    legend: str,
    letterhead: OrganisationData | None = None,
) -> bytes:
    """One A4 page (more if the table ever grows): nothing is cut, text wraps.

    ``letterhead``: the organisation's details for the page's header (logo, address); its name alone without.
    """
    styles = styles_for(1.0)
    buffer = io.BytesIO()
    document = house_document(buffer, title=title, author=organisation)
    story = [
        *house_header(letterhead or OrganisationData(name=organisation), styles),
        text_paragraph(title, styles["title"]),
        text_paragraph(paragraph, styles["body"]),
        Spacer(1, 2 * mm),
        _figures_table(header, rows),
        Spacer(1, 6 * mm),
        KeepTogether(
            [
                text_paragraph(_("Sworn per year, last five years"), styles["heading"]),
                _chart(chart),
                Spacer(1, 2 * mm),
                text_paragraph(legend, styles["small"]),
                Spacer(1, 2 * mm),
                _chart_table(chart),
            ]
        ),
    ]
    frame_pages(document, footer=footer_text(organisation, title))
    document.build(story)
    return pdfa_from_reportlab(buffer.getvalue(), title=title, author=organisation)
