"""Adding a newcomer after their deadline keeps the choice and points at the reason to fill in;
the attendance sheet of a ceremony that has not taken place says so, with its date, instead of a form."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from eed.enums import CeremonyState
from eed.models import Appointment
from tests.eed.ceremony_day import assign, ceremony_on, newcomer
from tests.html_tree import parse

pytestmark = pytest.mark.django_db


def ticked(page) -> list[str]:
    """The newcomers ticked in the add list (the add form is a list with a checkbox each, issue #15)."""
    return [box.attrs["value"] for box in page.find_all("input", name="newcomer") if "checked" in box.attrs]


@pytest.fixture
def late_case(manager):
    """A ceremony in three days and a newcomer whose deadline passed twenty-odd days ago."""
    ceremony = ceremony_on(3)
    person = newcomer(manager, started_days_ago=80, given_names="Ayşe", surname="Kaya")
    return ceremony, person


def test_a_late_newcomer_without_a_reason_keeps_the_choice_and_marks_the_reason_field(hr_client, late_case):
    ceremony, person = late_case

    response = hr_client.post(reverse("appointment_add", args=[ceremony.pk]), {"newcomer": person.pk})

    assert response.status_code == 200
    assert not Appointment.objects.filter(newcomer=person).exists()
    page = parse(response)
    assert ticked(page) == [str(person.pk)]
    reason = page.find("textarea", name="late_reason")
    assert reason.attrs.get("aria-invalid") == "true"
    assert "id_late_reason_error" in reason.attrs["aria-describedby"].split()
    error = page.by_id("id_late_reason_error").text
    assert "Ayşe Kaya" in error and f"{person.deadline:%d-%m-%Y}" in error
    summary = page.find("div", class_="error-summary")
    assert summary.find("a", href="#id_late_reason") is not None
    assert page.find("input", name="newcomer").attrs.get("aria-invalid") is None  # the choice itself was fine


def test_with_the_reason_the_late_newcomer_is_added(hr_client, late_case):
    ceremony, person = late_case
    data = {"newcomer": person.pk, "late_reason": "Langdurig ziek na indiensttreding"}

    response = hr_client.post(reverse("appointment_add", args=[ceremony.pk]), data)

    assert response.status_code == 302
    assert Appointment.objects.get(newcomer=person).late_reason == "Langdurig ziek na indiensttreding"


def test_a_refusal_by_the_service_also_keeps_the_choice(hr_client, hr, manager, late_case):
    ceremony, person = late_case
    ceremony.capacity = 1
    ceremony.save(update_fields=["capacity"])
    assign(ceremony, newcomer(manager), hr)  # the last place is gone

    response = hr_client.post(
        reverse("appointment_add", args=[ceremony.pk]), {"newcomer": person.pk, "late_reason": "Ziek"}
    )

    page = parse(response)
    assert response.status_code == 200
    assert ticked(page) == [str(person.pk)]
    assert page.find("textarea", name="late_reason").text == "Ziek"
    assert "vol" in page.find("div", class_="error-summary").text  # "Deze beëdiging is vol; ..."


def test_the_sheet_of_a_ceremony_still_to_come_shows_its_date_instead_of_the_form(hr_client, hr, manager):
    ceremony = ceremony_on(7)
    assign(ceremony, newcomer(manager), hr)

    page = parse(hr_client.get(reverse("attendance_sheet", args=[ceremony.pk])))
    posted = hr_client.post(reverse("attendance_sheet", args=[ceremony.pk]), {"form-TOTAL_FORMS": "0"})

    with translation.override("nl"):
        day = date_format(timezone.localtime(ceremony.starts_at), "l j F Y")
    notice = page.by_id("not-yet")
    assert day in notice.text and "nog niet plaatsgevonden" in notice.text
    assert page.find("main").find("form", method="post") is None
    assert page.find("input", name="form-TOTAL_FORMS") is None
    assert posted.status_code == 200 and parse(posted).by_id("not-yet") is not None
    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.PLANNED


def test_the_sheet_of_todays_ceremony_is_the_form(hr_client, hr, manager):
    ceremony = ceremony_on(0)
    assign(ceremony, newcomer(manager), hr)

    page = parse(hr_client.get(reverse("attendance_sheet", args=[ceremony.pk])))

    assert page.by_id("not-yet") is None
    assert page.find("input", name="form-TOTAL_FORMS") is not None
