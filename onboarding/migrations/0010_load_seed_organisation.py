import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "organisation.json"


def load_organisation(apps, schema_editor):
    """Zuid-Holland's details (name, certificate prefix ZH, address), unless a version is already there."""
    OrganisationProfile = apps.get_model("onboarding", "OrganisationProfile")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = row["fields"]
        OrganisationProfile.objects.get_or_create(
            certificate_prefix=fields["certificate_prefix"], valid_from=fields["valid_from"], defaults=fields
        )


def remove_organisation(apps, schema_editor):
    OrganisationProfile = apps.get_model("onboarding", "OrganisationProfile")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = row["fields"]
        OrganisationProfile.objects.filter(
            certificate_prefix=fields["certificate_prefix"], valid_from=fields["valid_from"], name=fields["name"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0009_add_organisation_profiles")]

    operations = [migrations.RunPython(load_organisation, remove_organisation)]
