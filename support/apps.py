from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from kaikukeskus import portal, public_cache
        from support import portal as support_portal
        from support.models import Article

        portal.register(support_portal.panels, order=60)
        public_cache.watch(Article)
