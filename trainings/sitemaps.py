"""The published trainings in `/sitemap.xml` (`kaikukeskus.sitemaps`)."""

from django.urls import reverse

from kaikukeskus.sitemaps import PublicSitemap, StaticPagesSitemap
from trainings.models import Training


class TrainingListSitemap(StaticPagesSitemap):
    url_names = ("trainings:list",)


class TrainingSitemap(PublicSitemap):
    def items(self):
        return Training.objects.published().order_by("pk").only("pk")

    def location(self, item):
        return reverse("trainings:detail", kwargs={"pk": item.pk})
