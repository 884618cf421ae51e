"""HR registers newcomers and sees who must take the oath by when; managers see their own."""

import csv
import datetime
import io
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from onboarding.enums import AppointingBody, Kind
from onboarding.models import AuditEntry, Newcomer
from tests.factories import NewcomerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("core.clock.local_today", lambda: TODAY)


def _form_data(**overrides):
    data = {
        "given_names": "Jan",
        "surname_prefix": "van der",
        "surname": "Berg",
        "email": "Jan.vanderBerg@Example.org",
        "personnel_number": " 104233 ",
        "start_date": "2027-01-31",
        "kind": "employee",
        "manager": "",
        "appointing_body": "civil_service",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_hr_registers_a_newcomer_and_the_deadline_follows_from_the_start_date(hr_client, hr, manager):
    response = hr_client.post(reverse("newcomer_create"), _form_data(manager=manager.pk))

    newcomer = Newcomer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("newcomer_detail", args=[newcomer.pk])
    assert newcomer.full_name == "Jan van der Berg"
    assert newcomer.personnel_number == "104233"
    assert newcomer.email == "jan.vanderberg@example.org"
    assert newcomer.deadline == datetime.date(2027, 3, 31)
    assert AuditEntry.objects.filter(action="newcomer.create", actor=hr, target_id=str(newcomer.pk)).exists()


def test_a_griffie_employee_registered_by_hand_is_sworn_in_by_the_griffier(hr_client):
    response = hr_client.post(reverse("newcomer_create"), _form_data(kind="griffie", appointing_body="civil_service"))

    assert response.status_code == 302
    assert Newcomer.objects.get().appointing_body == AppointingBody.GRIFFIE
    form = hr_client.get(reverse("newcomer_create")).content.decode()
    assert 'name="appointing_body"' not in form and "griffier" in form


def test_the_model_refuses_a_body_that_contradicts_the_kind(hr):
    newcomer = NewcomerFactory.build(kind=Kind.EMPLOYEE, appointing_body=AppointingBody.GRIFFIE)

    with pytest.raises(ValidationError) as refused:
        newcomer.full_clean()
    assert "appointing_body" in refused.value.message_dict


def test_a_second_submit_with_the_same_personnel_number_is_refused(hr_client):
    hr_client.post(reverse("newcomer_create"), _form_data())
    response = hr_client.post(reverse("newcomer_create"), _form_data(given_names="Janneke"))

    assert response.status_code == 200
    assert Newcomer.objects.count() == 1
    assert 'href="#id_personnel_number"' in response.content.decode()


def test_the_form_names_every_field_with_a_problem(hr_client):
    response = hr_client.post(reverse("newcomer_create"), _form_data(surname="", start_date="31-02-2027", email="nope"))

    html = response.content.decode()
    assert response.status_code == 200
    assert Newcomer.objects.count() == 0
    for field in ("surname", "start_date", "email"):
        assert f'href="#id_{field}"' in html
        assert f'aria-describedby="id_{field}_error"' in html or f'id="id_{field}_error"' in html


def test_editing_the_start_date_moves_the_deadline_and_is_audited(hr_client, hr):
    newcomer = NewcomerFactory(start_date=datetime.date(2026, 12, 1))
    data = _form_data(personnel_number=newcomer.personnel_number, start_date="2026-12-31")

    hr_client.post(reverse("newcomer_edit", args=[newcomer.pk]), data)

    newcomer.refresh_from_db()
    assert newcomer.deadline == datetime.date(2027, 2, 28)
    entry = AuditEntry.objects.get(action="newcomer.update")
    assert entry.changes["start_date"] == {"before": "2026-12-01", "after": "2026-12-31"}
    assert entry.changes["deadline"] == {"before": "2027-02-01", "after": "2027-02-28"}


@time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_status_is_derived_from_the_facts(hr_client):
    NewcomerFactory(surname="Overdue", start_date=datetime.date(2026, 9, 1))
    NewcomerFactory(surname="Fresh", start_date=datetime.date(2026, 11, 1))
    NewcomerFactory(surname="Extern", kind="external", start_date=datetime.date(2026, 9, 1))

    overdue = hr_client.get(reverse("newcomer_list"), {"status": "overdue"}).content.decode()
    to_plan = hr_client.get(reverse("newcomer_list"), {"status": "to_plan"}).content.decode()
    external = hr_client.get(reverse("newcomer_list"), {"status": "declaration_required"}).content.decode()

    assert "Overdue," in overdue and "Fresh," not in overdue and "Extern," not in overdue
    assert "Fresh," in to_plan and "Overdue," not in to_plan
    assert "Extern," in external and "Fresh," not in external


@time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_dashboard_counts_link_to_the_filtered_lists(hr_client):
    NewcomerFactory.create_batch(2, start_date=datetime.date(2026, 9, 1))  # deadline 1 Nov: overdue
    NewcomerFactory(start_date=datetime.date(2026, 10, 5))  # deadline 5 Dec: due within 14 days
    NewcomerFactory(start_date=datetime.date(2026, 11, 20))  # deadline 20 Jan: to plan

    response = hr_client.get(reverse("dashboard"))

    counts = response.context["counts"]
    assert (counts["overdue"], counts["due_soon"], counts["to_plan"]) == (2, 1, 2)
    html = response.content.decode()
    assert reverse("newcomer_list") + "?status=overdue" in html
    assert reverse("newcomer_list") + "?due_soon=true" in html
    due_soon = hr_client.get(reverse("newcomer_list"), {"due_soon": "true"})
    assert due_soon.context["table"].paginator.count == 1


def test_list_sorts_on_surname_without_prefix_and_searches_it(hr_client):
    NewcomerFactory(given_names="Anna", surname_prefix="van", surname="Zanten")
    NewcomerFactory(given_names="Piet", surname_prefix="de", surname="Boer")
    NewcomerFactory(given_names="Els", surname="Meijer")

    response = hr_client.get(reverse("newcomer_list"), {"sort": "name"})
    names = [row.record.surname for row in response.context["table"].rows]
    assert names == ["Boer", "Meijer", "Zanten"]

    found = hr_client.get(reverse("newcomer_list"), {"q": "zant"}).context["table"]
    assert [row.record.given_names for row in found.rows] == ["Anna"]


def test_filters_by_kind_manager_and_start_month(hr_client, manager, other_manager):
    NewcomerFactory(surname="Mine", manager=manager, start_date=datetime.date(2026, 10, 3))
    NewcomerFactory(surname="Theirs", manager=other_manager, start_date=datetime.date(2026, 11, 3))
    NewcomerFactory(surname="Trainee", kind="trainee", start_date=datetime.date(2026, 10, 20))

    def surnames(**params):
        table = hr_client.get(reverse("newcomer_list"), params).context["table"]
        return sorted(row.record.surname for row in table.rows)

    assert surnames(manager=manager.pk) == ["Mine"]
    assert surnames(kind="trainee") == ["Trainee"]
    assert surnames(start_month="2026-10") == ["Mine", "Trainee"]


def test_a_bad_filter_value_is_reported_not_a_crash(hr_client):
    response = hr_client.get(reverse("newcomer_list"), {"start_month": "oktober", "status": "nonsense", "page": "x"})
    assert response.status_code in (200, 404)
    assert response.status_code != 500


def test_export_has_the_filtered_rows_and_neutralises_formulas(hr_client):
    NewcomerFactory(given_names="Aap", surname='=HYPERLINK("http://evil")', kind="trainee")
    NewcomerFactory(surname="Noot", kind="employee")

    response = hr_client.get(reverse("newcomer_list"), {"kind": "trainee", "_export": "csv"})

    text = response.getvalue().decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "Aap" in text and "Noot" not in text
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and '"=HYPERLINK' not in text and ";=HYPERLINK" not in text


def test_xlsx_export_opens_with_the_same_rows(hr_client):
    NewcomerFactory(surname="@SUM(1)", given_names="Aap")
    response = hr_client.get(reverse("newcomer_list"), {"_export": "xlsx"})

    sheet = load_workbook(BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "@SUM(1), Aap" in rows[1]


# Pieces that become formulas when a spreadsheet splits the cell on , ; tab or |.
HOSTILE_PERSONNEL_NUMBER = "k;=1+1;"
HOSTILE_GIVEN_NAMES = 'Jan,=HYPERLINK("http://x")'
HOSTILE_SURNAME = "=cmd|' /C calc'!A0; \"+1\t-2 | @SUM(A1);\uff1d1"
SEPARATORS = [",", ";", "\t", "|"]
FORMULA_STARTS = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def _starts_a_formula(field: str) -> bool:
    return field.lstrip(' "').startswith(FORMULA_STARTS)


@pytest.mark.parametrize("separator", SEPARATORS)
def test_csv_export_has_no_formula_whatever_separator_excel_splits_on(hr_client, separator):
    NewcomerFactory(personnel_number=HOSTILE_PERSONNEL_NUMBER, given_names=HOSTILE_GIVEN_NAMES, surname=HOSTILE_SURNAME)

    text = hr_client.get(reverse("newcomer_list"), {"_export": "csv"}).getvalue().decode("utf-8-sig")

    fields = [field for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator) for field in row]
    assert [field for field in fields if _starts_a_formula(field)] == []
    # Read with its own separator the file still holds every cell whole (with the apostrophes).
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert "k;'=1+1;" in rows[1]


def test_xlsx_export_keeps_hostile_text_as_text_never_a_formula(hr_client):
    NewcomerFactory(personnel_number="=1+1", given_names=HOSTILE_GIVEN_NAMES, surname=HOSTILE_SURNAME)

    response = hr_client.get(reverse("newcomer_list"), {"_export": "xlsx"})

    sheet = load_workbook(BytesIO(response.getvalue())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = [cell.value for cell in cells]
    assert "=1+1" in values and f"{HOSTILE_SURNAME}, {HOSTILE_GIVEN_NAMES}" in values


def test_declaration_export_quotes_and_neutralises_every_cell(hr_client):
    NewcomerFactory(kind=Kind.EXTERNAL, personnel_number=HOSTILE_PERSONNEL_NUMBER, surname=HOSTILE_SURNAME)

    text = hr_client.get(reverse("declaration_list"), {"_export": "csv"}).getvalue().decode("utf-8-sig")

    for separator in SEPARATORS:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        assert not any(_starts_a_formula(field) for row in rows for field in row), separator


def test_manager_sees_only_their_own_newcomers(manager_client, manager, other_manager):
    mine = NewcomerFactory(surname="Mine", manager=manager)
    theirs = NewcomerFactory(surname="Theirs", manager=other_manager)

    listing = manager_client.get(reverse("newcomer_list")).content.decode()
    assert "Mine," in listing and "Theirs," not in listing
    assert manager_client.get(reverse("newcomer_detail", args=[mine.pk])).status_code == 200
    assert manager_client.get(reverse("newcomer_detail", args=[theirs.pk])).status_code == 404
    assert manager_client.get(reverse("newcomer_detail", args=[999999])).status_code == 404


def test_manager_cannot_register_or_edit(manager_client, manager):
    mine = NewcomerFactory(manager=manager)
    assert manager_client.get(reverse("newcomer_create")).status_code == 403
    assert manager_client.post(reverse("newcomer_edit", args=[mine.pk]), _form_data()).status_code == 403
    assert Newcomer.objects.get().given_names == mine.given_names


def test_officiants_and_outsiders_see_no_newcomer_list(officiant_client, outsider_client):
    newcomer = NewcomerFactory()
    for client in (officiant_client, outsider_client):
        assert client.get(reverse("newcomer_list")).status_code == 403
        assert client.get(reverse("newcomer_detail", args=[newcomer.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client):
    newcomer = NewcomerFactory()
    for url in (reverse("dashboard"), reverse("newcomer_list"), reverse("newcomer_detail", args=[newcomer.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
