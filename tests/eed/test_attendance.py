"""The ceremony day: the attendance sheet closes the ceremony and leaves a legal record."""

import re

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eed.ceremonies import services
from eed.enums import CeremonyState, Outcome
from eed.models import Appointment, Certificate, Correction
from eed.proofs.attendance import AttendanceRefused
from onboarding.enums import Status
from onboarding.models import Newcomer
from onboarding.newcomers.selectors import with_status
from tests.eed.ceremony_day import absent, assign, ceremony_on, newcomer, record, taken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def status_of(person) -> str:
    return with_status(Newcomer.objects.filter(pk=person.pk), today=timezone.localdate()).get().status


def sheet_post(appointments, rows, *, step: str = "") -> dict:
    """The attendance formset as the browser posts it; ``rows`` maps appointment to its fields.

    ``step="record"`` is the review page's "Record and close", ``"back"`` its "Back to the sheet";
    without a step it is the sheet's own submit, which leads to the review."""
    data = {"form-TOTAL_FORMS": str(len(appointments)), "form-INITIAL_FORMS": str(len(appointments))}
    if step:
        data["step"] = step
    for index, appointment in enumerate(appointments):
        data[f"form-{index}-appointment"] = str(appointment.pk)
        for name, value in rows[appointment.pk].items():
            data[f"form-{index}-{name}"] = value
    return data


@pytest.fixture
def day(hr, manager, other_manager):
    """Yesterday's ceremony with three newcomers (in sheet order: Aksoy, Berg, Visser)."""
    ceremony = ceremony_on(-1)
    people = [
        newcomer(manager, given_names="Ayşe", surname="Aksoy"),
        newcomer(other_manager, given_names="Jan Pieter", surname_prefix="van der", surname="Berg"),
        newcomer(manager, given_names="Sem", surname="Visser", started_days_ago=80),
    ]
    appointments = [
        assign(ceremony, people[0], hr, form="affirmation"),
        assign(ceremony, people[1], hr, form="oath"),
        assign(ceremony, people[2], hr, late_reason="ziek geweest"),
    ]
    return ceremony, people, appointments


def test_the_officiant_records_the_sheet_on_a_tablet_and_the_ceremony_is_held(day, manager):
    ceremony, _people, appointments = day
    officiant = ceremony.officiant
    client = Client()
    client.force_login(officiant)
    url = reverse("attendance_sheet", args=[ceremony.pk])

    page = client.get(url)
    forms = page.context["formset"].forms
    assert [form.initial["appointment"] for form in forms] == [a.pk for a in appointments]
    assert forms[0].initial["form_used"] == "affirmation"  # the newcomer's own choice
    assert forms[0].initial["witness_present"] == manager.pk  # the planned witness

    rows = {
        appointments[0].pk: {"outcome": "taken", "form_used": "affirmation", "witness_present": str(manager.pk)},
        appointments[1].pk: {"outcome": "taken", "form_used": "oath", "witness_present_name": "Karin de Vries"},
        appointments[2].pk: {"outcome": "absent"},
    }
    response = client.post(url, sheet_post(appointments, rows, step="record"))

    assert response.status_code == 302
    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.HELD
    first, second, third = (Appointment.objects.get(pk=a.pk) for a in appointments)
    assert (first.outcome, first.form_used, first.witness_present, first.recorded_by) == (
        "taken",
        "affirmation",
        manager,
        officiant,
    )
    assert (second.witness_present, second.witness_present_name) == (None, "Karin de Vries")
    assert third.outcome == Outcome.ABSENT and third.ended_at is not None
    year = timezone.localtime(ceremony.starts_at).year
    numbers = list(Certificate.objects.order_by("sequence").values_list("number", "appointment"))
    assert numbers == [(f"ZH-{year}-0001", first.pk), (f"ZH-{year}-0002", second.pk)]


