from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("Materials")

    def ready(self) -> None:
        from kaikukeskus import portal, public_cache, search, sitemaps
        from materials import portal as materials_portal
        from materials import search as materials_search
        from materials import sitemaps as materials_sitemaps
        from materials.models import Material, MaterialFile, MaterialVersion

        portal.register(materials_portal.panels, order=40)
        search.register(materials_search.materials, order=30)
        sitemaps.register("materials", materials_sitemaps.MaterialSitemap)
        sitemaps.register("material-library", materials_sitemaps.MaterialLibrarySitemap)
        public_cache.watch(Material, MaterialVersion, MaterialFile)
