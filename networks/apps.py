from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks of issuers and venues")

    def ready(self) -> None:
        from kaikukeskus import portal
        from networks import portal as networks_portal

        portal.register(networks_portal.panels, order=20)