def test_the_page_of_a_held_ceremony_shows_what_happened_not_what_was_planned(day, hr, hr_client):
    ceremony, _people, appointments = day
    services.witness_answer(appointment=appointments[1], by=appointments[1].witness, confirm=False,
                            substitute="Karin de Vries")  # fmt: skip
    record(ceremony, hr, [taken(appointments[0]), taken(appointments[1], witness_name="Karin de Vries"),
                          absent(appointments[2])])  # fmt: skip

    page = hr_client.get(reverse("ceremony_detail", args=[ceremony.pk])).content.decode()

    assert "Eed of belofte afgelegd: 2; afwezig: 1" in page
    for planned in ("Nog geen antwoord", "Stelt voor", "Wijzigen of verplaatsen", "Een nieuwkomer toevoegen"):
        assert planned not in page
    assert not re.search(r"bezet, \d+ vrij", page)  # the places left ("vrijdag" in a date may well appear)
    assert "Karin de Vries" in page  # as the witness who was present


def test_taken_means_sworn_and_absent_means_back_to_plan_with_the_same_deadline(day, hr):
    ceremony, people, appointments = day
    deadlines = [person.deadline for person in people]
    record(ceremony, hr, [taken(appointments[0]), absent(appointments[1]), absent(appointments[2])])

    assert status_of(people[0]) == Status.SWORN
    assert status_of(people[1]) == Status.TO_PLAN
    assert [Newcomer.objects.get(pk=p.pk).deadline for p in people] == deadlines
    # Visser started 80 days ago: past the two months, absent, so overdue again.
    assert status_of(people[2]) == Status.OVERDUE
    assert not people[1].appointments.filter(ended_at__isnull=True).exists()


def test_the_newcomer_list_filters_the_sworn(day, hr, hr_client):
    ceremony, people, appointments = day
    record(ceremony, hr, [taken(appointments[0]), absent(appointments[1]), absent(appointments[2])])

    response = hr_client.get(reverse("newcomer_list"), {"status": "sworn"})

    assert [row.record.pk for row in response.context["table"].rows] == [people[0].pk]


def test_a_second_submit_is_refused_and_changes_nothing(day, hr, hr_client):
    ceremony, _people, appointments = day
    record(ceremony, hr, [taken(appointments[0]), taken(appointments[1]), absent(appointments[2])])

    with pytest.raises(AttendanceRefused, match="correctie"):
        record(ceremony, hr, [absent(appointments[0]), absent(appointments[1])])
    page = hr_client.post(reverse("attendance_sheet", args=[ceremony.pk]), {"form-TOTAL_FORMS": "0"})

    assert page.status_code == 200 and "formset" not in page.context
    assert {c.appointment_id for c in Certificate.objects.all()} == {appointments[0].pk, appointments[1].pk}
    assert Appointment.objects.get(pk=appointments[0].pk).outcome == Outcome.TAKEN


def test_a_taken_oath_needs_its_form_and_the_witness_present(day, hr_client):
    ceremony, _people, appointments = day
    rows = {
        appointments[0].pk: {"outcome": "taken", "form_used": "", "witness_present": ""},
        appointments[1].pk: {"outcome": "absent"},
        appointments[2].pk: {"outcome": "absent"},
    }

    page = hr_client.post(reverse("attendance_sheet", args=[ceremony.pk]), sheet_post(appointments, rows))

    assert page.status_code == 200
    errors = page.context["formset"].forms[0].errors
    assert set(errors) == {"form_used", "witness_present"}
    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.PLANNED and not Certificate.objects.exists()


def test_a_sheet_opened_before_a_change_of_participants_is_refused(day, hr):
    ceremony, _people, appointments = day
    late = assign(ceremony, newcomer(given_names="Late", surname="Komer"), hr)

    with pytest.raises(AttendanceRefused, match="opnieuw"):
        record(ceremony, hr, [taken(a) for a in appointments[:2]] + [absent(appointments[2])])
    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.PLANNED
    assert Appointment.objects.get(pk=late.pk).outcome == ""


