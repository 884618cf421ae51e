"""'Everyone took it' on the attendance sheet (issue #15 item 2).

One button, no JavaScript: the sheet comes back with every row taken, each newcomer's own choice of form
and their planned witness present; HR or the officiant changes the exceptions and goes on through the
review as before.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from eed.enums import CeremonyState, Outcome
from eed.models import Appointment
from tests.eed.ceremony_day import assign, ceremony_on, newcomer
from tests.eed.test_attendance import sheet_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(hr, manager, other_manager):
    """Yesterday's ceremony: Aksoy chose the affirmation, Berg the oath, Visser nothing yet."""
    ceremony = ceremony_on(-1)
    appointments = [
        assign(ceremony, newcomer(manager, given_names="Ayşe", surname="Aksoy"), hr, form="affirmation"),
        assign(ceremony, newcomer(other_manager, given_names="Jan", surname="Berg"), hr, form="oath"),
        assign(ceremony, newcomer(manager, given_names="Sem", surname="Visser"), hr),
    ]
    return ceremony, appointments


def checked(html: str, name: str) -> str | None:
    """The value of the checked radio button called ``name``."""
    found = re.search(rf'<input type="radio" name="{re.escape(name)}" value="(\w+)"[^>]*checked', html)
    return found.group(1) if found else None


def value_of(html: str, name: str) -> str:
    return re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html).group(1)


def test_the_sheet_offers_the_button_and_is_not_filled_without_it(day, hr_client):
    ceremony, _appointments = day

    page = hr_client.get(reverse("attendance_sheet", args=[ceremony.pk])).content.decode()

    assert re.search(r'<form method="get"[^>]*>\s*<button type="submit" name="fill" value="taken"', page)
    assert "Iedereen heeft afgelegd: vul alle rijen in" in page
    assert [checked(page, f"form-{index}-outcome") for index in range(3)] == [None, None, None]


def test_everyone_took_it_fills_every_row_with_the_chosen_form_and_the_planned_witness(
    day, hr_client, manager, other_manager
):
    ceremony, _appointments = day

    response = hr_client.get(reverse("attendance_sheet", args=[ceremony.pk]), {"fill": "taken"})

    page = response.content.decode()
    assert [checked(page, f"form-{index}-outcome") for index in range(3)] == ["taken", "taken", "taken"]
    assert [checked(page, f"form-{index}-form_used") for index in range(3)] == ["affirmation", "oath", None]
    assert value_of(page, "form-0-witness_present") == "Mehmet Yilmaz (manager@example.org)"
    assert value_of(page, "form-1-witness_present") == "Olga Bakker (other.manager@example.org)"
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Elke rij is ingevuld als afgelegd" in text
    assert "1 nieuwkomer heeft nog niet gekozen tussen eed en belofte" in text and "Sem Visser" in text
    assert ceremony.appointments.filter(outcome="").count() == 3  # nothing recorded by filling in


def test_the_officiant_adjusts_the_exceptions_and_records_through_the_review(day, manager, other_manager):
    ceremony, appointments = day
    client = Client()
    client.force_login(ceremony.officiant)
    url = reverse("attendance_sheet", args=[ceremony.pk])
    filled = client.get(url, {"fill": "taken"}).context["formset"]
    rows = {}
    for form, appointment in zip(filled.forms, appointments, strict=True):
        rows[appointment.pk] = {name: form[name].value() or "" for name in ("outcome", "form_used", "witness_present")}
    rows[appointments[2].pk] = {"outcome": "absent"}  # Visser did not come

    review = client.post(url, sheet_post(appointments, rows))

    assert review.status_code == 200
    assert "Eed of belofte afgelegd: 2 nieuwkomers" in review.content.decode()
    recorded = client.post(url, sheet_post(appointments, rows, step="record"))
    assert recorded.status_code == 302
    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.HELD
    results = {a.pk: (a.outcome, a.form_used, a.witness_present) for a in Appointment.objects.filter(ceremony=ceremony)}
    assert results == {
        appointments[0].pk: (Outcome.TAKEN, "affirmation", manager),
        appointments[1].pk: (Outcome.TAKEN, "oath", other_manager),
        appointments[2].pk: (Outcome.ABSENT, "", None),
    }


def test_a_filled_row_without_a_form_still_needs_one(day, hr_client):
    ceremony, appointments = day
    url = reverse("attendance_sheet", args=[ceremony.pk])
    filled = hr_client.get(url, {"fill": "taken"}).context["formset"]
    rows = {
        appointment.pk: {name: form[name].value() or "" for name in ("outcome", "form_used", "witness_present")}
        for form, appointment in zip(filled.forms, appointments, strict=True)
    }

    response = hr_client.post(url, sheet_post(appointments, rows))

    assert response.status_code == 200
    assert "eed of belofte" in response.content.decode().lower()
    assert response.context["formset"].forms[2].errors["form_used"]
    assert ceremony.appointments.filter(outcome="").count() == 3
