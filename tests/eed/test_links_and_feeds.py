"""The newcomer's personal page and each staff user's private calendar feed."""

import datetime
import email
import gzip
import re
from email import policy

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from eed.ceremonies import services
from eed.enums import OathForm
from eed.models import Appointment, ProgrammeItem
from tests.factories import CeremonyFactory, NewcomerFactory, OfficiantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(hr, manager):
    officiant = OfficiantFactory(user__email="secretaris@example.org").user
    ceremony = CeremonyFactory(officiant=officiant)
    newcomer = NewcomerFactory(given_names="Zoë", surname="Özdemir", email="zoe@example.org", manager=manager)
    appointment, raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)
    return appointment, raw


def test_the_newcomer_reads_both_formulas_and_chooses_the_affirmation(client, planned):
    appointment, raw = planned

    page = client.get(reverse("newcomer_link", args=[raw]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Zo waarlijk helpe mij God almachtig!" in html and "Dat verklaar en beloof ik!" in html
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]

    response = client.post(
        reverse("newcomer_link", args=[raw]),
        {"form": "affirmation", "adapted_manner": "Ik spreek met een tolk", "attendance": "coming"},
    )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.form == OathForm.AFFIRMATION
    assert appointment.adapted_manner == "Ik spreek met een tolk"
    assert appointment.attendance_confirmed_at is not None


@pytest.mark.parametrize(("origin", "status"), [("null", 302), ("https://evil.example", 403)])
def test_the_no_referrer_page_accepts_its_own_browser_post_with_origin_null(planned, origin, status):
    """Browsers post this no-referrer page's form with Origin: null and no Referer; the CSRF token still counts."""
    appointment, raw = planned
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("newcomer_link", args=[raw]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)

    response = client.post(
        reverse("newcomer_link", args=[raw]),
        {"csrfmiddlewaretoken": token, "form": "affirmation", "attendance": "coming"},
        HTTP_ORIGIN=origin,
    )

    assert response.status_code == status
    appointment.refresh_from_db()
    assert (appointment.form == OathForm.AFFIRMATION) is (status == 302)


def test_a_choice_without_a_form_is_refused_with_a_message(client, planned):
    appointment, raw = planned
    response = client.post(reverse("newcomer_link", args=[raw]), {"form": "nonsense"})

    assert response.status_code == 200
    assert 'href="#id_form_0"' in response.content.decode() or 'href="#id_form"' in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.form == ""


@pytest.mark.parametrize(
    "mangle", [lambda raw: raw[:-1], lambda raw: raw[:10], lambda raw: raw + "x", lambda raw: "A" * 43]
)
def test_tampered_or_truncated_links_get_the_same_plain_page(client, planned, mangle):
    _appointment, raw = planned
    response = client.get(reverse("newcomer_link", args=[mangle(raw)]))

    assert response.status_code == 404
    assert "Zoë" not in response.content.decode()


def test_the_link_stops_after_the_ceremony_and_after_a_move(client, hr, planned):
    appointment, raw = planned
    Appointment.objects.filter(pk=appointment.pk).update()
    ceremony = appointment.ceremony
    ceremony.starts_at = timezone.now() - datetime.timedelta(hours=3)
    ceremony.ends_at = timezone.now() - datetime.timedelta(hours=2)
    ceremony.save()
    assert client.get(reverse("newcomer_link", args=[raw])).status_code == 404

    other = CeremonyFactory(officiant=ceremony.officiant)
    ceremony.starts_at = timezone.now() + datetime.timedelta(days=3)
    ceremony.ends_at = ceremony.starts_at + datetime.timedelta(hours=1)
    ceremony.save()
    assert client.get(reverse("newcomer_link", args=[raw])).status_code == 200
    services.appointment_assign(newcomer=appointment.newcomer, ceremony=other, by=hr)
    assert client.get(reverse("newcomer_link", args=[raw])).status_code == 404


def _feed_url(client) -> str:
    page = client.post(reverse("calendar_settings"))
    return re.search(r'value="https?://[^/"]+(/calendar/[^"]+\.ics)"', page.content.decode()).group(1)


def test_the_officiants_feed_holds_their_ceremony_and_answers_304_when_unchanged(planned):
    appointment, _raw = planned
    officiant = Client()
    officiant.force_login(appointment.ceremony.officiant)
    url = _feed_url(officiant)

    anonymous = Client()
    first = anonymous.get(url)
    second = anonymous.get(url)
    cached = anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["Content-Type"] == "text/calendar; charset=utf-8"
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert cached.status_code == 304
    assert "private" in first["Cache-Control"]
    calendar = Calendar.from_ical(first.content)
    assert calendar["METHOD"] == "PUBLISH"
    events = list(calendar.walk("VEVENT"))
    assert [str(event["UID"]) for event in events] == [f"{appointment.ceremony.uid}@eed.zuid-holland.nl"]
    assert b"RSVP" not in first.content


def test_the_feed_is_compressed_for_calendar_services_and_still_answers_304(planned):
    """Calendar services ask for gzip; they get the same calendar in fewer bytes and revalidate it as before."""
    appointment, _raw = planned
    officiant = Client()
    officiant.force_login(appointment.ceremony.officiant)
    url = _feed_url(officiant)
    service = Client(headers={"Accept-Encoding": "gzip, deflate"})

    plain = Client().get(url)
    packed = service.get(url)
    again = service.get(url, headers={"If-None-Match": packed["ETag"]})

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content)
    assert packed["ETag"] == "W/" + plain["ETag"]
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("days", [-800, -91, -89, 0, 364, 366, 900])
def test_the_feed_holds_ninety_days_back_and_a_year_ahead(days):
    """Calendar services poll the feed: it keeps to a window (CALENDAR_FEED_DAYS_BACK, CALENDAR_FEED_DAYS_AHEAD)
    so it grows neither with the years behind nor with ceremonies planned far ahead."""
    officiant = OfficiantFactory().user
    now = timezone.localtime().replace(microsecond=0)
    ceremony = CeremonyFactory(officiant=officiant, starts_at=now + datetime.timedelta(days=days, hours=1))
    client = Client()
    client.force_login(officiant)

    events = Calendar.from_ical(Client().get(_feed_url(client)).content).walk("VEVENT")

    uids = {str(event["UID"]).split("@")[0] for event in events}
    assert (str(ceremony.uid) in uids) is (-90 <= days <= 365)


