"""Two periods of one person in one group may not overlap, also for periods that have ended: an exclusion
constraint over the period as a date range (an open end is open in the range too). PostgreSQL only; SQLite, the
embedded default, has no such constraint and relies on the service's check (cooperation.services)."""

from django.db import migrations

NAME = "membership_periods_do_not_overlap"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE cooperation_membership ADD CONSTRAINT {NAME} EXCLUDE USING gist ("
        "group_id WITH =, "
        "(COALESCE(user_id::text, lower(email))) WITH =, "
        "daterange(started_on, ended_on, '[]') WITH &&)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE cooperation_membership DROP CONSTRAINT IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_working_groups")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
