from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings and meetings")

    def ready(self) -> None:
        from kaikukeskus import portal, public_cache, search, sitemaps
        from trainings import portal as trainings_portal
        from trainings import search as trainings_search
        from trainings import sitemaps as trainings_sitemaps
        from trainings.models import Training

        portal.register(trainings_portal.panels, order=40)
        search.register(trainings_search.trainings, order=40)
        sitemaps.register("trainings", trainings_sitemaps.TrainingSitemap)
        sitemaps.register("training-list", trainings_sitemaps.TrainingListSitemap)
        # The public list shows trainings only (no places left), so a registration does not empty the cache.
        public_cache.watch(Training)
