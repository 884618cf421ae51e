"""The mail queue: nothing is sent inside a request, nothing is lost.

``QueueBackend`` is Django's EMAIL_BACKEND: every ``send()`` (ours and
allauth's) stores the complete MIME message in the database, in the current
transaction, so a rolled-back change sends nothing. The stored bytes are
sealed (``onboarding.mail.seal``: a copy of the database opens no link or
code in them) and erased in the transaction that marks the message sent or
given up; what stays is the envelope, subject, Message-ID, size, attempts,
the last error and, once sent, a keyed digest of the bytes that went out.

After commit one delivery attempt is made at once; ``send_queued_mail``
(cron, every minute) retries what failed with exponential backoff through the
real backend (``OUTBOX_DELIVERY_BACKEND``, set from EMAIL_URL). Delivery is at least once:
a crash between the SMTP server accepting a message and the commit that marks
it sent would send it again.

Under faults: each message is sent while its row is locked (``skip_locked``),
so two workers (cron on two machines) never send the same one; after any
failure the SMTP connection is dropped, so a server that hung up or timed out
does not poison the rest of the run; after ``MAX_CONSECUTIVE_FAILURES``
failures in a row the run stops and leaves the rest for the next one (an
unreachable server then costs a few timeouts, not hundreds). A permanent
refusal (5xx) of every recipient is not retried: the message stays in the
queue, visible in the admin with the server's answer. A message that no key
opens (SECRET_KEY changed without SECRET_KEY_FALLBACKS) is given up at once,
logged, with the reason as its last error; the others still go out.
"""

import contextlib
import datetime
import email
import email.message
import enum
import logging
import smtplib
from email import policy

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from core.jobs import each_item
from core.text_rules import one_line
from onboarding.mail.seal import SealBroken, mail_digest, mail_seal, mail_unseal
from onboarding.models import QueuedMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
MAX_BACKOFF = datetime.timedelta(hours=6)
MAX_CONSECUTIVE_FAILURES = 3


class Delivery(enum.Enum):
    """What one delivery attempt did."""

    SENT = "sent"
    FAILED = "failed"  # recorded for a retry, or given up when permanent or after MAX_ATTEMPTS
    UNREADABLE = "unreadable"  # no key opens the stored bytes: given up, says nothing about the server


class StoredMIME(email.message.Message):
    """A parsed stored message that Django's backends can write out again unchanged."""

    def as_bytes(self, unixfrom=False, policy=None, linesep=None):
        policy = policy or self.policy
        if linesep:
            policy = policy.clone(linesep=linesep)
        return super().as_bytes(unixfrom=unixfrom, policy=policy)


class StoredEmail(EmailMessage):
    """An EmailMessage whose MIME tree is the stored (unsealed) bytes, not rebuilt."""

    def __init__(self, queued: QueuedMail, raw: bytes):
        self._raw = raw
        super().__init__(
            subject=queued.subject, body=_plain_text(self._raw), from_email=queued.from_email, to=queued.recipients
        )

    def message(self):
        return email.message_from_bytes(self._raw, _class=StoredMIME, policy=policy.compat32)

    def recipients(self):
        return list(self.to)


def _plain_text(raw: bytes) -> str:
    parsed = email.message_from_bytes(raw, policy=policy.default)
    part = parsed.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def mail_enqueue(message: EmailMessage) -> QueuedMail:
    """Store a message (sealed) for delivery; call inside the transaction of the change that causes it.

    The subject is put on one line first (``text_rules.one_line``): a line break from stored data
    would make Django refuse the whole message (BadHeaderError).
    """
    message.subject = one_line(message.subject)
    mime = message.message()
    raw = mime.as_bytes(linesep="\r\n")
    from_email, recipients = message.from_email or settings.DEFAULT_FROM_EMAIL, message.recipients()
    queued = QueuedMail.objects.create(
        from_email=from_email,
        recipients=recipients,
        subject=str(message.subject)[:300],
        message_id=str(mime["Message-ID"] or "")[:300],
        size=len(raw),
        message=mail_seal(raw, from_email=from_email, recipients=recipients),
        next_attempt_at=timezone.now(),
    )
    if settings.OUTBOX_SEND_AFTER_COMMIT:
        transaction.on_commit(lambda: outbox_deliver(pk=queued.pk), robust=True)
    return queued


class QueueBackend(BaseEmailBackend):
    """EMAIL_BACKEND that queues instead of sending."""

    def send_messages(self, email_messages):
        for message in email_messages:
            mail_enqueue(message)
        return len(email_messages)


def _backoff(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)


