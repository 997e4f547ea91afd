from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalitiesConfig(AppConfig):
    name = "localities"
    verbose_name = _("Localities")

    def ready(self) -> None:
        from kaikukeskus import portal
        from localities import portal as localities_portal

        portal.register(localities_portal.panels, order=10)
