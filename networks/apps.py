from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks of issuers and venues")

    def ready(self) -> None:
        from kaikukeskus import jobs, portal, public_cache, search, sitemaps
        from localities import meeting_guests, sections
        from networks import import_job, public
        from networks import meeting_guests as networks_guests
        from networks import portal as networks_portal
        from networks import search as networks_search
        from networks import sitemaps as networks_sitemaps
        from networks.models import Partner

        portal.register(networks_portal.panels, order=20)
        portal.register(networks_portal.staff_panels, order=21)
        search.register(networks_search.venues, order=20)
        sitemaps.register("venue-directory", networks_sitemaps.VenueDirectorySitemap)
        jobs.register(
            import_job.JOB_KIND,
            import_job.partner_import_job,
            title=_("Import partners from a spreadsheet"),
            describe=import_job.partner_import_outcome,
            waiting=_("This page updates itself every few seconds until the import is done."),
        )
        sections.register(public.locality_sections, order=10, params=public.QUERY_PARAMS)
        meeting_guests.register(networks_guests.contact_persons)
        # A confirmed import writes in bulk (no per-row signals) and says so itself (services.partner_import_apply).
        public_cache.watch(Partner)
