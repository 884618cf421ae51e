"""Queued mail keeps no readable secret at rest: unsent messages sealed, sent and given-up ones erased.

Rows queued before this held the plain MIME bytes (links, login codes,
password-set links) for RETENTION_MAIL_DAYS. Each row gets its Message-ID and
size; a sent one also the keyed digest of what was sent, and loses its body;
one given up (MAX_ATTEMPTS, 12 then) loses its body; the rest are sealed with
the current SECRET_KEY. Backwards, unsent rows are unsealed again.
"""

import email

from django.db import migrations, models

GIVEN_UP = 12  # onboarding.mail.outbox.MAX_ATTEMPTS when this was written
BATCH = 200


def _rows(apps):
    """Every row, a batch at a time (bodies can hold PDF attachments)."""
    QueuedMail = apps.get_model("onboarding", "QueuedMail")
    pks = list(QueuedMail.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        yield from QueuedMail.objects.filter(pk__in=pks[start : start + BATCH])


def seal_or_erase(apps, schema_editor):
    from onboarding.mail.seal import mail_digest, mail_seal

    for queued in _rows(apps):
        raw = bytes(queued.message)
        queued.message_id = str(email.message_from_bytes(raw)["Message-ID"] or "")[:300]
        queued.size = len(raw)
        if queued.sent_at is not None:
            queued.digest, queued.message = mail_digest(raw), b""
        elif queued.attempts >= GIVEN_UP:
            queued.message = b""
        else:
            queued.message = mail_seal(raw, from_email=queued.from_email, recipients=queued.recipients)
        queued.save(update_fields=["message_id", "size", "digest", "message"])


def unseal(apps, schema_editor):
    from onboarding.mail.seal import mail_unseal

    for queued in _rows(apps):
        if queued.message:
            queued.message = mail_unseal(bytes(queued.message), from_email=queued.from_email, recipients=queued.recipients)
            queued.save(update_fields=["message"])


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0017_import_batch_parsed_rows")]

    operations = [
        migrations.AddField(
            model_name="queuedmail",
            name="message_id",
            field=models.CharField(blank=True, max_length=300, verbose_name="Message-ID"),
        ),
        migrations.AddField(
            model_name="queuedmail",
            name="size",
            field=models.PositiveIntegerField(default=0, verbose_name="size (bytes)"),
        ),
        migrations.AddField(
            model_name="queuedmail",
            name="digest",
            field=models.CharField(
                blank=True,
                help_text="HMAC-SHA256 (keyed with SECRET_KEY) of the bytes as sent; the message itself is erased.",
                max_length=64,
                verbose_name="digest of the sent message",
            ),
        ),
        migrations.RunPython(seal_or_erase, unseal, elidable=False),
    ]
