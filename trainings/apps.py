from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings and meetings")

    def ready(self) -> None:
        from kaikukeskus import portal, public_cache, search, sitemaps
        from localities import workspace as localities_workspace
        from trainings import portal as trainings_portal
        from trainings import search as trainings_search
        from trainings import sitemaps as trainings_sitemaps
        from trainings import workspace
        from trainings.models import Training

        portal.register(trainings_portal.panels, order=40)
        portal.register(workspace.staff_panels, order=45)
        localities_workspace.register(workspace.locality_sections, order=30)
        search.register(trainings_search.trainings, order=40)
        sitemaps.register("trainings", trainings_sitemaps.TrainingSitemap)
        sitemaps.register("training-list", trainings_sitemaps.TrainingListSitemap)
        # The public list shows trainings only (no places left), so a registration does not empty the cache.
        public_cache.watch(Training)
