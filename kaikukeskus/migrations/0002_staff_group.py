"""The `Kaikukeskus staff` group with view/add/change/delete on every model of the staff apps. A post_migrate
hook (kaikukeskus.apps) keeps it complete as later migrations add models."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Kaikukeskus staff"
STAFF_APPS = ("kaikukeskus", "localities", "networks", "stats", "materials", "trainings", "mfa", "account")


def create_staff_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(*permission_model.objects.filter(content_type__app_label__in=STAFF_APPS))


def remove_staff_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kaikukeskus", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_staff_group, remove_staff_group)]
