import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "texts.json"


def load_texts(apps, schema_editor):
    """The Zuid-Holland formulas and declaration, version 1, unless already present."""
    Text = apps.get_model("onboarding", "Text")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = row["fields"]
        Text.objects.get_or_create(
            kind=fields["kind"], language=fields["language"], version=fields["version"], defaults=fields
        )


def remove_texts(apps, schema_editor):
    apps.get_model("onboarding", "Text").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0006_add_versioned_texts")]

    operations = [migrations.RunPython(load_texts, remove_texts)]
