"""Plain text is not HTML: names and places reach mail subjects, bodies and invites as typed; HTML parts escape.

Every kind of mail is sent for "Anouk van 't Hof & Zn <b>" in a ceremony at "Koffie & thee", then parsed back
from its MIME bytes (and its calendar with the icalendar library).
"""

import datetime
import email
import re
from email import policy

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from eed.ceremonies import services
from eed.models import Appointment, ProgrammeItem
from onboarding.declarations.services import declaration_request_send
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory
from tests.onboarding.declaration_support import sign_data, sign_url, token_from

pytestmark = pytest.mark.django_db

NAME = "Anouk van 't Hof & Zn <b>"
PLACE = "Koffie & thee"
ORGANISATION = "Provincie Zuid-Holland & Co <i>"
HTML_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#x27|#39|#34);")


@pytest.fixture(autouse=True)
def _organisation(settings):
    settings.ORGANISATION_NAME = ORGANISATION


@pytest.fixture
def ceremony(db):
    ceremony = CeremonyFactory(officiant=OfficiantFactory().user, place=PLACE)
    ceremony.programme.set([ProgrammeItem.objects.create(name="Koffie & thee", position=1)])
    return ceremony


@pytest.fixture
def anouk(manager):
    return NewcomerFactory(
        given_names="Anouk", surname_prefix="van 't", surname="Hof & Zn <b>", email="anouk@example.org", manager=manager
    )


