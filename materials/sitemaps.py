"""The public materials in `/sitemap.xml` (`kaikukeskus.sitemaps`)."""

from django.urls import reverse

from kaikukeskus.sitemaps import PublicSitemap, StaticPagesSitemap
from materials.models import Material, Visibility


class MaterialLibrarySitemap(StaticPagesSitemap):
    url_names = ("materials:library",)


class MaterialSitemap(PublicSitemap):
    def items(self):
        return Material.objects.filter(visibility=Visibility.PUBLIC).order_by("slug").only("slug")

    def location(self, item):
        return reverse("materials:detail", kwargs={"slug": item.slug})
