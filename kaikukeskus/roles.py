"""Roles declared once. There are two, and neither is an enum: national staff is the group below with explicit
permissions (who belongs: `User.objects.national_staff()`); a local coordinator is a membership
(`localities.Coordinator`) and needs no Django permissions, since every coordinator query is scoped by
`localities.permissions.localities_for`. Everybody else is a visitor."""

STAFF_GROUP = "Kaikukeskus staff"

# The apps whose every model national staff may view, add, change and delete in the admin.
STAFF_APPS = (
    "kaikukeskus",
    "localities",
    "networks",
    "stats",
    "materials",
    "trainings",
    "communications",
    "support",
    "cooperation",
    "mfa",
    "account",
    "post_office",  # the outbox: staff see failed e-mails and requeue them
)


def sync_staff_group() -> None:
    """Give the staff group every permission of the staff apps. Idempotent; runs after every migrate so that
    models added by later migrations are covered too."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    group.permissions.set(permissions)
