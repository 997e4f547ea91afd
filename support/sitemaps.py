"""The public knowledge base in `/sitemap.xml` (`kaikukeskus.sitemaps`)."""

from django.urls import reverse

from kaikukeskus.sitemaps import PublicSitemap, StaticPagesSitemap
from support.models import Article


class FaqListSitemap(StaticPagesSitemap):
    url_names = ("support:faq",)


class FaqArticleSitemap(PublicSitemap):
    def items(self):
        return Article.objects.visible_to(None).order_by("pk").only("pk", "slug")

    def location(self, item):
        return reverse("support:faq-detail", kwargs={"slug": item.slug})
