from django.db import migrations


def load(apps, schema_editor):
    from localities.reference_data import load_population

    load_population(apps.get_model("localities", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("localities", "0010_outreach_interest_submissions_and_population")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
