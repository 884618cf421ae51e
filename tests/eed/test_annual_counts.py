"""The annual figures, computed from held ceremonies, declarations and dilemma sessions."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from eed.counts.figures import annual_counts, counts_for_years
from eed.counts.report import annual_paragraph
from tests.downloads import body, csv_rows, workbook
from tests.eed.annual_history import history_2021_2022, hold
from tests.factories import NewcomerFactory, OfficiantFactory
from tests.pdf_checks import assert_pdfa_2b

pytestmark = pytest.mark.django_db


@pytest.fixture
def officiant(db):
    return OfficiantFactory(griffie=True).user


@pytest.fixture
def year_2022(hr, officiant, mailbox):
    return history_2021_2022(hr=hr, officiant=officiant, mailbox=mailbox)


def test_the_figures_come_from_the_records(year_2022):
    counts = annual_counts(year=2022)

    assert counts["sworn"] == {"employee": 3, "trainee": 2, "griffie": 1, "total": 6}
    assert counts["by_form"] == {"oath": 3, "affirmation": 3}
    assert counts["on_time"]["count"] == 5 and counts["on_time"]["share"] == round(5 / 6, 4)
    assert counts["not_sworn_by_deadline"] == 2  # the absentee, and the one sworn after the deadline
    assert counts["declarations_signed"] == 1
    assert counts["dilemma_game_participants"] == {"ceremony": 0, "team": 42, "total": 42}
    assert counts["previous_year"]["year"] == 2021
    assert counts["previous_year"]["sworn"]["total"] == 1
    assert counts["previous_year"]["dilemma_game_participants"]["total"] == 5


def test_a_ceremony_around_new_years_midnight_counts_in_its_local_year_and_on_its_local_date(hr, officiant):
    """At 00:30 on 1 January in The Hague it is still 31 December in UTC, the time the database keeps."""
    new_year, old_year = (
        NewcomerFactory(start_date=datetime.date(2022, 11, 1), deadline=datetime.date(2023, 1, 1)) for _ in range(2)
    )
    for person, day, at, form in (
        (new_year, datetime.date(2023, 1, 1), datetime.time(0, 30), "oath"),
        (old_year, datetime.date(2022, 12, 31), datetime.time(23, 30), "affirmation"),
    ):
        hold(day=day, at=at, people=[person], forms=[form], officiant=officiant, hr=hr)

    figures = counts_for_years([2022, 2023])

    assert figures[2022]["by_form"] == {"oath": 0, "affirmation": 1}
    assert figures[2023]["by_form"] == {"oath": 1, "affirmation": 0}
    assert figures[2023]["on_time"] == {"count": 1, "share": 1.0}  # sworn on the day of the deadline
    assert figures[2023]["not_sworn_by_deadline"] == 0


def test_the_command_prints_exactly_the_promised_keys(year_2022):
    out = io.StringIO()
    call_command("annual_counts", "--year", "2022", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())

    keys = {
        "year",
        "sworn",
        "by_form",
        "on_time",
        "not_sworn_by_deadline",
        "declarations_signed",
        "dilemma_game_participants",
    }
    assert set(data) == keys | {"previous_year"}
    assert set(data["previous_year"]) == keys
    assert set(data["sworn"]) == {"employee", "trainee", "griffie", "total"}
    assert set(data["dilemma_game_participants"]) == {"ceremony", "team", "total"}


def test_the_dutch_paragraph_reads_like_the_annual_report(year_2022):
    out = io.StringIO()
    call_command("annual_counts", "--year", "2022", "--format", "text", stdout=out)

    assert out.getvalue().startswith(
        "In 2022 legden 3 medewerkers, 2 trainees en 1 medewerkers van de griffie de eed of belofte af."
    )
    assert "42 medewerkers" in out.getvalue()
    assert annual_paragraph(annual_counts(year=2022), language="en").startswith("In 2022, 3 employees")


def test_csv_from_the_command(year_2022):
    out = io.StringIO()
    call_command("annual_counts", "--year", "2022", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows[0] == ["figure", "2022", "2021"]
    assert len(rows) == 14


def test_a_handful_of_queries_whatever_the_number_of_records(year_2022):
    with CaptureQueriesContext(connection) as captured:
        annual_counts(year=2022)
    assert len(captured) <= 5


def test_the_page_computes_its_figures_once_for_the_chart_and_the_table(hr_client, year_2022):
    """The table's two years are among the chart's: one computation, the queries of annual_counts and the
    page's own (session, user, roles), not one set for the table and another for the chart."""
    hr_client.get(reverse("annual_counts"), {"year": 2022})
    with CaptureQueriesContext(connection) as captured:
        assert hr_client.get(reverse("annual_counts"), {"year": 2022}).status_code == 200
    counting = [q for q in captured if "eed_appointment" in q["sql"] or "eed_dilemmasession" in q["sql"]]
    assert len(counting) == 3  # taken oaths, not sworn by the deadline, dilemma participants: once each


