"""A taken oath changes only by an explicit correction with a reason; the original values are kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from eed.enums import Outcome
from eed.models import Appointment, Certificate, Correction
from eed.proofs.corrections import appointment_correct
from eed.proofs.documents import certificate_pdf
from onboarding.enums import Status
from onboarding.models import AuditEntry, Newcomer
from onboarding.newcomers.selectors import with_status
from tests.eed.ceremony_day import absent, assign, ceremony_on, newcomer, pdf_text, record, taken

pytestmark = pytest.mark.django_db


def status_of(person) -> str:
    return with_status(Newcomer.objects.filter(pk=person.pk), today=timezone.localdate()).get().status


@pytest.fixture
def held(hr, manager):
    """Yesterday: Ayşe took the oath, Sem was absent."""
    ceremony = ceremony_on(-1)
    ayse = assign(ceremony, newcomer(manager, given_names="Ayşe", surname="Aksoy"), hr, form="oath")
    sem = assign(ceremony, newcomer(manager, given_names="Sem", surname="Visser"), hr, form="oath")
    record(ceremony, hr, [taken(ayse), absent(sem)])
    return Appointment.objects.get(pk=ayse.pk), Appointment.objects.get(pk=sem.pk)


def valid_certificate(appointment):
    return Certificate.objects.filter(appointment=appointment, revoked_at__isnull=True).first()


def test_a_wrong_form_is_corrected_the_old_proof_revoked_and_a_new_one_issued(held, hr):
    ayse, _sem = held
    old = valid_certificate(ayse)

    correction = appointment_correct(appointment=ayse, by=hr, reason="Zij legde de belofte af", form_used="affirmation")

    old.refresh_from_db()
    new = valid_certificate(ayse)
    assert old.revoked_at is not None and old.revoked_reason == "Zij legde de belofte af"
    assert new.number != old.number and new.verification_code != old.verification_code
    assert new.form == "affirmation" and "Bewijs van belofte" in pdf_text(certificate_pdf(new))
    assert correction.before["form_used"] == "oath" and correction.after["form_used"] == "affirmation"
    assert (correction.revoked_certificate, correction.issued_certificate) == (old, new)
    assert AuditEntry.objects.filter(action="appointment.correct", target_id=str(ayse.pk)).exists()
    assert status_of(ayse.newcomer) == Status.SWORN


def test_the_history_on_the_newcomer_page_shows_the_reason_and_both_values(held, hr, hr_client):
    ayse, _sem = held
    old = valid_certificate(ayse)

    response = hr_client.post(
        reverse("appointment_correct", args=[ayse.pk]),
        {
            "outcome": "taken",
            "form_used": "affirmation",
            "witness_present": ayse.witness_present_id,
            "reason": "Belofte",
        },
    )

    assert response.status_code == 302
    page = hr_client.get(reverse("newcomer_detail", args=[ayse.newcomer_id])).content.decode()
    assert "Belofte" in page and old.number in page and valid_certificate(ayse).number in page
    assert "status--revoked" in page
    assert "form_used" in page


def test_taken_corrected_to_absent_sends_the_newcomer_back_to_plan(held, hr):
    ayse, _sem = held
    old = valid_certificate(ayse)

    appointment_correct(appointment=ayse, by=hr, reason="Verkeerd aangevinkt", outcome=Outcome.ABSENT)

    ayse.refresh_from_db()
    old.refresh_from_db()
    assert ayse.ended_at is not None and old.revoked_at is not None
    assert valid_certificate(ayse) is None
    assert status_of(ayse.newcomer) == Status.TO_PLAN


def test_absent_corrected_to_taken_issues_a_proof_unless_planned_elsewhere(held, hr, manager):
    _ayse, sem = held

    appointment_correct(
        appointment=sem, by=hr, reason="Was er wel", outcome=Outcome.TAKEN, form_used="oath", witness_present=manager
    )

    sem.refresh_from_db()
    assert sem.ended_at is None and valid_certificate(sem) is not None
    assert status_of(sem.newcomer) == Status.SWORN


def test_absent_corrected_to_taken_is_refused_when_already_planned_again(held, hr, manager):
    _ayse, sem = held
    assign(ceremony_on(10), sem.newcomer, hr)

    with pytest.raises(ValidationError, match="andere beëdiging"):
        appointment_correct(
            appointment=sem,
            by=hr,
            reason="Was er wel",
            outcome=Outcome.TAKEN,
            form_used="oath",
            witness_present=manager,
        )


def test_what_the_proof_does_not_print_is_corrected_without_a_new_proof(held, hr):
    ayse, _sem = held
    before = valid_certificate(ayse)

    correction = appointment_correct(appointment=ayse, by=hr, reason="Aangepast", adapted_manner_used="Met tolk")

    assert valid_certificate(ayse) == before
    assert correction.issued_certificate is None and correction.after["adapted_manner_used"] == "Met tolk"


def test_a_misspelt_name_is_put_right_and_the_proof_reissued(held, hr):
    ayse, _sem = held
    old = valid_certificate(ayse)
    Newcomer.objects.filter(pk=ayse.newcomer_id).update(surname="Aksoy-Şahin")

    correction = appointment_correct(appointment=ayse, by=hr, reason="Achternaam gecorrigeerd")

    new = valid_certificate(ayse)
    assert new.full_name == "Ayşe Aksoy-Şahin" and new.public_name == "A. Aksoy-Şahin"
    assert correction.before["printed_name"] == old.full_name
    assert correction.after["printed_name"] == new.full_name


def test_a_correction_needs_a_reason_a_change_and_known_fields(held, hr):
    ayse, _sem = held

    with pytest.raises(ValidationError):
        appointment_correct(appointment=ayse, by=hr, reason="  ", form_used="affirmation")
    with pytest.raises(ValidationError, match="niets te corrigeren"):
        appointment_correct(appointment=ayse, by=hr, reason="Niets", form_used="oath")
    with pytest.raises(TypeError):
        appointment_correct(appointment=ayse, by=hr, reason="Datum", recorded_at=timezone.now())
    assert not Correction.objects.exists()
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 0


def test_only_hr_corrects(held, manager_client):
    ayse, _sem = held
    assert manager_client.get(reverse("appointment_correct", args=[ayse.pk])).status_code == 403