def _is_permanent(exc: Exception) -> bool:
    """Every recipient refused with a 5xx code: sending again would get the same answer (RFC 5321 4.2.1)."""
    if not isinstance(exc, smtplib.SMTPRecipientsRefused) or not exc.recipients:
        return False
    return all(code >= 500 for code, _message in exc.recipients.values())


def _discard(connection) -> None:
    """Drop a connection after a failure: it may be half-way through a message, hung up or hanging.

    An SMTP connection's socket is closed without a QUIT (which could wait a
    whole timeout again); the next message opens a fresh one. Never raises.
    """
    smtp = getattr(connection, "connection", None)
    with contextlib.suppress(Exception):
        if smtp is not None:
            smtp.close()
            connection.connection = None
        else:
            connection.close()


def _close(connection) -> None:
    with contextlib.suppress(Exception):
        connection.close()


def _record_failure(queued: QueuedMail, exc: Exception) -> None:
    """Count a failed attempt; a message given up (permanent refusal, MAX_ATTEMPTS) loses its body."""
    queued.attempts += 1
    queued.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if _is_permanent(exc):
        queued.attempts = max(queued.attempts, MAX_ATTEMPTS)
        queued.last_error = f"permanent: {queued.last_error}"[:2000]
    queued.next_attempt_at = timezone.now() + _backoff(queued.attempts)
    if queued.attempts >= MAX_ATTEMPTS:
        queued.message = b""  # nothing will send it again, so nothing keeps its secrets
    queued.save(update_fields=["attempts", "last_error", "next_attempt_at", "message"])
    logger.warning("Mail %s not sent (attempt %s): %s", queued.pk, queued.attempts, type(exc).__name__)


def _record_unreadable(queued: QueuedMail, exc: SealBroken) -> None:
    queued.attempts = max(queued.attempts, MAX_ATTEMPTS)
    queued.last_error = f"unreadable: {exc}"[:2000]
    queued.message = b""
    queued.save(update_fields=["attempts", "last_error", "message"])
    logger.error("Mail %s given up: %s", queued.pk, exc)


def _record_sent(queued: QueuedMail, raw: bytes) -> None:
    """Mark sent and erase the body in one write: from now on only the digest says what went out."""
    queued.attempts += 1
    queued.sent_at = timezone.now()
    queued.last_error = ""
    queued.digest = mail_digest(raw)
    queued.message = b""
    queued.save(update_fields=["attempts", "sent_at", "last_error", "digest", "message"])


def outbox_deliver(*, pk: int, connection=None) -> Delivery | None:
    """Try to send one queued message; None when there was nothing to do (already sent or given up,
    or another worker is sending it right now)."""
    with transaction.atomic():
        queued = (
            QueuedMail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .first()
        )
        if queued is None:
            return None
        try:
            raw = mail_unseal(bytes(queued.message), from_email=queued.from_email, recipients=queued.recipients)
        except SealBroken as exc:
            _record_unreadable(queued, exc)
            return Delivery.UNREADABLE
        connection = connection or get_connection(settings.OUTBOX_DELIVERY_BACKEND)
        try:
            connection.send_messages([StoredEmail(queued, raw)])
        except Exception as exc:  # any failure means: try again later (or never, when permanent)
            _discard(connection)
            _record_failure(queued, exc)
            return Delivery.FAILED
        _record_sent(queued, raw)
        return Delivery.SENT


def outbox_send_due(*, now=None, limit: int = 500) -> tuple[int, int]:
    """Send every message that is due; returns (sent, failed) by this run.

    An unreadable message counts as failed but not towards MAX_CONSECUTIVE_FAILURES: it says nothing
    about the server, so the run goes on with the others.
    """
    now = now or timezone.now()
    due = QueuedMail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS)
    sent = failed = failed_in_a_row = 0
    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND)
    try:
        for pk in list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]):
            with each_item("mail", pk) as item:
                outcome = outbox_deliver(pk=pk, connection=connection)
            if item.failed:  # not even its failure could be recorded: logged, and the next one is tried
                failed += 1
            elif outcome is Delivery.SENT:
                sent += 1
                failed_in_a_row = 0
            elif outcome is Delivery.UNREADABLE:
                failed += 1
            elif outcome is Delivery.FAILED:
                failed += 1
                failed_in_a_row += 1
                if failed_in_a_row >= MAX_CONSECUTIVE_FAILURES:
                    logger.warning("Mail run stopped after %s failures in a row; the rest waits.", failed_in_a_row)
                    break
    finally:
        _close(connection)
    return sent, failed