def test_hr_page_with_table_chart_and_exports(hr_client, year_2022):
    page = hr_client.get(reverse("annual_counts"), {"year": 2022})
    html = page.content.decode()

    assert page.status_code == 200
    assert "In 2022 legden 3 medewerkers" in html
    assert "<svg" in html and 'role="img"' in html
    assert not re.search(r'(x|y|width|height)="-?\d+,\d', html), "SVG coordinates must not use a decimal comma"
    csv_export = hr_client.get(reverse("annual_counts"), {"year": 2022, "export": "csv"})
    assert csv_export["Content-Type"].startswith("text/csv")
    xlsx = workbook(hr_client.get(reverse("annual_counts"), {"year": 2022, "export": "xlsx"}))
    assert [cell.value for cell in next(xlsx.active.iter_rows(max_row=1))][1:] == ["2022", "2021"]
    pdf = hr_client.get(reverse("annual_counts"), {"year": 2022, "export": "pdf"})
    assert_pdfa_2b(pdf.content)
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert pdf["Content-Type"] == "application/pdf"
    assert "In 2022 legden 3 medewerkers" in text.replace("\n", " ")


def test_the_exports_keep_the_figures_numbers_and_quote_every_field(hr_client, year_2022):
    csv_export = hr_client.get(reverse("annual_counts"), {"year": 2022, "export": "csv"})
    xlsx = workbook(hr_client.get(reverse("annual_counts"), {"year": 2022, "export": "xlsx"}))

    assert all(line.startswith('"') and line.endswith('"') for line in body(csv_export).decode()[1:].splitlines())
    header, *rows = csv_rows(csv_export)
    assert header == ["Cijfer", "2022", "2021"]
    share = next(row for row in rows if row[0].startswith("Aandeel"))
    assert share[1] == "83,3", "a decimal comma, as Dutch Excel reads numbers"
    assert next(row for row in rows if row[0] == "Medewerkers beëdigd")[1] == "3"
    figures = [cell for row in xlsx.active.iter_rows(min_row=2, min_col=2) for cell in row]
    assert all(cell.data_type == "n" for cell in figures)
    assert 83.3 in [cell.value for cell in figures]


def test_only_hr_sees_the_figures(manager_client, officiant_client):
    assert manager_client.get(reverse("annual_counts")).status_code == 403
    assert officiant_client.get(reverse("annual_counts")).status_code == 403


def test_a_garbage_year_falls_back_to_last_year(hr_client):
    assert hr_client.get(reverse("annual_counts"), {"year": "twintig"}).status_code == 200


def test_hr_reaches_the_annual_figures_from_the_menu_and_the_dashboard(hr_client, manager_client):
    dashboard = hr_client.get(reverse("dashboard")).content.decode()
    link = f'href="{reverse("annual_counts")}"'

    assert dashboard.count(link) == 2  # the menu and the dashboard's actions
    assert hr_client.get(reverse("annual_counts")).status_code == 200
    assert link not in manager_client.get(reverse("dashboard")).content.decode()
