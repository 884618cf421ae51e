"""A copy of the database opens no link or code from the mail queue: sealed until sent, erased once sent or given up."""

import datetime
import email
import importlib
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.apps import apps
from django.contrib import admin
from django.core.mail import EmailMessage, send_mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from onboarding.declarations.services import declaration_request_send
from onboarding.mail.outbox import MAX_ATTEMPTS, outbox_send_due
from onboarding.models import QueuedMail
from tests.onboarding.declaration_support import external_fixture, send_link, token_from  # noqa: F401

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(hours=7)  # past any backoff


def _cells():
    """(table.column, raw bytes) of every value in the whole database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names only)
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                    yield f"{table}.{column}", raw


def database_contains(secret: str) -> list[str]:
    """Every table.column whose raw value holds ``secret`` (as text or bytes)."""
    return [where for where, raw in _cells() if secret.encode() in raw]


def database_snapshot() -> bytes:
    return b"\n".join(raw for _where, raw in _cells())


def queue_contains(secret: str) -> bool:
    needle = secret.encode()
    return any(needle in bytes(mail.message) or secret in str(vars(mail)) for mail in QueuedMail.objects.all())


def test_a_delivered_declaration_link_leaves_its_token_nowhere_in_the_database(hr, external, mailbox):
    token = send_link(external, by=hr, mailbox=mailbox)

    assert database_contains(token) == []
    sent = QueuedMail.objects.get()
    assert sent.sent_at is not None and bytes(sent.message) == b""
    assert sent.recipients == ["zoe.oster@example.org"] and sent.subject and sent.attempts == 1
    assert sent.message_id.startswith("<") and sent.size > 1000 and len(sent.digest) == 64


def test_an_unsent_declaration_link_is_nowhere_in_the_database_in_the_clear(hr, external, mailbox):
    declaration_request_send(newcomer=external, by=hr)
    stored = database_snapshot()

    token = token_from(mailbox()[-1])  # it arrives whole all the same

    assert token.encode() not in stored


def test_a_login_code_is_in_the_queue_neither_before_nor_after_delivery(client, manager, mailbox):
    client.post(reverse("account_request_login_code"), {"email": manager.email})
    stored = bytes(QueuedMail.objects.get().message)

    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mailbox()[0].body, re.MULTILINE).group(1)

    assert code.encode() not in stored
    assert not queue_contains(code)
    assert client.post(reverse("account_confirm_login_code"), {"code": code}).status_code == 302


def test_a_delivered_password_reset_link_leaves_its_key_nowhere_in_the_database(client, hr, mailbox):
    client.post(reverse("account_reset_password"), {"email": "hr@example.org"})

    key = re.search(r"/accounts/password/reset/key/([^/\s]+)/", mailbox()[0].body).group(1)

    assert database_contains(key) == []


def test_mail_queued_before_a_key_rotation_still_goes_out_with_the_old_key_as_fallback(settings, mailbox):
    settings.SECRET_KEY = "the old key"
    send_mail("Uitnodiging", "Uw link: /d/abc/", None, ["a@example.org"])
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the new key", ["the old key"]
    send_mail("Herinnering", "Tekst", None, ["b@example.org"])

    assert [(m.subject, m.body) for m in mailbox()] == [("Uitnodiging", "Uw link: /d/abc/"), ("Herinnering", "Tekst")]


def test_without_the_old_key_a_message_is_given_up_and_reported_and_the_others_still_go_out(settings, mailbox, caplog):
    settings.SECRET_KEY = "the old key"
    for number in range(4):  # more than MAX_CONSECUTIVE_FAILURES: they must not stop the run
        send_mail(f"Oud {number}", "Tekst", None, [f"old{number}@example.org"])
    settings.SECRET_KEY = "the new key"
    send_mail("Nieuw", "Tekst", None, ["new@example.org"])

    assert outbox_send_due() == (1, 4)
    assert [m.subject for m in mailbox()] == ["Nieuw"]
    unreadable = QueuedMail.objects.filter(sent_at__isnull=True)
    assert unreadable.count() == 4
    assert all(m.last_error.startswith("unreadable: ") and m.attempts == MAX_ATTEMPTS for m in unreadable)
    assert all(bytes(m.message) == b"" for m in unreadable)
    assert "SECRET_KEY_FALLBACKS" in unreadable.first().last_error
    assert [r.levelname for r in caplog.records if "given up" in r.getMessage()] == ["ERROR"] * 4
    assert outbox_send_due(now=timezone.now() + LATER) == (0, 0)


def test_a_queued_message_redirected_in_the_database_goes_to_nobody(mailbox):
    send_mail("Uw inlogcode", "ABCD-EFGH", None, ["manager@example.org"])
    QueuedMail.objects.update(recipients=["attacker@example.net"])

    assert outbox_send_due() == (0, 1)
    assert mailbox() == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_message_given_up_after_every_attempt_keeps_its_error_but_not_its_body(settings):
    from onboarding.admin import QueuedMailAdmin

    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 1
    send_mail("Uitnodiging", "Uw link: /d/abc/", None, ["a@example.org"])

    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert outbox_send_due(now=timezone.now() + attempt * LATER) == (0, 1)
        assert (bytes(QueuedMail.objects.get().message) == b"") is (attempt == MAX_ATTEMPTS)

    given_up = QueuedMail.objects.get()
    assert given_up.attempts == MAX_ATTEMPTS and "Connection" in given_up.last_error
    QueuedMailAdmin(QueuedMail, admin.site).retry_now(None, QueuedMail.objects.all())  # nothing left to try again
    assert QueuedMail.objects.get().attempts == MAX_ATTEMPTS


class Inbox:
    def __init__(self):
        self.contents = []

    async def handle_DATA(self, server, session, envelope):
        self.contents.append(envelope.original_content)
        return "250 OK"


def test_the_bytes_sent_are_the_bytes_queued_and_the_digest_proves_it(settings):
    from onboarding.mail.seal import mail_digest_matches, mail_unseal

    port = _closed_port()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    message = EmailMessage("Verklaring", "Zoë, uw link: /d/abc/\n" * 500, None, ["zoe@example.org"])
    message.attach("verklaring.pdf", b"%PDF-1.4 not really", "application/pdf")
    message.send()
    queued = QueuedMail.objects.get()
    raw = mail_unseal(bytes(queued.message), from_email=queued.from_email, recipients=queued.recipients)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert outbox_send_due() == (1, 0)
    finally:
        controller.stop()

    (received,) = inbox.contents
    assert received == raw and len(raw) == queued.size
    assert email.message_from_bytes(received)["Message-ID"] == queued.message_id
    queued.refresh_from_db()
    assert mail_digest_matches(received, queued.digest)
    assert not mail_digest_matches(received.replace(b"abc", b"abd"), queued.digest)


def _legacy(**fields) -> tuple[QueuedMail, bytes]:
    """A row as queued before sealing: the plain MIME bytes."""
    message = EmailMessage("Uitnodiging", "Uw link: /d/legacy-token/", "hr@example.org", ["a@example.org"])
    raw = message.message().as_bytes(linesep="\r\n")
    queued = QueuedMail.objects.create(
        from_email="hr@example.org",
        recipients=["a@example.org"],
        subject="Uitnodiging",
        message=raw,
        next_attempt_at=timezone.now(),
        **fields,
    )
    return queued, raw


def test_the_migration_seals_unsent_mail_and_erases_sent_and_given_up_mail(mailbox):
    from onboarding.mail.seal import mail_digest_matches

    migration = importlib.import_module("onboarding.migrations.0018_seal_queued_mail")
    sent, sent_raw = _legacy(sent_at=timezone.now(), attempts=1)
    given_up, _raw = _legacy(attempts=MAX_ATTEMPTS, last_error="permanent: 550")
    _waiting, waiting_raw = _legacy(attempts=2)

    migration.seal_or_erase(apps, None)

    assert database_contains("legacy-token") == []
    sent.refresh_from_db()
    assert mail_digest_matches(sent_raw, sent.digest) and sent.size == len(sent_raw)
    assert sent.message_id == email.message_from_bytes(sent_raw)["Message-ID"]
    given_up.refresh_from_db()
    assert bytes(given_up.message) == b"" and given_up.last_error == "permanent: 550"
    (delivered,) = mailbox()
    assert delivered.message().as_bytes(linesep="\r\n") == waiting_raw


def test_the_migration_backwards_unseals_unsent_mail():
    migration = importlib.import_module("onboarding.migrations.0018_seal_queued_mail")
    waiting, raw = _legacy()
    migration.seal_or_erase(apps, None)

    migration.unseal(apps, None)

    waiting.refresh_from_db()
    assert bytes(waiting.message) == raw
