from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self) -> None:
        from communications import banners as news_banners
        from communications import portal as communications_portal
        from communications import search as communications_search
        from communications import selectors as communications_selectors
        from communications.models import NewsItem, Newsletter, NewsTag, Page
        from communications.schedule import publication_moment
        from communications.sitemaps import NewsSitemap, PageSitemap
        from kaikukeskus import banners, portal, public_cache, search, site_texts, sitemaps

        portal.register(communications_portal.panels, order=5)
        banners.register(news_banners.for_request, order=10)
        public_cache.watch(NewsItem, NewsTag, NewsItem.tags.through, Page, Newsletter, Newsletter.items.through)
        public_cache.vary_on_clock(publication_moment)
        search.register(communications_search.pages, order=60)
        search.register(communications_search.news, order=50)
        sitemaps.register("pages", PageSitemap)
        sitemaps.register("news", NewsSitemap)
        site_texts.register(communications_selectors.published_page_text)
