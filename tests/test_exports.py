"""Every CSV and XLSX the application offers, opened as HR opens it: CSV as Dutch Excel splits it (`;`, after
its BOM), workbooks with openpyxl (cell types, sheet name, frozen header with a filter, column widths).
Exports are streamed with a constant number of queries (core/exports.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.exports import csv_chunks, csv_field
from onboarding.enums import Kind
from onboarding.models import DeclarationRequest
from tests.downloads import body, csv_rows, workbook
from tests.eed.annual_history import history_2021_2022
from tests.factories import NewcomerFactory, OfficiantFactory
from tests.onboarding.declaration_support import send_link
from tests.onboarding.test_import import csv_bytes, row, xlsx_bytes
from tests.onboarding.test_import_views import uploaded_batch

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 3, 2, 10, 30, tzinfo=AMSTERDAM)
NEWCOMER_HEADER = [
    "Naam",
    "Personeelsnr.",
    "Soort",
    "Datum in dienst",
    "Uiterste datum",
    "Status",
    "Leidinggevende",
    "E-mail",
]
MARCH_1 = datetime.date(2026, 3, 1)
HOSTILE_SURNAME = '=HYPERLINK("http://evil.example","klik")'

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def newcomers(manager):
    return [
        NewcomerFactory(
            given_names="Zoë", surname="Çelik", start_date=datetime.date(2026, 2, 16), manager=manager, email="z@x.nl"
        ),
        NewcomerFactory(given_names="Aap", surname=HOSTILE_SURNAME, start_date=MARCH_1),
        NewcomerFactory(given_names="Noot", surname="@SUM(A1)", kind=Kind.TRAINEE, start_date=MARCH_1),
    ]


@pytest.fixture
def figures_2022(hr, mailbox):
    """The held history of the annual figures (an officiant for both bodies, as there)."""
    return history_2021_2022(hr=hr, officiant=OfficiantFactory(griffie=True).user, mailbox=mailbox)


def newcomer_export(client, export_format, **params):
    return client.get(reverse("newcomer_list"), {"_export": export_format, **params})


def by_name(rows, start):
    return next(line for line in rows if line[0].startswith(start))


# --- CSV ---------------------------------------------------------------------------------------------


def test_the_newcomer_csv_splits_into_the_tables_columns_in_dutch_excel(hr_client, newcomers):
    response = newcomer_export(hr_client, "csv")

    assert isinstance(response, StreamingHttpResponse)
    header, *rows = csv_rows(response)
    assert header == NEWCOMER_HEADER
    assert len(rows) == 3 and all(len(line) == len(header) for line in rows)
    assert by_name(rows, "Çelik") == [
        "Çelik, Zoë",
        newcomers[0].personnel_number,
        "Medewerker",
        "16-02-2026",
        "16-04-2026",
        "In te plannen",
        "manager@example.org",
        "z@x.nl",
    ]
    assert by_name(rows, "'=HYPERLINK")[0] == f"'{HOSTILE_SURNAME}, Aap", "a formula stays text"
    assert by_name(rows, "'@SUM")[0] == "'@SUM(A1), Noot"


def test_the_csv_keeps_the_users_sort_and_filter(hr_client, newcomers):
    _header, *rows = csv_rows(newcomer_export(hr_client, "csv", sort="-name", kind="employee"))

    assert [line[0] for line in rows] == ["Çelik, Zoë", f"'{HOSTILE_SURNAME}, Aap"]


def test_the_annual_figures_csv_writes_a_decimal_comma_and_counts_as_integers(hr_client, figures_2022):
    header, *rows = csv_rows(hr_client.get(reverse("annual_counts"), {"year": 2022, "export": "csv"}))

    assert header == ["Cijfer", "2022", "2021"]
    assert by_name(rows, "Aandeel binnen de termijn") == ["Aandeel binnen de termijn (%)", "83,3", "100,0"]
    assert by_name(rows, "Medewerkers beëdigd")[1] == "3"


def test_the_csv_is_for_dutch_excel_whatever_the_interface_language(hr_client, hr, figures_2022):
    """A `;` file is split into columns only by an Excel with `;` as its list separator, which is the Excel of
    a region with a decimal comma: the English interface gets the same file, with English headers."""
    hr.language = "en"
    hr.save(update_fields=["language"])

    header, *rows = csv_rows(hr_client.get(reverse("annual_counts"), {"year": 2022, "export": "csv"}))

    assert header == ["Figure", "2022", "2021"]
    assert by_name(rows, "Share sworn on time")[1] == "83,3"


def test_the_declaration_csv_writes_the_times_as_the_tables_do(hr_client, mailbox):
    external = NewcomerFactory(kind=Kind.EXTERNAL, given_names="Evi", surname="@Extern")
    send_link(external, mailbox=mailbox)

    header, *rows = csv_rows(hr_client.get(reverse("declaration_list"), {"_export": "csv"}))

    assert header[:5] == ["Naam", "Personeelsnr.", "Datum in dienst", "Verklaring", "Verstuurd"]
    [line] = rows
    assert line[0] == "'@Extern, Evi"
    assert line[header.index("Verstuurd")] == "02-03-2026 10:30"


def test_the_rows_left_out_and_the_template_are_dutch_excel_csv_too(hr_client):
    batch = uploaded_batch(hr_client, csv_bytes([row(number="P1"), row(number="P2", given="=1+1", email="x")]))

    header, line = csv_rows(hr_client.get(reverse("import_left_out", args=[batch.pk])))
    template_header, example = csv_rows(hr_client.get(reverse("import_template", args=["csv"])))

    assert header[0] == "Problemen" and line[2] == "'=1+1"
    assert template_header[0] == "personeelsnummer" and len(example) == len(template_header)


def test_numbers_get_a_decimal_comma_and_text_is_neutralised_after_every_split():
    assert [csv_field(value) for value in (100.0, 83.3, -1.5, 3, 0)] == ["100,0", "83,3", "-1,5", "3", "0"]
    assert csv_field(datetime.date(2026, 1, 12)) == "12-01-2026"
    assert csv_field("a;=1+1") == "a;'=1+1"
    assert csv_field("x, -2") == "x, '-2"
    assert csv_field(None) == ""


def test_the_csv_is_written_in_chunks_of_rows():
    chunks = list(csv_chunks(["a"], ([n] for n in range(5)), chunk_rows=2))

    assert chunks == ['"a"\r\n"0"\r\n"1"\r\n', '"2"\r\n"3"\r\n', '"4"\r\n']


# --- Query counts --------------------------------------------------------------------------------------


def queries_for(client, url, params) -> tuple[int, int]:
    """(queries, rows) of a download, read to its end inside the count."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        content = body(response)
    return len(queries), content.count(b"\r\n") if params.get("_export") == "csv" else len(content)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_newcomer_export_costs_the_same_queries_for_10_and_50_newcomers(hr_client, manager, export_format):
    NewcomerFactory.create_batch(10, manager=manager)
    url, params = reverse("newcomer_list"), {"_export": export_format}
    queries_for(hr_client, url, params)  # warm up
    small, small_size = queries_for(hr_client, url, params)

    NewcomerFactory.create_batch(40, manager=manager)
    large, large_size = queries_for(hr_client, url, params)

    assert large == small
    assert large_size > small_size


