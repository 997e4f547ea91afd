"""Trigram indexes for the public venue search (`?q=`): `icontains` on PostgreSQL is `UPPER(col::text) LIKE
UPPER('%word%')`, which a GIN index over the same expression with `gin_trgm_ops` answers without reading every
partner. Nothing happens on SQLite (the embedded default), which has no such index."""

from django.db import migrations

COLUMNS = ("name", "parent_organisation", "offer_fi", "offer_sv", "offer_en")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS partner_{column}_trgm ON networks_partner '
            f'USING gin (UPPER(("{column}")::text) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS partner_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("networks", "0002_versions_and_text_limits")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
