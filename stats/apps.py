from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    # Not `statistics`: a top-level package of that name would shadow Python's standard module (README).
    name = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from kaikukeskus import jobs, portal, public_cache
        from localities import workspace as localities_workspace
        from stats import pdf, workspace
        from stats import portal as stats_portal
        from stats.models import LocalityYear, NationalYear

        portal.register(stats_portal.panels, order=30)
        localities_workspace.register(workspace.locality_sections, order=20)
        jobs.register(pdf.JOB_KIND, pdf.annual_report_job, title=_("Annual report (PDF)"), shared=True)

        # Publishing, unpublishing and aggregating change what /statistics/ and the open data show. The
        # aggregation writes LocalityYear rows in bulk and says so itself (aggregation.aggregate_year).
        public_cache.watch(NationalYear, LocalityYear)