def test_a_ceremony_enters_the_feed_as_its_day_comes_nearer(time_machine):
    officiant = OfficiantFactory().user
    now = timezone.localtime().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    ceremony = CeremonyFactory(officiant=officiant, starts_at=now + datetime.timedelta(days=400))
    client = Client()
    client.force_login(officiant)
    url = _feed_url(client)

    def uids():
        return {
            str(event["UID"]).split("@")[0] for event in Calendar.from_ical(Client().get(url).content).walk("VEVENT")
        }

    assert str(ceremony.uid) not in uids()
    time_machine.move_to(now + datetime.timedelta(days=40), tick=False)
    assert str(ceremony.uid) in uids()


def test_hrs_feed_reminds_them_only_of_the_ceremonies_they_take_part_in(hr, hr_client):
    """HR's feed holds every ceremony; a reminder on each one they only organise would ring daily."""
    now = timezone.localtime().replace(microsecond=0)
    organised = CeremonyFactory(officiant=OfficiantFactory().user, starts_at=now + datetime.timedelta(days=3))
    led = CeremonyFactory(officiant=hr, starts_at=now + datetime.timedelta(days=5))

    calendar = Calendar.from_ical(Client().get(_feed_url(hr_client)).content)

    alarms = {str(event["UID"]).split("@")[0]: len(event.walk("VALARM")) for event in calendar.walk("VEVENT")}
    assert alarms == {str(organised.uid): 0, str(led.uid): 1}


