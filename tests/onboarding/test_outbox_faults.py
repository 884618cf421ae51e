"""The mail queue against a real (local) SMTP server that misbehaves: every message arrives exactly once.

The server is aiosmtpd on 127.0.0.1, controlled by the test: it refuses with
temporary (421/451) or permanent (550) codes, answers slower than
EMAIL_TIMEOUT, or hangs up in the middle of a message. Messages are counted
by their Message-ID as the server accepted them (250 after the data).
"""

import asyncio
import collections
import datetime
import email
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from django.core.mail import EmailMessage
from django.utils import timezone

from onboarding.mail.outbox import MAX_ATTEMPTS, outbox_send_due
from onboarding.models import QueuedMail

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(hours=7)  # past any backoff


class FaultyServer:
    """aiosmtpd handler whose faults the test switches on and off."""

    def __init__(self):
        self.accepted = collections.Counter()  # Message-ID -> times accepted
        self.refuse_mail = 0  # next N transactions get 421 at MAIL FROM
        self.refuse_rcpt = 0  # next N recipients get 451
        self.unknown = set()  # recipients refused for good (550)
        self.delay = 0.0  # seconds before answering MAIL FROM
        self.hang_up_in_data = 0  # next N messages: the server hangs up half-way through the data

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refuse_mail > 0:
            self.refuse_mail -= 1
            return "421 4.3.2 Service not available, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 No such user here"
        if self.refuse_rcpt > 0:
            self.refuse_rcpt -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        self.accepted[message["Message-ID"]] += 1
        return "250 OK: queued"


class HangingUpSMTP(SMTP):
    """Reads the first line of the message data, then closes the connection without an answer."""

    async def smtp_DATA(self, arg):
        if self.event_handler.hang_up_in_data <= 0 or not self.envelope.rcpt_tos:
            return await super().smtp_DATA(arg)
        self.event_handler.hang_up_in_data -= 1
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        await self._reader.readuntil(b"\r\n")
        self.transport.close()


class FaultyController(Controller):
    def factory(self):
        return HangingUpSMTP(self.handler, **self.SMTP_kwargs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(settings):
    handler = FaultyServer()
    port = _free_port()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 2.0  # generous: a loaded CI machine must not time out the healthy messages
    controller = FaultyController(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler
    controller.stop()


def queue(count: int, *, to=None) -> list[str]:
    """Queue ``count`` messages (a body large enough to be sent in several packets); their Message-IDs."""
    for number in range(count):
        EmailMessage(f"Bericht {number}", "Regel\n" * 20_000, None, [to or f"person{number}@example.org"]).send()
    return list(QueuedMail.objects.order_by("id").values_list("message_id", flat=True))


def assert_each_delivered_once(server, message_ids):
    assert sorted(server.accepted) == sorted(message_ids)
    assert set(server.accepted.values()) == {1}
    assert not QueuedMail.objects.filter(sent_at__isnull=True).exists()


def test_temporary_refusals_are_retried_until_every_message_arrives_once(server):
    ids = queue(5)
    server.refuse_mail = 2  # 421 for the first two messages
    server.refuse_rcpt = 1  # then 451 for the third

    assert outbox_send_due() == (0, 3)  # three failures in a row: the run stops, two wait untried
    assert QueuedMail.objects.filter(attempts=0).count() == 2
    assert "421" in QueuedMail.objects.order_by("id").first().last_error

    assert outbox_send_due(now=timezone.now() + LATER) == (5, 0)
    assert outbox_send_due(now=timezone.now() + LATER) == (0, 0)
    assert_each_delivered_once(server, ids)


def test_one_refused_message_does_not_stop_the_others(server):
    ids = queue(4)
    server.refuse_mail = 1

    assert outbox_send_due() == (3, 1)

    assert outbox_send_due(now=timezone.now() + LATER) == (1, 0)
    assert_each_delivered_once(server, ids)


def test_a_server_slower_than_the_timeout_delays_mail_but_loses_none(server):
    ids = queue(4)
    server.delay = 5.0  # EMAIL_TIMEOUT is 2 s

    assert outbox_send_due() == (0, 3)
    assert "timed out" in QueuedMail.objects.order_by("id").first().last_error.lower()

    server.delay = 0
    assert outbox_send_due(now=timezone.now() + LATER) == (4, 0)
    assert_each_delivered_once(server, ids)


def test_a_server_hanging_up_mid_message_does_not_poison_the_rest_of_the_run(server):
    ids = queue(5)
    server.hang_up_in_data = 1

    assert outbox_send_due() == (4, 1)  # the next message gets a fresh connection
    failed = QueuedMail.objects.get(sent_at__isnull=True)
    assert "Disconnected" in failed.last_error or "Connection" in failed.last_error

    assert outbox_send_due(now=timezone.now() + LATER) == (1, 0)
    assert_each_delivered_once(server, ids)


def test_every_fault_in_turn_then_recovery(server):
    ids = queue(8)
    server.hang_up_in_data, server.refuse_rcpt = 1, 1
    outbox_send_due()
    server.refuse_mail = 2
    outbox_send_due(now=timezone.now() + LATER)
    server.delay = 2.0
    outbox_send_due(now=timezone.now() + 2 * LATER)
    server.delay = 0

    for hours in (3, 4, 5):
        outbox_send_due(now=timezone.now() + hours * LATER)

    assert_each_delivered_once(server, ids)


def test_a_permanently_refused_recipient_is_not_retried(server):
    ids = queue(2)
    queue(1, to="nobody@example.org")
    server.unknown = {"nobody@example.org"}

    assert outbox_send_due() == (2, 1)
    refused = QueuedMail.objects.get(recipients=["nobody@example.org"])
    assert refused.sent_at is None and refused.attempts == MAX_ATTEMPTS
    assert refused.last_error.startswith("permanent: SMTPRecipientsRefused")
    assert "550" in refused.last_error
    assert bytes(refused.message) == b""  # given up: its body (and any link in it) is erased, the answer kept

    assert outbox_send_due(now=timezone.now() + LATER) == (0, 0)
    assert sorted(server.accepted) == sorted(ids)
