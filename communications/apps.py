from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self) -> None:
        from communications import banners as news_banners
        from communications import portal as communications_portal
        from communications.models import NewsItem, NewsTag
        from communications.schedule import publication_moment
        from kaikukeskus import banners, portal, public_cache

        portal.register(communications_portal.panels, order=5)
        banners.register(news_banners.for_request, order=10)
        public_cache.watch(NewsItem, NewsTag, NewsItem.tags.through)
        public_cache.vary_on_clock(publication_moment)
