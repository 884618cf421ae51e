"""The house style's word tables: every word whole, the type a step smaller when the page is too narrow."""

import io

from django.utils import translation
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from core.pdf_house import DOCUMENT_WIDTH, MARGIN, Column, frame_pages, word_table
from tests.pdf_reading import broken_words, inked_beyond, pdf_words, render_pages


def _document(flowables, *, footer: str = "Provincie Zuid-Holland · Proef") -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN
    )
    frame_pages(document, footer=footer)
    document.build(flowables)
    return buffer.getvalue()


def _size_of(pdf: bytes, word: str) -> float:
    """The type size ``word`` is printed in (pypdf's view of the text matrix)."""
    sizes = []

    def visit(text, _cm, tm, _font, size):
        if word in text:
            sizes.append(round(size * tm[0], 2))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return sizes[0]


def test_columns_take_their_widest_word_and_share_the_rest_by_weight():
    columns = [Column("Functieomschrijving"), Column("Naam", weight=1)]
    table = word_table(columns, [["Beleidsmedewerker", "Zoë Çelik"]])

    narrow, wide = table._colWidths
    assert narrow < wide and abs(narrow + wide - DOCUMENT_WIDTH) < 0.01
    assert _size_of(_document([table]), "Beleidsmedewerker") == 9.5


def test_when_the_page_is_too_narrow_the_type_steps_down_rather_than_split_a_word():
    words = ["Organisatieonderdeel", "Functieomschrijving", "Personeelsadministratie", "Belofte afgelegd"]
    columns = [Column(word) for word in words] + [Column("Heuvel-Oudshoorn", weight=1)]
    table = word_table(columns, [[*words, "Maximiliaan van den Heuvel-Oudshoorn"]])

    pdf = _document([table])

    assert _size_of(pdf, "Personeelsadministratie") < 9.5
    assert broken_words(pdf, *words, "Maximiliaan van den Heuvel-Oudshoorn") == []
    assert not inked_beyond(render_pages(pdf, "house-word-table")[0], right_mm=19)


def test_a_word_wider_than_the_page_is_the_one_thing_that_breaks_and_it_stays_on_the_page():
    table = word_table([Column("Browser", weight=1)], [["A" * 300]])

    pdf = _document([table])

    assert "A" * 300 in "".join(pdf_words(pdf))
    assert not inked_beyond(render_pages(pdf, "house-long-token")[0], right_mm=19)


def test_every_page_has_the_footer_with_its_number():
    rows = [[f"Rij {n}", "Zoë Çelik"] for n in range(90)]
    with translation.override("nl"):
        pdf = _document([word_table([Column("Nr."), Column("Naam", weight=1)], rows)])

    words = pdf_words(pdf)
    assert words.count("Pagina") >= 2 and "2" in words
    assert words.count("Proef") == words.count("Pagina")
