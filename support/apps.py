from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from kaikukeskus import portal
        from support import portal as support_portal

        portal.register(support_portal.panels, order=60)
