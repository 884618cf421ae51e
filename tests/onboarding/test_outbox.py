"""The mail queue: written with the change, delivered once, survives an SMTP outage."""

import datetime
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.utils import timezone

from onboarding.mail.outbox import outbox_send_due
from onboarding.models import QueuedMail

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    port = _free_port()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    return port


def test_a_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Uitnodiging", "Tekst", None, ["a@example.org"])
        raise RuntimeError("the change fails")

    assert QueuedMail.objects.count() == 0


def test_mail_is_queued_not_sent_in_the_request(mailbox):
    send_mail("Onderwerp", "Tekst", None, ["a@example.org"])

    queued = QueuedMail.objects.get()
    assert queued.sent_at is None and queued.recipients == ["a@example.org"]
    assert [m.subject for m in mailbox()] == ["Onderwerp"]
    assert QueuedMail.objects.get().sent_at is not None
    assert len(mailbox()) == 1  # delivering again sends nothing twice


def test_invites_queued_while_smtp_is_down_arrive_exactly_once_when_it_is_back(smtp_settings):
    for number in range(3):
        message = EmailMultiAlternatives(f"Uitnodiging {number}", "Tekst", None, [f"person{number}@example.org"])
        message.attach_alternative(
            "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST"
        )
        message.send()

    assert outbox_send_due() == (0, 3)
    waiting = QueuedMail.objects.filter(sent_at__isnull=True)
    assert waiting.count() == 3
    assert all(mail.attempts == 1 and mail.next_attempt_at > timezone.now() for mail in waiting)
    assert outbox_send_due() == (0, 0)  # backing off: not due yet

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_settings)
    controller.start()
    try:
        later = timezone.now() + datetime.timedelta(minutes=5)
        assert outbox_send_due(now=later) == (3, 0)
        assert outbox_send_due(now=later) == (0, 0)
    finally:
        controller.stop()

    recipients = sorted(rcpt for rcpts, _content in inbox.messages for rcpt in rcpts)
    assert recipients == ["person0@example.org", "person1@example.org", "person2@example.org"]
    parsed = email.message_from_bytes(inbox.messages[0][1], policy=policy.default)
    calendar = next(part for part in parsed.walk() if part.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert QueuedMail.objects.filter(sent_at__isnull=True).count() == 0


def test_the_worker_command_reports_what_it_did(mailbox, capsys):
    from django.core.management import call_command

    send_mail("Onderwerp", "Tekst", None, ["a@example.org"])
    call_command("send_queued_mail")

    assert "Sent 1, failed 0" in capsys.readouterr().out
