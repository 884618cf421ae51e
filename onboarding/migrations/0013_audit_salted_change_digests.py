import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0012_hash_existing_audit_entries")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="changes_digest",
            field=models.CharField(blank=True, max_length=64, verbose_name="digest of the changes"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="redacted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="onboarding.auditentry",
                verbose_name="redacted by",
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="salt",
            field=models.CharField(blank=True, max_length=32),
        ),
    ]
