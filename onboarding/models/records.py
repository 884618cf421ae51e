"""The audit trail's entries and the mail queue: records the app keeps of what it did."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who (or which link or command) changed what, when, with the values before and after.

    Written only by ``onboarding.audit.trail.audit_record``: each entry carries the
    SHA-256 of its content and of the previous entry (``manage.py verify_audit``).
    A user who appears in the trail cannot be deleted (deactivate them instead).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    via = models.CharField(
        _("via"), max_length=50, blank=True, help_text=_("The link, command or admin through which the change came.")
    )
    action = models.CharField(_("action"), max_length=50)
    target_type = models.CharField(_("object type"), max_length=50)
    target_id = models.CharField(_("object id"), max_length=50)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The chain covers the digest of salt + changes, so retention can blank personal values (and forget the
    # salt) without breaking it; the entry that did so, and seals the result, is ``redacted_by``.
    salt = models.CharField(max_length=32, blank=True)
    changes_digest = models.CharField(_("digest of the changes"), max_length=64, blank=True)
    redacted_by = models.ForeignKey(
        "self", verbose_name=_("redacted by"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    previous_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            # The admin's filter by action reads its values here, and the entries of one action newest first.
            models.Index(fields=["action", "at"], name="audit_action"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class QueuedMail(models.Model):
    """One outgoing message, stored whole (MIME bytes, sealed) in the transaction that caused it.

    Sent by ``manage.py send_queued_mail`` (cron, every minute) with retries and
    backoff, and tried once right after the transaction commits. ``message``
    holds the bytes sealed with a key derived from SECRET_KEY
    (``onboarding.mail.seal``) and is emptied once the message is sent or given
    up; the other fields stay as the record of what was sent to whom.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    from_email = models.CharField(_("from"), max_length=320)
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    message = models.BinaryField(_("message"))
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    digest = models.CharField(
        _("digest of the sent message"),
        max_length=64,
        blank=True,
        help_text=_("HMAC-SHA256 (keyed with SECRET_KEY) of the bytes as sent; the message itself is erased."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("queued mail")
        verbose_name_plural = _("mail queue")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="queuedmail_due")]

    def __str__(self):
        return self.subject