def parsed(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def subject_and_text(message) -> str:
    mime = parsed(message)
    return f"{mime['Subject']}\n{mime.get_body(preferencelist=('plain',)).get_content()}"


def assert_plain(message, *literals):
    """The subject and the text part hold each literal as typed, and no HTML entity at all."""
    text = subject_and_text(message)
    assert not HTML_ENTITY.search(text), text
    for literal in literals:
        assert literal in text


def assert_html_escapes(message, literal):
    html = parsed(message).get_body(preferencelist=("html",)).get_content()
    assert literal not in html
    assert literal.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#x27;") in html


def has_calendar(message) -> bool:
    return any(part.get_content_type() == "text/calendar" for part in parsed(message).walk())


def calendar_event(message):
    part = next(part for part in parsed(message).walk() if part.get_content_type() == "text/calendar")
    return next(iter(Calendar.from_ical(part.get_content()).walk("VEVENT")))


def sent_to(outbox, address, subject_part=""):
    return [m for m in outbox if m.to == [address] and subject_part in m.subject]


def test_assigning_sends_the_witness_request_link_and_invites_with_the_name_as_typed(hr, anouk, ceremony, mailbox):
    services.appointment_assign(newcomer=anouk, ceremony=ceremony, by=hr)
    outbox = mailbox()

    (witness_request,) = sent_to(outbox, "manager@example.org")
    assert_plain(witness_request, f"Bent u getuige voor {NAME}?", f"Waar: {PLACE}")
    (link_mail,) = [m for m in sent_to(outbox, "anouk@example.org") if not has_calendar(m)]
    assert_plain(link_mail, "Beste Anouk,", "Welkom bij de provincie Zuid-Holland & Co <i>.", f"Waar: {PLACE}")
    (invite,) = [m for m in sent_to(outbox, "anouk@example.org") if has_calendar(m)]
    assert_plain(invite, f"Beste {NAME},", f"Waar: {PLACE}", ORGANISATION)
    assert_html_escapes(invite, NAME)
    event = calendar_event(invite)
    assert str(event["LOCATION"]) == PLACE
    assert "- Koffie & thee" in str(event["DESCRIPTION"])
    assert NAME in [attendee.params["CN"] for attendee in event["ATTENDEE"]]


def test_the_witness_reminders_and_the_decline_carry_the_name_as_typed(hr, anouk, ceremony, manager, mailbox):
    appointment, _raw = services.appointment_assign(newcomer=anouk, ceremony=ceremony, by=hr)
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    Appointment.objects.filter(pk=appointment.pk).update(
        witness_requested_at=timezone.make_aware(datetime.datetime.combine(monday, datetime.time(9)))
    )
    call_command("send_reminders", "--today", (monday + datetime.timedelta(days=3)).isoformat())
    Appointment.objects.filter(pk=appointment.pk).update(
        witness_reminded_at=timezone.make_aware(datetime.datetime.combine(monday, datetime.time(10)))
    )
    call_command("send_reminders", "--today", (monday + datetime.timedelta(days=3)).isoformat())
    witness = Client()
    witness.force_login(manager)
    witness.post(reverse("witness_answer", args=[appointment.pk]), {"answer": "decline", "substitute": "Piet & Co"})
    outbox = mailbox()

    (reminder,) = sent_to(outbox, "manager@example.org", "Herinnering")
    assert_plain(reminder, f"Herinnering: bent u getuige voor {NAME}?", f"{NAME} legt de eed")
    (no_answer,) = sent_to(outbox, "hr@example.org", "Geen antwoord")
    assert_plain(no_answer, f"Geen antwoord van de getuige voor {NAME}", f"Waar: {PLACE}")
    (declined,) = sent_to(outbox, "hr@example.org", "afgezegd")
    assert_plain(declined, NAME, "Piet & Co", f"Waar: {PLACE}")


def test_removing_sends_a_cancel_with_the_name_as_typed(hr, anouk, ceremony, mailbox):
    appointment, _raw = services.appointment_assign(newcomer=anouk, ceremony=ceremony, by=hr)
    mailbox().clear()

    services.appointment_remove(appointment=appointment, by=hr)

    (cancel,) = sent_to(mailbox(), "anouk@example.org")
    assert_plain(cancel, f"Beste {NAME},", f"Waar: {PLACE}", ORGANISATION)
    assert_html_escapes(cancel, NAME)
    assert str(calendar_event(cancel)["LOCATION"]) == PLACE


def test_the_weekly_digest_lists_the_name_as_typed(manager, mailbox):
    NewcomerFactory(
        given_names="Anouk",
        surname_prefix="van 't",
        surname="Hof & Zn <b>",
        manager=manager,
        start_date=timezone.localdate() - datetime.timedelta(days=55),
    )

    call_command("send_reminders")

    (digest,) = sent_to(mailbox(), "manager@example.org")
    assert_plain(digest, f"- {NAME} (")


def test_the_account_invitation_shows_the_organisation_as_typed(hr_client, mailbox):
    hr_client.post(
        reverse("user_invite"),
        {
            "email": "a.o'hof@example.org",
            "first_name": "Anouk",
            "last_name": "van 't Hof",
            "roles": ["Manager"],
            "language": "nl",
        },
    )

    (invitation,) = sent_to(mailbox(), "a.o'hof@example.org")
    assert_plain(invitation, f"Afdeling HR, {ORGANISATION}")


def test_allauth_mails_are_plain_text_too(manager, mailbox):
    Client().post(reverse("account_request_login_code"), {"email": manager.email})

    (code_mail,) = sent_to(mailbox(), manager.email)
    assert_plain(code_mail, ORGANISATION)


def test_the_declaration_mails_keep_the_name_as_typed_and_escape_it_in_html(mailbox):
    external = NewcomerFactory(kind="external", given_names="Anouk", surname_prefix="van 't", surname="Hof & Zn")
    declaration_request_send(newcomer=external, by=None)
    (request,) = mailbox()
    client = Client()
    token = token_from(request)
    client.post(sign_url(token), sign_data(client, token, full_name="ANOUK VAN 'T HOF & ZN"))
    signed = mailbox()[-1]

    for message in (request, signed):
        assert_plain(message, "Beste Anouk van 't Hof & Zn,", ORGANISATION)
        assert_html_escapes(message, "Anouk van 't Hof & Zn")
