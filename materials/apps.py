from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("Materials")

    def ready(self) -> None:
        from kaikukeskus import portal, public_cache
        from materials import portal as materials_portal
        from materials.models import Material, MaterialFile, MaterialVersion

        portal.register(materials_portal.panels, order=40)
        public_cache.watch(Material, MaterialVersion, MaterialFile)
