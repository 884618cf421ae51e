from django.db import migrations

ITEMS = [
    "Vertrouwenspersonen",
    "Wet open overheid (Woo)",
    "Ondermijning",
    "Bibob-screening",
    "Dilemmaspel integriteit",
]


def add_items(apps, schema_editor):
    ProgrammeItem = apps.get_model("eed", "ProgrammeItem")
    for position, name in enumerate(ITEMS):
        ProgrammeItem.objects.get_or_create(name=name, defaults={"position": position})


def remove_items(apps, schema_editor):
    apps.get_model("eed", "ProgrammeItem").objects.filter(name__in=ITEMS).delete()


class Migration(migrations.Migration):
    dependencies = [("eed", "0001_initial")]

    operations = [migrations.RunPython(add_items, remove_items)]
