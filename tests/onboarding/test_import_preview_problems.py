"""The import preview names each problem beside the person's name, not in a column off to the right."""

import pytest
from django.urls import reverse

from tests.html_tree import Element, parse
from tests.onboarding.test_import import csv_bytes, row
from tests.onboarding.test_import_views import uploaded_batch

pytestmark = pytest.mark.django_db


def cells(table_row: Element) -> list[Element]:
    return [cell for cell in table_row.children if isinstance(cell, Element) and cell.tag in {"td", "th"}]


def test_each_problem_sits_beside_the_name_in_both_tables(hr_client):
    content = csv_bytes([row(number="P1", given="Bram", surname="Bakker", start="31-02-2026"), row(number="P2")])
    batch = uploaded_batch(hr_client, content)

    page = parse(hr_client.get(reverse("import_preview", args=[batch.pk])))

    rows_table = page.by_id("rows")
    headers = [th.text for th in rows_table.find("thead").find_all("th")]
    assert headers.index("Wijzigingen en problemen") <= headers.index("Naam") + 2
    bram = next(tr for tr in rows_table.find("tbody").find_all("tr") if "Bram Bakker" in tr.text)
    texts = [cell.text for cell in cells(bram)]
    name_at = texts.index("Bram Bakker")
    assert "31-02-2026" in texts[name_at + 2] and "geen bestaande datum" in texts[name_at + 2]
    problem = cells(page.by_id("problems").find("tbody").find("tr"))
    assert [cell.text for cell in problem][:2] == ["2", "Bram Bakker"]
    assert "start_date" in problem[2].text and "geen bestaande datum" in problem[2].text
