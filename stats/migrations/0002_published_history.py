from django.db import migrations


def load(apps, schema_editor):
    from stats.reference_data import load_published_history

    load_published_history(apps.get_model("stats", "NationalYear"))


def unload(apps, schema_editor):
    apps.get_model("stats", "NationalYear").objects.filter(source="published").delete()


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
