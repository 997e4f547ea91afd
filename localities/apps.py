from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalitiesConfig(AppConfig):
    name = "localities"
    verbose_name = _("Localities")

    def ready(self) -> None:
        from kaikukeskus import portal, public_cache, search, sitemaps
        from localities import page_check
        from localities import portal as localities_portal
        from localities import search as localities_search
        from localities import sitemaps as localities_sitemaps
        from localities.models import Locality, Municipality, Region, WellbeingServicesCounty

        portal.register(localities_portal.panels, order=10)
        portal.register(page_check.staff_panels, order=11)
        search.register(localities_search.localities, order=10)
        sitemaps.register("localities", localities_sitemaps.LocalitySitemap)
        sitemaps.register("locality-list", localities_sitemaps.LocalityListSitemap)
        public_cache.watch(Locality, Locality.municipalities.through, Municipality, Region, WellbeingServicesCounty)