def test_a_ceremony_that_has_not_taken_place_cannot_be_recorded(hr, manager):
    ceremony = ceremony_on(7)
    appointment = assign(ceremony, newcomer(manager), hr)

    with pytest.raises(AttendanceRefused, match="nog niet plaatsgevonden"):
        record(ceremony, hr, [taken(appointment)])


def test_no_proof_is_dated_before_the_newcomer_started(day, hr):
    ceremony, people, appointments = day
    # The ceremony was moved to a day before Berg started (a change of ceremony is checked in issue #15 too).
    Newcomer.objects.filter(pk=people[1].pk).update(start_date=timezone.localdate())

    with pytest.raises(AttendanceRefused, match="Jan Pieter van der Berg: Deze beëdiging ligt vóór de startdatum"):
        record(ceremony, hr, [taken(a) for a in appointments])

    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.PLANNED
    assert not Certificate.objects.filter(appointment__ceremony=ceremony).exists()


def test_only_hr_and_the_ceremonys_officiant_open_the_sheet(day, manager_client, outsider_client):
    ceremony, _people, _appointments = day
    url = reverse("attendance_sheet", args=[ceremony.pk])

    assert manager_client.get(url).status_code == 403  # a witness sees the ceremony, not the sheet
    assert outsider_client.get(url).status_code == 404


def test_a_sworn_newcomer_cannot_be_planned_again_or_taken_out(day, hr):
    ceremony, people, appointments = day
    record(ceremony, hr, [taken(appointments[0]), absent(appointments[1]), absent(appointments[2])])
    later = ceremony_on(20)

    with pytest.raises(services.AssignmentRefused, match="al afgelegd"):
        services.appointment_assign(newcomer=people[0], ceremony=later, by=hr)
    with pytest.raises(ValidationError, match="correctie"):
        services.appointment_remove(appointment=appointments[0], by=hr)
    # The absentee is planned again like anyone to plan.
    services.appointment_assign(newcomer=people[1], ceremony=later, by=hr)


def test_a_taken_oath_cannot_be_deleted_nor_its_proof_silently_changed(day, hr):
    ceremony, people, appointments = day
    record(ceremony, hr, [taken(appointments[0]), absent(appointments[1]), absent(appointments[2])])
    appointment = Appointment.objects.get(pk=appointments[0].pk)

    with pytest.raises(ProtectedError):
        appointment.delete()
    with pytest.raises(ProtectedError):
        Newcomer.objects.filter(pk=people[0].pk).delete()
    with pytest.raises(ValueError, match="immutable"):
        Certificate.objects.filter(appointment=appointment).update(full_name="Someone Else")


def test_the_admin_shows_outcomes_and_proofs_read_only(rf):
    request = rf.get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    for model in (Appointment, Certificate, Correction):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def _held_with(count, hr, managers):
    ceremony = ceremony_on(-1)
    appointments = [
        assign(ceremony, newcomer(managers[index % len(managers)]), hr, form="oath") for index in range(count)
    ]
    return ceremony, appointments


def _count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["attendance_sheet", "ceremony_detail"])
def test_the_sheet_and_the_held_ceremony_cost_the_same_queries_for_2_or_12(hr, hr_client, manager, other_manager, page):
    counts = []
    for size in (2, 12):
        ceremony, appointments = _held_with(size, hr, [manager, other_manager])
        if page == "ceremony_detail":
            record(ceremony, hr, [taken(a) for a in appointments[:-1]] + [absent(appointments[-1])])
        counts.append(_count_queries(hr_client, reverse(page, args=[ceremony.pk])))

    assert counts[0] == counts[1]


def test_absentees_keep_their_place_in_the_history_of_the_newcomer_page(day, hr, hr_client):
    ceremony, people, appointments = day
    record(ceremony, hr, [taken(appointments[0]), absent(appointments[1]), absent(appointments[2])])

    page = hr_client.get(reverse("newcomer_detail", args=[people[1].pk])).content.decode()

    assert "status--absent" in page
    assert "status--to_plan" in page


