"""People pickers list who can play the part, and search without JavaScript (issue #15 item 3).

The witness on the add form and the substitute witness are managers (the declined witness left out, the
substitute they proposed preselected); the witness present on the attendance sheet is the planned witness
or a manager. Each picker is a text input with a datalist, read back by e-mail, "Name (address)" or a
full name; nobody else is accepted.
"""

import re

import pytest
from django.urls import reverse

from eed.ceremonies import services
from eed.enums import WitnessAnswer
from eed.models import Appointment
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, record, taken
from tests.eed.test_attendance import sheet_post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def datalists(html: str) -> dict[str, list[str]]:
    """Each datalist of the page: its id and the values it offers, in order."""
    return {
        list_id: re.findall(r'<option value="([^"]*)">', body)
        for list_id, body in re.findall(r'<datalist id="([^"]+)">(.*?)</datalist>', html, re.S)
    }


def input_value(html: str, name: str) -> str | None:
    found = re.search(rf'<input type="text" name="{name}"[^>]*?value="([^"]*)"', html)
    return found.group(1) if found else None


@pytest.fixture
def cast(hr, manager, other_manager, officiant):
    """Everyone a careless dropdown would offer: HR, an officiant, an inactive manager, a colleague without a role."""
    return {
        "inactive": UserFactory(
            email="gone@example.org", first_name="Gert", last_name="Weg", roles=["Manager"], is_active=False
        ),
        "colleague": UserFactory(email="collega@example.org", first_name="Cor", last_name="Collega", roles=[]),
    }


MANAGERS = ["Olga Bakker (other.manager@example.org)", "Mehmet Yilmaz (manager@example.org)"]


# --- the witness on the add form ------------------------------------------------------------------------


def test_the_add_forms_witness_picker_offers_the_managers_only(hr_client, cast, manager):
    ceremony = ceremony_on(14)
    newcomer(manager)

    page = hr_client.get(reverse("ceremony_detail", args=[ceremony.pk])).content.decode()

    assert '<select name="witness"' not in page
    assert re.search(r'<input type="text" name="witness"[^>]*list="id_witness-list"', page)
    assert datalists(page)["id_witness-list"] == MANAGERS


def test_a_witness_who_is_no_manager_is_refused_and_nobody_is_added(hr_client, hr, cast, manager):
    ceremony = ceremony_on(14)
    person = newcomer(manager)
    url = reverse("appointment_add", args=[ceremony.pk])

    for typed in ("hr@example.org", "collega@example.org", "gone@example.org", str(hr.pk)):
        response = hr_client.post(url, {"newcomer": person.pk, "witness": typed})
        assert response.status_code == 200, typed
        assert response.context["assign_form"].errors["witness"], typed
    assert not Appointment.objects.exists()


def test_the_witness_is_found_by_what_was_typed_without_javascript(hr_client, manager, other_manager):
    ceremony = ceremony_on(14, capacity=10)
    url = reverse("appointment_add", args=[ceremony.pk])

    for typed in ("Olga Bakker (other.manager@example.org)", "OTHER.MANAGER@example.org", "  olga   bakker "):
        person = newcomer(manager)
        assert hr_client.post(url, {"newcomer": person.pk, "witness": typed}).status_code == 302, typed
        assert person.appointments.get().witness == other_manager

    partial = hr_client.post(url, {"newcomer": newcomer(manager).pk, "witness": "Bakk"})
    assert partial.status_code == 200
    (error,) = partial.context["assign_form"].errors["witness"]
    assert "Bedoelt u: Olga Bakker (other.manager@example.org)?" in error


def test_two_managers_with_one_name_are_told_apart_by_address(hr_client, manager):
    UserFactory(email="m.yilmaz@example.org", first_name="Mehmet", last_name="Yilmaz", roles=["Manager"])
    ceremony = ceremony_on(14)
    person = newcomer(manager)

    url = reverse("appointment_add", args=[ceremony.pk])
    response = hr_client.post(url, {"newcomer": person.pk, "witness": "Mehmet Yilmaz"})

    (error,) = response.context["assign_form"].errors["witness"]
    assert "Meer dan één persoon heet" in error and "m.yilmaz@example.org" in error and "manager@example.org" in error


# --- the substitute witness -----------------------------------------------------------------------------


@pytest.fixture
def declined(hr, manager):
    """The manager declined and proposed a colleague (set per test)."""
    appointment = assign(ceremony_on(14), newcomer(manager, given_names="Zoë", surname="Özdemir"), hr)

    def decline(substitute: str):
        services.witness_answer(appointment=appointment, by=manager, confirm=False, substitute=substitute)
        return appointment

    return decline


def test_the_replacement_offers_managers_but_not_the_one_who_declined(hr_client, declined, cast):
    appointment = declined("")

    page = hr_client.get(reverse("witness_replace", args=[appointment.pk])).content.decode()

    assert '<select name="witness"' not in page
    assert datalists(page)["id_witness-list"] == ["Olga Bakker (other.manager@example.org)"]
    assert input_value(page, "witness") is None


