"""core/pdfa.py: ReportLab's file finished as PDF/A-2b, dated by its moment, refused when it cannot conform."""

import datetime
import io

import pikepdf
import pikepdf.pdfa
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from core.pdfa import canvas_options, pdfa_from_reportlab
from tests.pdf_checks import assert_pdfa_2b

MOMENT = datetime.datetime(2026, 6, 15, 10, 30, tzinfo=datetime.UTC)


def reportlab_page(text: str, **options) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, **options)
    canvas.drawString(100, 700, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_the_same_page_and_moment_give_the_same_validated_bytes_dated_by_the_moment():
    page = reportlab_page("Zoë Öztürk", **canvas_options())
    first = pdfa_from_reportlab(page, title="Bewijs", author="Provincie", language="nl", moment=MOMENT)
    again = pdfa_from_reportlab(page, title="Bewijs", author="Provincie", language="nl", moment=MOMENT)
    later = pdfa_from_reportlab(page, title="Bewijs", author="Provincie", language="nl", moment=MOMENT.replace(hour=11))

    assert_pdfa_2b(first)
    assert first == again and first != later
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert str(pdf.Root.Lang) == "nl"
        assert str(pdf.docinfo.Title) == "Bewijs" and str(pdf.docinfo.CreationDate).startswith("D:20260615103000")
        with pdf.open_metadata() as meta:
            assert meta["xmp:CreateDate"] == meta["xmp:MetadataDate"] == "2026-06-15T10:30:00+00:00"
        assert all("/Trans" not in page.obj for page in pdf.pages)


def test_a_page_in_a_font_that_is_not_embedded_is_refused_not_served():
    helvetica = reportlab_page("Helvetica is not embedded")  # no initialFontName: reportlab's default

    with pytest.raises(pikepdf.pdfa.PdfaError, match="not embedded"):
        pdfa_from_reportlab(helvetica, title="Fout", moment=MOMENT)
