"""Hash the audit entries written before the chain existed, in the order they were written."""

from django.db import migrations


def hash_in_order(apps, schema_editor):
    from onboarding.audit.trail import entry_digest_v1 as entry_digest

    AuditEntry = apps.get_model("onboarding", "AuditEntry")
    previous = ""
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        entry.previous_hash = previous
        entry.hash = entry_digest(
            previous_hash=previous,
            at=entry.at,
            actor_id=entry.actor_id,
            via=entry.via,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            changes=entry.changes,
        )
        entry.save(update_fields=["previous_hash", "hash"])
        previous = entry.hash


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0011_audit_hash_chain")]

    # Backwards: the hashes are simply left; the columns go with 0011.
    operations = [migrations.RunPython(hash_in_order, migrations.RunPython.noop)]
