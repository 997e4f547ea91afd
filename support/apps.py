from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from kaikukeskus import portal, public_cache, search, sitemaps
        from support import portal as support_portal
        from support import search as support_search
        from support import sitemaps as support_sitemaps
        from support.models import Article

        portal.register(support_portal.panels, order=60)
        search.register(support_search.articles, order=70)
        sitemaps.register("faq-list", support_sitemaps.FaqListSitemap)
        sitemaps.register("faq", support_sitemaps.FaqArticleSitemap)
        public_cache.watch(Article)
