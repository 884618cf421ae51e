"""Fill each newcomer's last import from the audit trail: the newest create or update marked ``via=import:<id>``.

Imports from the command line (``via=command:import_newcomers``) did not name their batch and stay unknown.
"""

from django.db import migrations

ACTIONS = ("newcomer.create", "newcomer.update")
CHUNK = 1000


def fill_from_audit(apps, schema_editor):
    AuditEntry = apps.get_model("onboarding", "AuditEntry")
    ImportBatch = apps.get_model("onboarding", "ImportBatch")
    Newcomer = apps.get_model("onboarding", "Newcomer")
    batches = set(ImportBatch.objects.values_list("pk", flat=True))
    last = {}
    entries = AuditEntry.objects.filter(
        target_type="onboarding.newcomer", action__in=ACTIONS, via__startswith="import:"
    ).order_by("id")
    for target_id, via in entries.values_list("target_id", "via").iterator(chunk_size=5000):
        batch = via.removeprefix("import:")
        if batch.isdigit() and int(batch) in batches and target_id.isdigit():
            last[int(target_id)] = int(batch)
    ids = sorted(last)
    for start in range(0, len(ids), CHUNK):
        newcomers = list(Newcomer.objects.filter(pk__in=ids[start : start + CHUNK]).only("pk"))
        for newcomer in newcomers:
            newcomer.last_import_id = last[newcomer.pk]
        Newcomer.objects.bulk_update(newcomers, ["last_import"])


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0019_newcomer_last_import")]

    # Backwards: nothing to undo; the column goes with 0019.
    operations = [migrations.RunPython(fill_from_audit, migrations.RunPython.noop)]
