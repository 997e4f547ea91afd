from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_staff_group(sender, **kwargs) -> None:
    from kaikukeskus.roles import sync_staff_group

    sync_staff_group()


class KaikukeskusConfig(AppConfig):
    name = "kaikukeskus"
    verbose_name = _("Kaikukeskus portal")

    def ready(self) -> None:
        from kaikukeskus import checks  # noqa: F401 - registers the system checks

        # Permissions of models added by later migrations join the staff group after every migrate.
        post_migrate.connect(_sync_staff_group, dispatch_uid="kaikukeskus-sync-staff-group")
