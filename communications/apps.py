from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self) -> None:
        from communications import search as communications_search
        from communications.models.pages import Page
        from communications.sitemaps import PageSitemap
        from kaikukeskus import public_cache, search, sitemaps

        public_cache.watch(Page)
        search.register(communications_search.pages, order=60)
        sitemaps.register("pages", PageSitemap)