# --- the review before recording (issue #15 item 8) -------------------------------------------------------


def _hidden_fields(response) -> dict:
    return dict(re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', response.content.decode()))


def _review_rows(day, manager):
    _ceremony, _people, appointments = day
    return {
        appointments[0].pk: {"outcome": "taken", "form_used": "affirmation", "witness_present": str(manager.pk)},
        appointments[1].pk: {"outcome": "taken", "form_used": "oath", "witness_present_name": "Karin de Vries"},
        appointments[2].pk: {"outcome": "absent"},
    }


def test_a_valid_sheet_is_shown_for_review_before_anything_is_recorded(day, manager, hr_client):
    ceremony, _people, appointments = day
    url = reverse("attendance_sheet", args=[ceremony.pk])

    review = hr_client.post(url, sheet_post(appointments, _review_rows(day, manager)))

    assert review.status_code == 200 and "eed/attendance_review.html" in [t.name for t in review.templates]
    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.PLANNED and not Certificate.objects.exists()
    assert not Appointment.objects.exclude(outcome="").exists()
    page = " ".join(re.sub(r"<[^>]+>", " ", review.content.decode()).split())
    assert "Eed of belofte afgelegd: 2 nieuwkomers" in page and "Afwezig: 1 nieuwkomer" in page
    assert "Ayşe Aksoy Belofte Mehmet Yilmaz" in page
    assert "Jan Pieter van der Berg Eed Karin de Vries" in page
    assert "2 bewijzen worden uitgegeven, elk met een eigen nummer" in page
    assert "Dit kan niet ongedaan worden gemaakt" in page and "correctie" in page
    hidden = _hidden_fields(review)
    assert hidden["form-1-witness_present_name"] == "Karin de Vries" and hidden["form-2-outcome"] == "absent"

    recorded = hr_client.post(url, hidden | {"step": "record"})

    assert recorded.status_code == 302
    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.HELD
    assert Certificate.objects.count() == 2


def test_back_to_the_sheet_keeps_what_was_filled_in_and_records_nothing(day, manager, hr_client):
    ceremony, _people, appointments = day
    url = reverse("attendance_sheet", args=[ceremony.pk])
    review = hr_client.post(url, sheet_post(appointments, _review_rows(day, manager)))

    back = hr_client.post(url, _hidden_fields(review) | {"step": "back"})

    assert back.status_code == 200 and "eed/attendance_sheet.html" in [t.name for t in back.templates]
    forms = back.context["formset"].forms
    assert forms[1]["witness_present_name"].value() == "Karin de Vries"
    assert forms[2]["outcome"].value() == "absent"
    ceremony.refresh_from_db()
    assert ceremony.state == CeremonyState.PLANNED and not Certificate.objects.exists()


def test_recording_twice_from_the_review_is_refused_and_issues_no_second_proof(day, manager, hr_client):
    ceremony, _people, appointments = day
    url = reverse("attendance_sheet", args=[ceremony.pk])
    confirmed = sheet_post(appointments, _review_rows(day, manager), step="record")
    hr_client.post(url, confirmed)

    again = hr_client.post(url, confirmed)

    assert again.status_code == 200 and "formset" not in again.context
    assert any("al vastgelegd" in str(message) for message in again.context["messages"])
    assert Certificate.objects.count() == 2


def test_a_review_of_a_sheet_that_misses_a_newcomer_is_refused(day, hr, manager, hr_client):
    ceremony, _people, appointments = day
    rows = _review_rows(day, manager)
    late = assign(ceremony, newcomer(given_names="Late", surname="Komer"), hr)

    response = hr_client.post(reverse("attendance_sheet", args=[ceremony.pk]), sheet_post(appointments, rows))

    assert "eed/attendance_review.html" not in [t.name for t in response.templates]
    assert any("opnieuw" in str(message) for message in response.context["messages"])
    assert Appointment.objects.get(pk=late.pk).outcome == ""
