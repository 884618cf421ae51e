"""Trigram indexes for the newcomer search on PostgreSQL (issue #19).

The search matches parts of words and of the personnel number (``search_key`` LIKE '% word%',
``personnel_number`` ILIKE '%typed%'), which no B-tree index serves: without these, every search reads
every newcomer. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner can create it.
On SQLite nothing changes (it has no such index; its scan of the table stays).
"""

from django.db import migrations

INDEXES = (
    ("newcomer_search_key_trgm", '"search_key" gin_trgm_ops'),
    ("newcomer_personnel_number_trgm", 'UPPER("personnel_number"::text) gin_trgm_ops'),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON "onboarding_newcomer" USING gin ({expression})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0024_declarationsignature_pdf_sha256")]

    operations = [migrations.RunPython(create, drop)]
