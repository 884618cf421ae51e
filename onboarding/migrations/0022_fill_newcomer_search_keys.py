"""Fill the search key of the newcomers stored before it existed (anonymised people keep an empty key)."""

from django.db import migrations

CHUNK = 1000
SEARCHED_FIELDS = ("given_names", "surname_prefix", "surname", "personnel_number")


def fill_search_keys(apps, schema_editor):
    from onboarding.newcomers.search import search_key

    Newcomer = apps.get_model("onboarding", "Newcomer")
    kept = Newcomer.objects.filter(anonymised_at__isnull=True)
    ids = list(kept.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        newcomers = list(kept.filter(pk__in=ids[start : start + CHUNK]).only("pk", *SEARCHED_FIELDS))
        for newcomer in newcomers:
            newcomer.search_key = search_key(**{name: getattr(newcomer, name) for name in SEARCHED_FIELDS})
        Newcomer.objects.bulk_update(newcomers, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0021_newcomer_search_key")]

    # Backwards: nothing to undo; the column goes with 0021.
    operations = [migrations.RunPython(fill_search_keys, migrations.RunPython.noop)]
