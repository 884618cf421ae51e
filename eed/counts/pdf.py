"""The annual figures as a one-page PDF: paragraph, table and chart. Data in, bytes out."""

import io

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.pdf_fonts import fonts
from core.pdfa import canvas_options, pdfa_from_reportlab

KIND_COLOURS = {
    "employee": colors.HexColor("#154273"),
    "trainee": colors.HexColor("#6f93bd"),
    "griffie": colors.HexColor("#b36b00"),
}


def _chart(chart: dict, font: str) -> Drawing:
    drawing = Drawing(chart["width"], chart["height"], initialFontName=font)  # PDF/A: no Helvetica
    drawing.add(
        Line(chart["left"], chart["height"] - chart["axis_y"], chart["width"] - 8, chart["height"] - chart["axis_y"])
    )
    for bar in chart["bars"]:
        for segment in bar["segments"]:
            if segment["height"] <= 0:
                continue
            y = chart["height"] - segment["y"] - segment["height"]
            drawing.add(
                Rect(
                    segment["x"],
                    y,
                    segment["width"],
                    segment["height"],
                    fillColor=KIND_COLOURS[segment["kind"]],
                    strokeColor=None,
                )
            )
        drawing.add(
            String(
                bar["label_x"],
                chart["height"] - chart["label_y"],
                str(bar["year"]),
                fontName=font,
                fontSize=9,
                textAnchor="middle",
            )
        )
        drawing.add(
            String(
                bar["label_x"],
                chart["height"] - bar["total_y"],
                str(bar["total"]),
                fontName=font,
                fontSize=9,
                textAnchor="middle",
            )
        )
    return drawing


def counts_pdf(
    *, title: str, organisation: str, paragraph: str, header: tuple[str, str, str], rows, chart: dict, legend: str
) -> bytes:
    """One A4 page (more if the table ever grows): nothing is cut, text wraps."""
    font = fonts()
    body = ParagraphStyle("body", fontName=font.regular, fontSize=10, leading=14)
    heading = ParagraphStyle("heading", fontName=font.bold, fontSize=16, leading=20, spaceAfter=6)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=organisation,
        **canvas_options(),
    )
    table = Table(
        [list(header), *[[Paragraph(str(label), body), str(now), str(before)] for label, now, before in rows]],
        colWidths=[100 * mm, 30 * mm, 30 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), font.bold, 10),
                ("FONT", (0, 1), (-1, -1), font.regular, 10),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph(title, heading),
        Paragraph(organisation, body),
        Spacer(1, 6 * mm),
        Paragraph(paragraph, body),
        Spacer(1, 6 * mm),
        table,
        Spacer(1, 8 * mm),
        _chart(chart, font.regular),
        Paragraph(legend, body),
    ]
    document.build(story)
    return pdfa_from_reportlab(buffer.getvalue(), title=title, author=organisation)