def test_the_declaration_export_costs_the_same_queries_for_10_and_50_externals(hr_client, mailbox):
    def add(count):
        for external in NewcomerFactory.create_batch(count, kind=Kind.EXTERNAL):
            send_link(external, mailbox=mailbox)

    add(10)
    url, params = reverse("declaration_list"), {"_export": "csv"}
    queries_for(hr_client, url, params)
    small, small_rows = queries_for(hr_client, url, params)
    add(40)
    large, large_rows = queries_for(hr_client, url, params)

    assert (large, large_rows - small_rows) == (small, 40)


# --- XLSX ----------------------------------------------------------------------------------------------


def assert_laid_out(sheet, *, title: str, columns: str, rows: int):
    """Named sheet, bold header frozen with a filter over the data, widths from the content."""
    assert sheet.title == title
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{columns}{rows + 1}"
    assert all(cell.font.b for cell in sheet[1])
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
    assert all(4 <= width <= 62 for width in widths), widths


def test_the_newcomer_workbook_has_date_cells_and_text_never_a_formula(hr_client, newcomers):
    sheet = workbook(newcomer_export(hr_client, "xlsx")).active

    assert_laid_out(sheet, title="Nieuwkomers", columns="H", rows=3)
    header = [cell.value for cell in sheet[1]]
    assert header == NEWCOMER_HEADER
    zoe = next(line for line in sheet.iter_rows(min_row=2) if line[0].value == "Çelik, Zoë")
    start = zoe[header.index("Datum in dienst")]
    assert start.is_date and start.value == datetime.datetime(2026, 2, 16)
    assert start.number_format == "dd-mm-yyyy"
    hostile = [line[0] for line in sheet.iter_rows(min_row=2) if line[0].value.startswith(("=", "@"))]
    assert {cell.value for cell in hostile} == {f"{HOSTILE_SURNAME}, Aap", "@SUM(A1), Noot"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["C"].width, "the names are wider"


def test_the_declaration_workbook_holds_the_times_as_local_date_cells(hr_client, mailbox):
    send_link(NewcomerFactory(kind=Kind.EXTERNAL), mailbox=mailbox)
    expires = timezone.localtime(DeclarationRequest.objects.get().expires_at).replace(tzinfo=None)

    sheet = workbook(hr_client.get(reverse("declaration_list"), {"_export": "xlsx"})).active

    assert_laid_out(sheet, title="Integriteitsverklaringen", columns="J", rows=1)
    header = [cell.value for cell in sheet[1]]
    sent, valid_until = sheet.cell(2, header.index("Verstuurd") + 1), sheet.cell(2, header.index("Link geldig tot") + 1)
    assert sent.value == datetime.datetime(2026, 3, 2, 10, 30) and sent.number_format == "dd-mm-yyyy hh:mm"
    assert valid_until.value == expires.replace(microsecond=0)
    assert sheet.cell(2, header.index("Ondertekend") + 1).value is None


def test_the_annual_figures_workbook_holds_numbers(hr_client, figures_2022):
    sheet = workbook(hr_client.get(reverse("annual_counts"), {"year": 2022, "export": "xlsx"})).active

    assert_laid_out(sheet, title="Jaarcijfers 2022", columns="C", rows=13)
    figures = {line[0].value: (line[1].value, line[2].value) for line in sheet.iter_rows(min_row=2)}
    assert figures["Medewerkers beëdigd"][0] == 3
    assert all(isinstance(value, int) for value in figures["Totaal beëdigd"])
    assert figures["Aandeel binnen de termijn (%)"][0] == 83.3


def test_the_rows_left_out_and_the_template_are_laid_out_workbooks(hr_client):
    content = xlsx_bytes([row(number="P1"), row(number="P2", email="geen-adres"), row(number="P3", start="x")])
    batch = uploaded_batch(hr_client, content, name="export.xlsx")

    left_out = workbook(hr_client.get(reverse("import_left_out", args=[batch.pk]))).active
    template = workbook(hr_client.get(reverse("import_template", args=["xlsx"])))

    assert_laid_out(left_out, title="Rijen met problemen", columns="J", rows=2)
    assert template.sheetnames == ["Nieuwkomers", "Toelichting"]
    assert_laid_out(template["Nieuwkomers"], title="Nieuwkomers", columns="K", rows=1)
