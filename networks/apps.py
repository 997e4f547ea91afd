from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks of issuers and venues")

    def ready(self) -> None:
        from kaikukeskus import portal, public_cache
        from localities import sections
        from networks import portal as networks_portal
        from networks import public
        from networks.models import Partner

        portal.register(networks_portal.panels, order=20)
        sections.register(public.locality_sections, order=10)
        # A confirmed import writes in bulk (no per-row signals) and says so itself (partner_import_confirm).
        public_cache.watch(Partner)
