from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self) -> None:
        from cooperation import portal as cooperation_portal
        from kaikukeskus import portal

        portal.register(cooperation_portal.panels, order=70)
