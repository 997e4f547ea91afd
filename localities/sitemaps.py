"""The localities' public pages in `/sitemap.xml` (`kaikukeskus.sitemaps`)."""

from django.urls import reverse

from kaikukeskus.sitemaps import PublicSitemap, StaticPagesSitemap
from localities.models import Locality


class LocalityListSitemap(StaticPagesSitemap):
    url_names = ("localities:public-list", "localities:join")


class LocalitySitemap(PublicSitemap):
    def items(self):
        return Locality.objects.public().order_by("slug").only("slug")

    def location(self, item):
        return reverse("localities:public-detail", kwargs={"slug": item.slug})
