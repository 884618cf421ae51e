"""After the ceremony the newcomer's link says what they took, when, and their proof's number; it changes nothing.

Before the sheet records the outcome the link is closed once the ceremony is over (tests/eed/test_links_and_feeds.py);
an absentee's link stays closed (they get a new one with their next ceremony), and so does an anonymised one.
"""

import pytest
from django.urls import reverse

from eed.ceremonies import services
from eed.models import Appointment, Certificate
from eed.proofs.corrections import appointment_correct
from onboarding.models import AuditEntry
from tests.eed.ceremony_day import absent, ceremony_on, newcomer, record, taken
from tests.html import text_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(hr, manager):
    """Sanne Visser's appointment in yesterday's ceremony, and the raw token of the link she was mailed."""
    ceremony = ceremony_on(-1, place="Provinciehuis, zaal 3")
    person = newcomer(manager, given_names="Sanne", surname="Visser")
    appointment, raw = services.appointment_assign(newcomer=person, ceremony=ceremony, by=hr, witness=manager)
    services.appointment_newcomer_choose(appointment=appointment, form="affirmation")
    return appointment, raw


def test_after_the_affirmation_the_link_says_what_when_and_the_proof_number(client, hr, booked):
    appointment, raw = booked
    record(appointment.ceremony, hr, [taken(appointment, form="affirmation")])
    certificate = Certificate.objects.get(appointment=appointment)

    page = client.get(reverse("newcomer_link", args=[raw]))

    assert page.status_code == 200
    text = text_in(page.content.decode())
    day = appointment.ceremony.day
    assert "Sanne, uw eed of belofte" in text
    assert "U hebt op" in text and "de belofte afgelegd" in text
    assert f"{day.day} " in text and str(day.year) in text
    assert "Provinciehuis, zaal 3" in text
    assert f"Nummer van het bewijs {certificate.number}" in text
    assert 'name="form"' not in page.content.decode()  # nothing left to choose
    assert page["Referrer-Policy"] == "no-referrer" and "no-store" in page["Cache-Control"]


def test_after_the_oath_it_says_oath_in_english_when_asked(client, hr, booked):
    appointment, raw = booked
    record(appointment.ceremony, hr, [taken(appointment, form="oath")])

    client.post(reverse("language_set"), {"language": "en", "next": "/"})
    text = text_in(client.get(reverse("newcomer_link", args=[raw])).content.decode())

    assert "You took the oath on" in text
    assert "Form Oath" in text


def test_a_post_to_the_sworn_link_changes_nothing(client, hr, booked):
    appointment, raw = booked
    record(appointment.ceremony, hr, [taken(appointment, form="affirmation")])
    entries = AuditEntry.objects.count()

    response = client.post(reverse("newcomer_link", args=[raw]), {"form": "oath", "attending": "on"})

    assert response.status_code == 200
    appointment.refresh_from_db()
    assert (appointment.form, appointment.form_used) == ("affirmation", "affirmation")
    assert AuditEntry.objects.count() == entries


def test_a_corrected_proof_shows_its_new_number(client, hr, booked):
    appointment, raw = booked
    record(appointment.ceremony, hr, [taken(appointment, form="affirmation")])
    first = Certificate.objects.get(appointment=appointment)
    appointment_correct(appointment=Appointment.objects.get(pk=appointment.pk), by=hr, reason="oath", form_used="oath")
    second = Certificate.objects.get(appointment=appointment, revoked_at__isnull=True)

    text = text_in(client.get(reverse("newcomer_link", args=[raw])).content.decode())

    assert second.number != first.number
    assert second.number in text and first.number not in text
    assert "de eed afgelegd" in text


def test_an_absentees_link_stays_closed(client, hr, booked):
    appointment, raw = booked
    record(appointment.ceremony, hr, [absent(appointment)])

    assert client.get(reverse("newcomer_link", args=[raw])).status_code == 404


def test_an_anonymised_newcomers_link_shows_nothing(client, hr, booked):
    appointment, raw = booked
    record(appointment.ceremony, hr, [taken(appointment, form="affirmation")])
    appointment.newcomer.__class__.objects.filter(pk=appointment.newcomer_id).update(
        anonymised_at=appointment.created_at
    )

    page = client.get(reverse("newcomer_link", args=[raw]))

    assert page.status_code == 404
    assert "Sanne" not in page.content.decode()


def test_another_ceremonys_sworn_link_does_not_open_this_one(client, hr, manager, booked):
    _appointment, raw = booked
    other = ceremony_on(-2)
    other_appointment, other_raw = services.appointment_assign(newcomer=newcomer(manager), ceremony=other, by=hr)
    services.appointment_newcomer_choose(appointment=other_appointment, form="oath")
    record(other, hr, [taken(other_appointment)])

    assert client.get(reverse("newcomer_link", args=[raw])).status_code == 404  # not yet recorded, and over
    assert client.get(reverse("newcomer_link", args=[other_raw])).status_code == 200
