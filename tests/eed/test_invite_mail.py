"""Invite mails (eed.calendar.invite_mail): one mail per recipient, the MIME layout Outlook, Gmail and Apple expect.

multipart/mixed > multipart/alternative > [text/plain, text/html, text/calendar; method=...;
charset=UTF-8] plus the same calendar as an invite.ics attachment.
"""

import dataclasses
import email
import email.policy
from email.utils import parseaddr

import icalendar
import pytest

from eed.calendar.ical import calendar_method, cancel_calendar, request_calendar
from eed.calendar.invite_mail import InviteEmail, invite_message
from tests.eed.test_ical import NEW_WITNESS, NEWCOMER, OFFICIANT, WITNESS, ceremony, check_message

FROM = "Team Eed en onboarding <eed@pzh.example.org>"


def mail_for(calendar: bytes, person, **overrides) -> InviteEmail:
    values = {
        "calendar": calendar,
        "to": f"{person.name} <{person.email}>",
        "from_email": FROM,
        "subject": "Uitnodiging: eed of belofte op 15 juni",
        "text": f"Beste {person.name},\n\nU bent uitgenodigd voor de eed of belofte.",
        "html": f"<p>Beste {person.name},</p><p>U bent uitgenodigd voor de eed of belofte.</p>",
    }
    values.update(overrides)
    return invite_message(**values)


def parsed(message: InviteEmail) -> email.message.Message:
    """The mail as a receiving client sees it."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def layout(msg) -> list:
    """The tree of content types."""
    if msg.is_multipart():
        return [msg.get_content_type(), [layout(part) for part in msg.iter_parts()]]
    return msg.get_content_type()


def calendar_part(msg):
    (part,) = [part for part in msg.walk() if part.get_content_type() == "text/calendar"]
    return part


@pytest.mark.parametrize("kind", ["request", "cancel"])
def test_the_mail_is_mixed_holding_alternative_text_html_calendar_and_an_ics_attachment(kind):
    event = ceremony()
    ics = request_calendar(event) if kind == "request" else cancel_calendar(dataclasses.replace(event, sequence=1))
    msg = parsed(mail_for(ics, NEWCOMER))
    assert layout(msg) == [
        "multipart/mixed",
        [["multipart/alternative", ["text/plain", "text/html", "text/calendar"]], "application/ics"],
    ]


@pytest.mark.parametrize("kind", ["request", "cancel"])
def test_the_calendar_part_says_the_method_inside_and_utf_8(kind):
    event = ceremony()
    ics = request_calendar(event) if kind == "request" else cancel_calendar(dataclasses.replace(event, sequence=1))
    part = calendar_part(parsed(mail_for(ics, NEWCOMER)))
    body = part.get_payload(decode=True)
    assert body == ics  # CRLF and all, byte for byte
    method = calendar_method(body)
    assert method == kind.upper()
    assert part.get_param("method") == method
    assert part.get_content_charset() == "utf-8"
    raw = mail_for(ics, NEWCOMER).message().as_bytes()
    assert f"Content-Type: text/calendar; method={method}; charset=UTF-8\n".encode() in raw
    check_message(body, method)


def test_the_attachment_is_invite_ics_with_the_same_calendar():
    ics = request_calendar(ceremony())
    msg = parsed(mail_for(ics, NEWCOMER))
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_param("name") == "invite.ics"
    assert attachment.get_payload(decode=True) == ics


def test_the_attachment_can_be_left_out():
    msg = parsed(mail_for(request_calendar(ceremony()), NEWCOMER, attach_file=False))
    assert layout(msg) == ["multipart/alternative", ["text/plain", "text/html", "text/calendar"]]


def test_text_html_and_non_ascii_headers_stay_readable():
    msg = parsed(mail_for(request_calendar(ceremony()), NEWCOMER, subject="Uitnodiging voor Zoë"))
    assert msg["Subject"] == "Uitnodiging voor Zoë"
    text, html = (part for part in msg.walk() if part.get_content_type() in ("text/plain", "text/html"))
    assert text.get_content().startswith("Beste Zoë Özdemir-van den Berg,")
    assert "<p>Beste Zoë Özdemir-van den Berg,</p>" in html.get_content()


def test_one_mail_per_recipient_each_to_the_attendee_address_through_the_queue(mailbox):
    ics = request_calendar(ceremony())
    for person in (NEWCOMER, WITNESS, OFFICIANT):
        mail_for(ics, person).send()
    delivered = mailbox()
    assert len(delivered) == 3
    attendees = [
        str(a).removeprefix("mailto:") for a in icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["ATTENDEE"]
    ]
    for sent, person in zip(delivered, (NEWCOMER, WITNESS, OFFICIANT), strict=True):
        msg = parsed(sent)  # the stored bytes, as the SMTP server gets them
        (to,) = msg.get_all("To")
        assert parseaddr(to)[1] == person.email
        assert parseaddr(to)[1] in attendees
        assert parseaddr(msg["From"])[1] == "eed@pzh.example.org"
        part = calendar_part(msg)
        assert part.get_payload(decode=True) == ics
        assert part.get_param("method") == "REQUEST"


def test_the_message_keeps_its_calendar_and_method_for_inspection():
    ics = request_calendar(ceremony())
    message = mail_for(ics, NEWCOMER)
    assert (message.calendar, message.method, message.to) == (ics, "REQUEST", [f"{NEWCOMER.name} <{NEWCOMER.email}>"])


def test_the_removed_witness_gets_the_cancel_listing_only_them():
    changed = ceremony(sequence=2, attendees=(NEWCOMER, NEW_WITNESS, OFFICIANT))
    removal = cancel_calendar(changed, attendees=(WITNESS,))
    msg = parsed(mail_for(removal, WITNESS))
    assert calendar_part(msg).get_param("method") == "CANCEL"
    with pytest.raises(ValueError, match="not an ATTENDEE"):
        mail_for(removal, NEWCOMER)


def test_a_method_parameter_that_differs_from_the_method_inside_is_refused():
    ics = cancel_calendar(ceremony(sequence=1))
    with pytest.raises(ValueError, match="differs"):
        mail_for(ics, NEWCOMER, method="REQUEST")
    assert calendar_part(parsed(mail_for(ics, NEWCOMER, method="cancel"))).get_param("method") == "CANCEL"


def test_a_recipient_who_is_not_an_attendee_is_refused():
    with pytest.raises(ValueError, match="not an ATTENDEE"):
        mail_for(request_calendar(ceremony()), NEW_WITNESS)


def test_reply_to_is_passed_on():
    msg = parsed(mail_for(request_calendar(ceremony()), NEWCOMER, reply_to=["hr-vragen@pzh.example.org"]))
    assert msg["Reply-To"] == "hr-vragen@pzh.example.org"


def test_building_the_message_twice_gives_one_calendar_part_each_time():
    message = mail_for(request_calendar(ceremony()), NEWCOMER)
    first, second = parsed(message), parsed(message)
    assert layout(first) == layout(second)
    assert len([p for p in second.walk() if p.get_content_type() == "text/calendar"]) == 1
