"""The newcomer's request for an adapted manner stays between them and HR (it may be health data)."""

import pytest
from django.urls import reverse

from eed.calendar.services import calendar_feed_rotate
from eed.ceremonies import services
from tests.downloads import body
from tests.eed.ceremony_day import assign, ceremony_on, newcomer, pdf_text
from tests.eed.test_attendance import sheet_post
from tests.factories import OfficiantFactory

pytestmark = pytest.mark.django_db

REQUEST = "Zit in rolstoel wegens MS-diagnose 7Q4"
FLAGS = ("Vroeg om een aangepaste wijze", "<em>aangepaste wijze</em>")


@pytest.fixture
def ceremony(hr, officiant, manager):
    """Yesterday's ceremony, led by the officiant, with the manager as the confirmed witness of their newcomer."""
    OfficiantFactory(user=officiant)
    planned = ceremony_on(-1, officiant=officiant)
    appointment = assign(planned, newcomer(manager, given_names="Ayşe", surname="Aksoy"), hr, witness=manager)
    services.appointment_newcomer_choose(appointment=appointment, form="oath", adapted_manner=REQUEST)
    services.witness_answer(appointment=appointment, by=manager, confirm=True)
    planned.refresh_from_db()
    return planned


def _text(client, url, **params) -> str:
    """What the user gets at the URL, as text (a PDF as its extracted text); it must be theirs to open."""
    response = client.get(url, params)
    assert response.status_code == 200, url
    if response["Content-Type"] == "application/pdf":
        return pdf_text(body(response))
    return body(response).decode("utf-8-sig")


def _officiant_files(client, ceremony) -> dict[str, str]:
    pk = ceremony.pk
    files = {
        "ceremony list": _text(client, reverse("ceremony_list")),
        "ceremony": _text(client, reverse("ceremony_detail", args=[pk])),
        "sheet": _text(client, reverse("attendance_sheet", args=[pk])),
        "invite": _text(client, reverse("ceremony_ics", args=[pk])),
        "attendance list": _text(client, reverse("ceremony_attendance_pdf", args=[pk])),
    }
    if ceremony.appointments.filter(outcome="taken").exists():
        files["proofs"] = _text(client, reverse("ceremony_proofs_pdf", args=[pk]))
    return files


def _witness_files(client, ceremony) -> dict[str, str]:
    appointment = ceremony.appointments.get()
    return {
        "ceremony list": _text(client, reverse("ceremony_list")),
        "ceremony": _text(client, reverse("ceremony_detail", args=[ceremony.pk])),
        "invite": _text(client, reverse("ceremony_ics", args=[ceremony.pk])),
        "witness requests": _text(client, reverse("witness_requests")),
        "newcomer": _text(client, reverse("newcomer_detail", args=[appointment.newcomer_id])),
        "newcomer list": _text(client, reverse("newcomer_list"), _export="csv"),
    }


def _feed(client, user) -> str:
    return _text(client, reverse("calendar_feed", args=[calendar_feed_rotate(user=user)]))


def _mail_text(message) -> str:
    """Body, alternatives and attachments (the calendar invite) as text."""
    parts = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
    parts += [
        content if isinstance(content, str) else content.decode() for _name, content, _type in message.attachments
    ]
    return "\n".join(str(part) for part in parts)


def _leaks(files: dict[str, str]) -> list[str]:
    return [name for name, text in files.items() if REQUEST in text or any(flag in text for flag in FLAGS)]


def test_officiant_and_witness_never_see_the_request_before_or_after_the_ceremony(
    ceremony, officiant, manager, officiant_client, manager_client, mailbox
):
    before = {
        **_officiant_files(officiant_client, ceremony),
        "officiant feed": _feed(officiant_client, officiant),
        **{f"witness {name}": text for name, text in _witness_files(manager_client, ceremony).items()},
        "witness feed": _feed(manager_client, manager),
    }
    assert _leaks(before) == []

    appointment = ceremony.appointments.get()
    sheet = sheet_post(
        [appointment], {appointment.pk: {"outcome": "taken", "form_used": "oath", "witness_present": str(manager.pk)}}
    )
    url = reverse("attendance_sheet", args=[ceremony.pk])
    review = officiant_client.post(url, sheet)  # the page that shows what will be recorded
    assert review.status_code == 200 and _leaks({"review": review.content.decode()}) == []
    assert officiant_client.post(url, sheet | {"step": "record"}).status_code == 302

    after = {**_officiant_files(officiant_client, ceremony), **_witness_files(manager_client, ceremony)}
    assert "proofs" in after
    assert _leaks(after) == []
    to_them = [message for message in mailbox() if {officiant.email, manager.email} & set(message.to)]
    assert to_them
    assert [message.subject for message in to_them if REQUEST in _mail_text(message)] == []


def test_hr_sees_the_request_on_the_sheet_and_the_ceremony(ceremony, hr_client):
    sheet = hr_client.get(reverse("attendance_sheet", args=[ceremony.pk])).content.decode()
    page = hr_client.get(reverse("ceremony_detail", args=[ceremony.pk])).content.decode()

    assert REQUEST in sheet and "Vroeg om een aangepaste wijze" in sheet
    assert "aangepaste wijze" in page
