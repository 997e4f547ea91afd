from django.db import migrations


def load(apps, schema_editor):
    from localities.milestone_defaults import load_default_milestones

    load_default_milestones(apps.get_model("localities", "MilestoneTemplate"))


class Migration(migrations.Migration):
    dependencies = [("localities", "0003_pilots_agreements_meetings_prospects")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
