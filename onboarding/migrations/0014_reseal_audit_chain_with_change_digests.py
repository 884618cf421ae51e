"""Move the existing chain to the salted-digest scheme, after checking it under the old one.

The old scheme hashed the changes themselves, so no entry could be redacted
without breaking the chain. Each entry is checked against its old hash first:
a chain that is already broken stops the migration (run verify_audit on the
previous release to find the entry) instead of being sealed anew.
"""

import secrets

from django.db import migrations

BATCH = 2000


def reseal(apps, schema_editor):
    from onboarding.audit.trail import changes_digest, entry_digest, entry_digest_v1

    AuditEntry = apps.get_model("onboarding", "AuditEntry")
    old_previous = new_previous = ""
    batch = []
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=BATCH):
        content = dict(
            at=entry.at,
            actor_id=entry.actor_id,
            via=entry.via,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
        )
        if entry.previous_hash != old_previous or entry_digest_v1(
            previous_hash=old_previous, changes=entry.changes, **content
        ) != entry.hash:
            raise RuntimeError(f"The audit trail is broken at entry {entry.pk}: not resealed. Run verify_audit.")
        old_previous = entry.hash
        entry.salt = secrets.token_hex(16)
        entry.changes_digest = changes_digest(salt=entry.salt, changes=entry.changes)
        entry.previous_hash = new_previous
        entry.hash = entry_digest(previous_hash=new_previous, changes_digest=entry.changes_digest, **content)
        new_previous = entry.hash
        batch.append(entry)
        if len(batch) >= BATCH:
            AuditEntry.objects.bulk_update(batch, ["salt", "changes_digest", "previous_hash", "hash"])
            batch = []
    AuditEntry.objects.bulk_update(batch, ["salt", "changes_digest", "previous_hash", "hash"])


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0013_audit_salted_change_digests")]

    # Backwards: the old hashes cannot be restored; roll back to before 0012 to rehash from scratch.
    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
