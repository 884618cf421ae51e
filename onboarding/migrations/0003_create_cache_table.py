from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The shared cache (rate limits, login codes across workers) lives in the database."""
    call_command("createcachetable", "cache_table", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0002_create_role_groups")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
