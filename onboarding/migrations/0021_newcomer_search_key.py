"""Keep each newcomer's names and personnel number folded for searching (accents, case and punctuation away)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0020_fill_last_import_from_audit")]

    operations = [
        migrations.AddField(
            model_name="newcomer",
            name="search_key",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search key"),
        ),
    ]
