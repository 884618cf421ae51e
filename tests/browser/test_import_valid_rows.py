"""HR starts from the template, uploads it with two bad rows, imports the valid rows and downloads the rows left
out, at 1280 px in Chromium, with axe on every page on the way."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from onboarding.models import Newcomer
from tests.browser.conftest import DESKTOP, axe_check, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = [
    ["P800001", "Anna", "", "Jansen", "anna.jansen@example.org", "01-03-2026", "medewerker", "", "", "", ""],
    ["P800002", "Bram", "van der", "Berg", "bram.berg@example.org", "31-02-2026", "trainee", "", "", "", ""],
    ["P800003", "Cem", "", "Çelik", "geen-adres", "01-03-2026", "medewerker", "", "", "", ""],
    ["P800004", "Dewi", "", "Pranoto", "dewi.pranoto@example.org", "15-03-2026", "griffie", "", "", "", "en"],
]


def downloaded(page, link_name: str, filename: str) -> io.BytesIO:
    """The file the link downloads (the browser names it ``filename``)."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    assert info.value.suggested_filename == filename
    return io.BytesIO(Path(info.value.path()).read_bytes())


def page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_hr_imports_the_valid_rows_of_a_filled_in_template_and_downloads_the_rows_left_out(
    page, context, live_server, hr
):
    sign_in(context, live_server, hr)
    page.goto(reverse("import_upload"))
    axe_check(page, "import upload with the template")
    screenshot(page, "v-import-upload-template")

    template = downloaded(page, "Sjabloon als Excel-werkmap (.xlsx)", "sjabloon-import-nieuwkomers.xlsx")
    workbook = openpyxl.load_workbook(template)
    assert workbook.sheetnames == ["Nieuwkomers", "Toelichting"]
    for cells in ROWS:
        workbook.active.append(cells)
    filled = io.BytesIO()
    workbook.save(filled)
    page.set_input_files(
        "input[type=file]", {"name": "nieuw.xlsx", "mimeType": "application/octet-stream", "buffer": filled.getvalue()}
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/newcomers/import/\d+/$"))

    button = page.get_by_role("button", name="2 rijen importeren, 3 weglaten")
    assert button.is_visible()
    assert page.locator("#problems tbody tr").count() == 3  # the example row and the two bad ones
    assert page_width(page) <= DESKTOP["width"]
    axe_check(page, "import preview with problems and the valid rows to import")
    screenshot(page, "v-import-preview-valid-rows")

    with page.expect_navigation():
        button.click()
    assert page.get_by_role("heading", name="Weggelaten rijen").is_visible()
    assert page.get_by_text("3 rijen met problemen zijn niet geïmporteerd.").is_visible()
    assert sorted(Newcomer.objects.values_list("personnel_number", flat=True)) == ["P800001", "P800004"]
    assert page_width(page) <= DESKTOP["width"]
    axe_check(page, "import applied with rows left out")
    screenshot(page, "v-import-applied-rows-left-out")

    rows_left_out = downloaded(page, "Rijen met problemen downloaden (Excel, .xlsx)", "nieuw-rijen-met-problemen.xlsx")
    left_out = openpyxl.load_workbook(rows_left_out).active
    lines = list(left_out.iter_rows(values_only=True))
    assert lines[0][:3] == ("Problemen", "personeelsnummer", "voornamen")
    assert [line[1] for line in lines[1:]] == ["VOORBEELD", "P800002", "P800003"]
    assert "geen bestaande datum" in lines[2][0] and "geen geldig e-mailadres" in lines[3][0]