def test_the_feed_lists_each_ceremonys_programme_and_follows_a_change_in_the_same_queries(hr, hr_client):
    """The description names the programme items in their order; the feed reads the programmes of all its
    ceremonies in one query (a related manager per ceremony made the 1,000-ceremony feed 130 ms, issue #19)."""
    now = timezone.localtime().replace(microsecond=0)
    officiant = OfficiantFactory().user
    first, second = (CeremonyFactory(officiant=officiant, starts_at=now + datetime.timedelta(days=d)) for d in (3, 5))
    coffee = ProgrammeItem.objects.create(name="Koffie en thee", position=2)
    game = ProgrammeItem.objects.create(name="Dilemmaspel", position=1)
    first.programme.set([coffee, game])
    url = _feed_url(hr_client)

    def descriptions():
        calendar = Calendar.from_ical(Client().get(url).content)
        return {str(e["UID"]).split("@")[0]: str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")}

    with CaptureQueriesContext(connection) as two:
        before = descriptions()
    assert "Programma:\n- Dilemmaspel\n- Koffie en thee" in before[str(first.uid)]
    assert "Programma" not in before[str(second.uid)]

    second.programme.set([coffee])
    for days in (7, 9, 11):
        CeremonyFactory(officiant=officiant, starts_at=now + datetime.timedelta(days=days)).programme.set([game])
    with CaptureQueriesContext(connection) as five:
        after = descriptions()
    assert "Programma:\n- Koffie en thee" in after[str(second.uid)] and len(after) == 5
    assert len(five) == len(two)


def test_rotating_the_feed_link_retires_the_old_one(planned):
    appointment, _raw = planned
    officiant = Client()
    officiant.force_login(appointment.ceremony.officiant)
    old = _feed_url(officiant)
    new = _feed_url(officiant)

    assert old != new
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_witness_feed_shows_the_ceremony_only_once_confirmed(planned, manager, manager_client):
    appointment, _raw = planned
    url = _feed_url(manager_client)
    assert list(Calendar.from_ical(Client().get(url).content).walk("VEVENT")) == []

    services.witness_answer(appointment=appointment, by=manager, confirm=True)

    assert len(list(Calendar.from_ical(Client().get(url).content).walk("VEVENT"))) == 1


def test_the_ceremony_can_be_downloaded_as_ics_by_those_who_see_it(hr_client, planned, other_manager):
    appointment, _raw = planned
    response = hr_client.get(reverse("ceremony_ics", args=[appointment.ceremony_id]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert len(list(Calendar.from_ical(response.content).walk("VEVENT"))) == 1
    stranger = Client()
    stranger.force_login(other_manager)
    assert stranger.get(reverse("ceremony_ics", args=[appointment.ceremony_id])).status_code == 404


def test_an_english_speaking_newcomer_gets_mail_invite_and_page_in_english(client, hr, mailbox):
    ceremony = CeremonyFactory(officiant=OfficiantFactory().user)
    newcomer = NewcomerFactory(email="sam@example.org", language="en")
    mailbox().clear()

    _appointment, raw = services.appointment_assign(newcomer=newcomer, ceremony=ceremony, by=hr)

    to_sam = [message for message in mailbox() if message.to == ["sam@example.org"]]
    subjects = sorted(message.subject for message in to_sam)
    assert "Your oath or affirmation: date and your choice" in subjects
    calendars = [_calendar(message) for message in to_sam if _calendar(message) is not None]
    assert [str(calendar.walk("VEVENT")[0]["SUMMARY"]) for calendar in calendars] == ["Oath or affirmation ceremony"]
    page = client.get(reverse("newcomer_link", args=[raw]))
    assert '<html lang="en">' in page.content.decode() and page["Content-Language"] == "en"

    client.post(reverse("language_set"), {"language": "nl", "next": "/"})
    assert '<html lang="nl">' in client.get(reverse("newcomer_link", args=[raw])).content.decode()


def _calendar(message):
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    part = next((p for p in parsed.walk() if p.get_content_type() == "text/calendar"), None)
    return Calendar.from_ical(part.get_content()) if part is not None else None
