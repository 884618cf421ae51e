"""Newcomer import under attack: crafted files are refused cheaply with the limit named, and read once.

The workbooks come from ``crafted_xlsx``: a few KB to a few hundred KB packed,
each built to make a careless reader pad rows, load millions of strings or
styles, or expand entities. Nothing here measures time: the tests check the
verdict HR sees and, where it matters, that the reader stopped early (a count
of what it handled).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.imports import reading as importing
from onboarding.imports import xlsx as import_xlsx
from onboarding.imports import xlsx_parts
from onboarding.imports.formats import table_rows
from onboarding.models import ImportBatch, Newcomer
from tests.factories import NewcomerFactory
from tests.onboarding import crafted_xlsx as crafted
from tests.onboarding.test_import import csv_bytes, row
from tests.onboarding.test_import_views import text, upload, uploaded_batch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(hr):
    hr.language = "en"
    hr.save(update_fields=["language"])


def refusal(client, content: bytes, name="export.xlsx") -> str:
    """The one message HR gets for an upload that must be refused; nothing is kept."""
    response = upload(client, content, name)
    assert response.status_code == 200, "the upload was accepted"
    assert 'class="error-summary"' in response.content.decode()
    assert ImportBatch.objects.count() == 0
    [message] = response.context["form"].errors["file"]
    return message


def count_calls(monkeypatch, owner, name: str) -> list:
    """Replace ``owner.name`` by a wrapper that records each call; the list of calls."""
    calls = []
    original = getattr(owner, name)

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return calls


# --- Read once --------------------------------------------------------------------------------------


def test_previewing_and_confirming_do_not_read_the_file_again(hr_client, monkeypatch):
    reads = count_calls(monkeypatch, importing, "table_rows")
    content = csv_bytes([row(number=f"P{n}", email=f"p{n}@example.org") for n in range(150)])

    batch = uploaded_batch(hr_client, content)
    preview = reverse("import_preview", args=[batch.pk])
    hr_client.get(preview)
    hr_client.get(preview, {"page": 2})
    hr_client.post(reverse("import_confirm", args=[batch.pk]))

    assert len(reads) == 1
    assert Newcomer.objects.count() == 150


def test_the_preview_and_confirmation_work_from_the_rows_kept_at_upload(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1", surname="Özdemir", start="31-12-2026")]))
    ImportBatch.objects.filter(pk=batch.pk).update(content=b"")  # whatever was stored of the file is gone

    preview = text(hr_client.get(reverse("import_preview", args=[batch.pk])))
    hr_client.post(reverse("import_confirm", args=[batch.pk]))

    assert "Anna Özdemir" in preview
    assert "31-12-2026" in preview
    assert Newcomer.objects.get().start_date.isoformat() == "2026-12-31"
    batch.refresh_from_db()
    assert batch.parsed_rows == ""  # forgotten once applied


def test_confirming_decides_create_or_update_against_the_newcomers_as_they_are_then(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1", given="Anna Maria")]))
    NewcomerFactory(personnel_number="P1", given_names="Anna")  # registered by hand after the upload

    confirmed = hr_client.post(reverse("import_confirm", args=[batch.pk]), follow=True)

    assert "Created: 0, updated: 1" in text(confirmed)
    assert Newcomer.objects.get().given_names == "Anna Maria"


def test_a_personnel_number_on_many_rows_names_a_few_of_them_not_all(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1", email=f"p{n}@example.org") for n in range(20)]))

    page = hr_client.get(reverse("import_preview", args=[batch.pk]))

    [first] = [item for item in page.context["problems"] if item["row"].number == 2]
    assert first["errors"] == [
        ("personnel_number", "This personnel number is also on row 3, 4, 5, 6, 7 and on 14 other rows.")
    ]


# --- What Excel writes is still read -----------------------------------------------------------------


def test_an_excel_workbook_with_shared_strings_rich_text_and_date_cells_reads_as_before():
    strings = [*crafted.HEADER, "P1", "Jansen", "anna@example.org", "employee"]
    shared = [f"<si><t>{text}</t></si>".encode() for text in strings]
    shared.insert(7, b'<si><r><t>An</t></r><r><rPr><b/></rPr><t>na</t></r><rPh sb="0" eb="2"><t>ANA</t></rPh></si>')
    header = "".join(f'<c r="{letter}1" t="s"><v>{n}</v></c>' for n, letter in enumerate("ABCDEF"))
    cells = '<c r="A3" t="s"><v>6</v></c><c r="B3" t="s"><v>7</v></c><c r="C3" t="s"><v>8</v></c>'
    cells += '<c r="D3" t="s"><v>9</v></c><c r="E3" s="1"><v>46082</v></c><c r="F3" t="s"><v>10</v></c>'
    styles = [b'<numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/></numFmts>',
              b'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>']  # fmt: skip
    content = crafted.workbook(
        sheet_rows=[f'<row r="1">{header}</row><row r="3">{cells}</row>'.encode()],
        shared_strings=shared,
        styles=styles,
    )

    result = importing.parsed_import(content, filename="export.xlsx")

    assert result.file_errors == []
    [anna] = result.rows
    assert anna.number == 3
    assert anna.values["given_names"] == "Anna"
    assert anna.values["start_date"].isoformat() == "2026-03-01"
    assert anna.errors == []


# --- Crafted workbooks ------------------------------------------------------------------------------


def shared_text_flood() -> bytes:
    long_text = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    return crafted.workbook(sheet_rows=crafted.header_rows(), shared_strings=crafted.repeated(long_text, 20_001))


REFUSED = {
    "a value in the last column": (lambda: crafted.far_away_cells(rows=3), "The file has more than 100 columns."),
    "rows of 101 cells": (lambda: crafted.many_columns(rows=1, columns=101), "The file has more than 100 columns."),
    "a cell of 1,001 characters": (
        lambda: crafted.workbook(
            sheet_rows=[crafted.inline_row(crafted.HEADER), crafted.inline_row(["P1", "A" * 1001])]
        ),
        "Cell B2 has more than 1,000 characters.",
    ),
    "a shared string of 1,001 characters in every cell": (
        lambda: crafted.long_shared_string(length=999, rows=1),
        "Cell A2 has more than 1,000 characters.",
    ),
    "a million empty shared strings": (
        lambda: crafted.empty_shared_strings(count=1_000_001),
        "The Excel workbook holds more than 1,000,000 different texts.",
    ),
    "shared strings of 20 million characters": (
        shared_text_flood,
        "The texts in the Excel workbook are together longer than 20,000,000 characters.",
    ),
    "64,001 cell formats": (
        lambda: crafted.many_styles(formats=64_001),
        "The Excel workbook has more than 64,000 cell formats.",
    ),
    "a million empty rows": (
        lambda: crafted.workbook(sheet_rows=[*crafted.header_rows(), *crafted.repeated(b"<row/>", 1_000_000)]),
        "The file has more than 100,000 rows.",
    ),
    "rows that all claim to be row 1": (lambda: crafted.tiny_rows(rows=10), "The Excel workbook cannot be read"),
    "elements nested 100 deep": (lambda: crafted.deep_nesting(depth=100), "The Excel workbook cannot be read"),
    "entities in a DOCTYPE (billion laughs)": (crafted.billion_laughs, "The Excel workbook cannot be read"),
}


@pytest.mark.parametrize("attack", REFUSED)
def test_a_crafted_workbook_is_refused_naming_the_limit_and_nothing_is_kept(hr_client, attack):
    build, expected = REFUSED[attack]

    assert refusal(hr_client, build()).startswith(expected)


def test_the_limit_is_named_in_dutch_for_a_dutch_reader(hr_client, hr):
    hr.language = "nl"
    hr.save(update_fields=["language"])

    message = refusal(hr_client, crafted.empty_shared_strings(count=1_000_001))

    assert message == (
        "De Excel-werkmap bevat meer dan 1.000.000 verschillende teksten. Splits hem in kleinere bestanden."
    )


def test_a_workbook_larger_than_the_limit_once_unpacked_is_refused_naming_it(hr_client, monkeypatch):
    monkeypatch.setattr(xlsx_parts, "XLSX_MAX_UNPACKED_BYTES", 1024 * 1024)
    padded = crafted.workbook(sheet_rows=[*crafted.header_rows(), b" " * (2 * 1024 * 1024)])

    assert refusal(hr_client, padded).startswith("The Excel workbook is larger than 1 MB once unpacked.")


def test_reading_stops_at_the_row_limit_however_many_rows_follow(monkeypatch):
    rows_started = count_calls(monkeypatch, import_xlsx._SheetReader, "_row_start")
    content = crafted.workbook(sheet_rows=[*crafted.header_rows(), *crafted.repeated(b"<row/>", 1_000_000)])

    with translation.override("en"), pytest.raises(importing.ImportFormatError, match="more than 100,000 rows"):
        list(table_rows(content, "export.xlsx"))

    assert len(rows_started) == importing.MAX_ROWS + 2  # the row past the limit is the last one looked at


def test_reading_stops_at_the_element_limit(monkeypatch):
    monkeypatch.setattr(xlsx_parts, "MAX_XML_ELEMENTS", 10_000)
    elements = count_calls(monkeypatch, xlsx_parts.PartReader, "element_start")
    content = crafted.workbook(sheet_rows=[*crafted.header_rows(), *crafted.repeated(b"<x/>", 1_000_000)])

    with pytest.raises(importing.ImportFormatError, match="more than 10,000 XML elements"):
        list(table_rows(content, "export.xlsx"))

    assert len(elements) == 10_001  # over the workbook, its relationships and the sheet


def test_empty_cells_far_away_are_not_read_as_thousands_of_empty_cells():
    content = crafted.empty_far_cells(rows=3)

    rows = list(table_rows(content, "export.xlsx"))

    assert rows == [crafted.HEADER, ["P"], ["P"], ["P"]]


def test_a_huge_claimed_dimension_reads_only_the_rows_there_are():
    rows = list(table_rows(crafted.huge_dimension(), "export.xlsx"))

    assert rows == [crafted.HEADER, crafted.FIRST_ROW]


# --- CSV ----------------------------------------------------------------------------------------------


def test_a_csv_with_a_value_in_column_101_is_refused(hr_client):
    content = csv_bytes([[*row(), *([""] * 91), "extra"]])

    assert refusal(hr_client, content, "export.csv").startswith("The file has more than 100 columns.")


def test_a_csv_with_empty_cells_past_column_100_is_read(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([[*row(), *([""] * 200)]]))

    assert Newcomer.objects.count() == 0
    assert hr_client.get(reverse("import_preview", args=[batch.pk])).context["counts"]["create"] == 1


def test_a_csv_cell_longer_than_1000_characters_is_refused_naming_the_cell(hr_client):
    content = csv_bytes([row(number="P1"), row(number="P2", given="A" * 1001)])

    assert refusal(hr_client, content, "export.csv").startswith("Cell B3 has more than 1,000 characters.")
