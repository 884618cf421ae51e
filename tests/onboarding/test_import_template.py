"""The template HR starts an import from: Dutch column names, one example row that is never imported."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from onboarding.imports.columns import COLUMNS
from onboarding.imports.reading import example_only_message, parsed_import
from onboarding.models import ImportBatch, Newcomer
from tests.onboarding.test_import_views import text, upload, uploaded_batch

pytestmark = pytest.mark.django_db

NEW_ROW = ["P700001", "Fatima", "el", "Amrani", "f.elamrani@example.org", "01-04-2026", "trainee", "", "", "", "en"]


def template(client, export_format: str):
    return client.get(reverse("import_template", args=[export_format]))


def csv_template_rows(client) -> list[list[str]]:
    body = template(client, "csv").content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:], newline=""), delimiter=";"))


def test_the_upload_page_offers_the_template_as_workbook_and_as_csv(hr_client):
    page = text(hr_client.get(reverse("import_upload")))

    assert f'href="{reverse("import_template", args=["xlsx"])}"' in page
    assert f'href="{reverse("import_template", args=["csv"])}"' in page
    assert "Sjabloon als Excel-werkmap (.xlsx)" in page and "Sjabloon als CSV voor Excel (.csv)" in page
    assert "<td>e-mail_leidinggevende</td>" in page, "the column table still lists every column"


def test_the_csv_template_holds_the_dutch_column_names_and_one_example_row(hr_client):
    response = template(hr_client, "csv")
    header, *rows = csv_template_rows(hr_client)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sjabloon-import-nieuwkomers.csv"'
    assert header == list(COLUMNS.values())
    assert header[:6] == ["personeelsnummer", "voornamen", "tussenvoegsel", "achternaam", "e-mail", "datum_in_dienst"]
    assert len(rows) == 1 and rows[0][0] == "VOORBEELD"
    assert '"personeelsnummer";"voornamen"' in response.content.decode("utf-8"), "separated for Dutch Excel"


def test_the_workbook_template_explains_every_column_on_a_second_sheet(hr_client):
    response = template(hr_client, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))

    assert response["Content-Disposition"] == 'attachment; filename="sjabloon-import-nieuwkomers.xlsx"'
    assert workbook.sheetnames == ["Nieuwkomers", "Toelichting"]
    first = list(workbook["Nieuwkomers"].iter_rows(values_only=True))
    assert list(first[0]) == list(COLUMNS.values()) and first[1][0] == "VOORBEELD" and len(first) == 2
    explained = list(workbook["Toelichting"].iter_rows(values_only=True))
    assert explained[0] == ("Kolom (Nederlands)", "Kolom (Engels)", "Waarden")
    assert [line[0] for line in explained[1 : len(COLUMNS) + 1]] == list(COLUMNS.values())
    assert explained[1][2] == "verplicht, uniek"
    assert any("VOORBEELD wordt nooit geïmporteerd" in (line[0] or "") for line in explained)


def test_every_column_of_the_template_is_one_the_import_reads(hr_client):
    for export_format in ("csv", "xlsx"):
        result = parsed_import(template(hr_client, export_format).content, filename=f"t.{export_format}")
        assert result.ignored_headers == []
        assert set(result.headers) == set(COLUMNS)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_template_uploaded_untouched_is_refused_with_a_message_saying_so(hr_client, export_format):
    response = upload(hr_client, template(hr_client, export_format).content, name=f"sjabloon.{export_format}")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Dit is het sjabloon met alleen de voorbeeldrij. Zet uw nieuwkomers in de rijen onder de kolomnamen "
        "(de voorbeeldrij mag blijven staan of weg: die wordt nooit geïmporteerd) en upload het bestand daarna "
        "opnieuw."
    ]
    assert ImportBatch.objects.count() == 0 and Newcomer.objects.count() == 0


def test_a_filled_in_workbook_template_imports_the_newcomers_and_never_the_example(hr_client):
    workbook = openpyxl.load_workbook(io.BytesIO(template(hr_client, "xlsx").content))
    workbook.active.append(NEW_ROW)
    filled = io.BytesIO()
    workbook.save(filled)

    batch = uploaded_batch(hr_client, filled.getvalue(), name="sjabloon.xlsx")
    page = hr_client.get(reverse("import_preview", args=[batch.pk]))
    preview = text(page)
    hr_client.post(reverse("import_confirm_valid", args=[batch.pk]), {"valid": 1, "left_out": 1})

    assert page.context["counts"]["create"] == 1 and page.context["counts"]["problems"] == 1
    assert "Dit is de voorbeeldrij van het sjabloon; die wordt nooit geïmporteerd." in preview
    assert list(Newcomer.objects.values_list("personnel_number", "surname_prefix", "language")) == [
        ("P700001", "el", "en")
    ]


def test_the_example_row_is_never_imported_from_the_command_line_either():
    content = "personeelsnummer;voornamen;achternaam;e-mail;datum_in_dienst;soort\r\n"
    content += "voorbeeld;Anna;Berg;a@example.org;01-09-2026;medewerker\r\n"

    result = parsed_import(content.encode(), filename="t.csv")

    assert (result.file_errors, result.rows) == ([example_only_message()], [])


def test_a_template_in_another_format_is_not_found(hr_client):
    assert template(hr_client, "pdf").status_code == 404
