"""The site's own pages in `/sitemap.xml` (`kaikukeskus.sitemaps`): the published ones; the three that render their
former template until published (contact, accessibility statement, privacy notice) always. The news app adds
its public news here too."""

from django.urls import reverse

from communications.models import NewsItem
from communications.models.pages import PAGE_ROUTES, Page, page_url_name
from communications.views import PAGES_WITH_TEMPLATE
from kaikukeskus.sitemaps import PublicSitemap


class PageSitemap(PublicSitemap):
    def items(self):
        # A page served elsewhere (/join/) is in that app's own sitemap whether or not its text is published.
        keys = set(Page.objects.published().values_list("key", flat=True)) | set(PAGES_WITH_TEMPLATE)
        return sorted(key for key in keys if key in PAGE_ROUTES)

    def location(self, item):
        return reverse(page_url_name(item))


class NewsSitemap(PublicSitemap):
    def items(self):
        return NewsItem.objects.public().order_by("-publish_at", "-pk").only("slug", "publish_at")

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.publish_at