@pytest.mark.parametrize(
    "proposed", ["Olga Bakker", "other.manager@example.org", "Olga Bakker <other.manager@example.org>"]
)
def test_the_proposed_substitute_is_preselected_when_it_names_a_manager(hr_client, declined, other_manager, proposed):
    appointment = declined(proposed)

    page = hr_client.get(reverse("witness_replace", args=[appointment.pk])).content.decode()

    assert input_value(page, "witness") == "Olga Bakker (other.manager@example.org)"
    assert "Die collega is hieronder al ingevuld." in page
    url = reverse("witness_replace", args=[appointment.pk])
    response = hr_client.post(url, {"witness": input_value(page, "witness")})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.witness == other_manager and appointment.witness_answer == WitnessAnswer.PENDING


def test_a_proposal_that_names_nobody_known_is_shown_not_preselected(hr_client, declined, cast):
    appointment = declined("Piet de Vries")

    page = hr_client.get(reverse("witness_replace", args=[appointment.pk])).content.decode()

    assert "Piet de Vries" in page and "Geen leidinggevende in dit systeem komt overeen" in page
    assert input_value(page, "witness") is None


def test_the_declined_witness_cannot_be_asked_again_through_the_form(hr_client, declined, manager):
    appointment = declined("")

    response = hr_client.post(reverse("witness_replace", args=[appointment.pk]), {"witness": manager.email})

    assert response.status_code == 200 and response.context["form"].errors["witness"]
    appointment.refresh_from_db()
    assert appointment.witness_answer == WitnessAnswer.DECLINED


# --- the witness present on the attendance sheet ------------------------------------------------------


@pytest.fixture
def sheet(hr, manager, cast):
    """Yesterday's ceremony: one newcomer with their manager as witness, one with a colleague HR picked."""
    ceremony = ceremony_on(-1)
    first = assign(ceremony, newcomer(manager, surname="Aksoy"), hr, form="oath")
    second = assign(ceremony, newcomer(manager, surname="Berg"), hr, form="oath", witness=cast["colleague"])
    return ceremony, [first, second]


def test_the_sheet_sends_one_list_planned_witnesses_first_then_managers(hr_client, sheet):
    ceremony, _appointments = sheet

    page = hr_client.get(reverse("attendance_sheet", args=[ceremony.pk])).content.decode()

    assert "<select" not in page
    planned_first = [
        "Mehmet Yilmaz (manager@example.org)",
        "Cor Collega (collega@example.org)",
        "Olga Bakker (other.manager@example.org)",
    ]
    assert datalists(page) == {"sheet-witnesses": planned_first}
    assert page.count('list="sheet-witnesses"') == 2
    assert input_value(page, "form-1-witness_present") == "Cor Collega (collega@example.org)"


def test_the_witness_present_must_be_a_planned_witness_or_a_manager(hr_client, hr, sheet, other_manager):
    ceremony, appointments = sheet
    url = reverse("attendance_sheet", args=[ceremony.pk])
    rows = {
        appointments[0].pk: {"outcome": "taken", "form_used": "oath", "witness_present": "hr@example.org"},
        appointments[1].pk: {"outcome": "taken", "form_used": "oath", "witness_present": "collega@example.org"},
    }

    refused = hr_client.post(url, sheet_post(appointments, rows))

    assert refused.status_code == 200
    assert list(refused.context["formset"].forms[0].errors) == ["witness_present"]
    assert not refused.context["formset"].forms[1].errors
    rows[appointments[0].pk]["witness_present"] = "Olga Bakker (other.manager@example.org)"
    assert hr_client.post(url, sheet_post(appointments, rows, step="record")).status_code == 302
    assert Appointment.objects.get(pk=appointments[0].pk).witness_present == other_manager


def test_the_sheet_with_hundreds_of_managers_sends_the_list_once(hr_client, sheet):
    ceremony, _appointments = sheet
    UserFactory.create_batch(300, roles=["Manager"])

    page = hr_client.get(reverse("attendance_sheet", args=[ceremony.pk])).content.decode()

    assert page.count("<datalist") == 1
    assert len(datalists(page)["sheet-witnesses"]) == 303


# --- the witness present in a correction ----------------------------------------------------------------


def test_a_correction_names_a_manager_or_the_appointments_own_witness_present(hr, hr_client, manager, cast):
    ceremony = ceremony_on(-1)
    sworn = assign(ceremony, newcomer(manager, surname="Aksoy"), hr, form="oath", witness=cast["colleague"])
    record(ceremony, hr, [taken(sworn)])
    url = reverse("appointment_correct", args=[sworn.pk])

    page = hr_client.get(url).content.decode()
    assert input_value(page, "witness_present") == "Cor Collega (collega@example.org)"
    offered = datalists(page)["id_witness_present-list"]
    assert "Cor Collega (collega@example.org)" in offered and not any("hr@example.org" in o for o in offered)
    fields = {"outcome": "taken", "form_used": "affirmation", "reason": "Belofte"}

    refused = hr_client.post(url, {**fields, "witness_present": "hr@example.org"})
    kept = hr_client.post(url, {**fields, "witness_present": "collega@example.org"})

    assert refused.status_code == 200 and refused.context["form"].errors["witness_present"]
    assert kept.status_code == 302
    assert Appointment.objects.get(pk=sworn.pk).witness_present == cast["colleague"]
