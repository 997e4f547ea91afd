from django.db import migrations


def load(apps, schema_editor):
    from localities.reference_data import load_municipalities

    load_municipalities(
        apps.get_model("localities", "Region"),
        apps.get_model("localities", "WellbeingServicesCounty"),
        apps.get_model("localities", "Municipality"),
    )


class Migration(migrations.Migration):
    dependencies = [("localities", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
