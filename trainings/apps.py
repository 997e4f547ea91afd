from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings and meetings")

    def ready(self) -> None:
        from kaikukeskus import portal, public_cache
        from trainings import portal as trainings_portal
        from trainings.models import Training

        portal.register(trainings_portal.panels, order=40)
        # The public list shows trainings only (no places left), so a registration does not empty the cache.
        public_cache.watch(Training)
