"""`/sitemap.xml`: every public page in its three languages, with `hreflang` alternates. Each app registers the
Sitemap classes of its public pages from `AppConfig.ready()`::

    from kaikukeskus import sitemaps
    sitemaps.register("materials", MaterialSitemap)

A Sitemap here is Django's (`django.contrib.sitemaps.Sitemap`) with `i18n`, `alternates` and `x_default` on (take
`PublicSitemap` as the base): Django then lists every item once per language in `settings.LANGUAGES`, each entry
with its alternates. `kaikukeskus` knows the registry, no app's models; the home page is its own."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # The Sitemap protocol's `limit` counts items; each is listed in three languages.
    limit = 10_000


class StaticPagesSitemap(PublicSitemap):
    """Pages named by their URL name alone (the home page, the public lists)."""

    url_names: tuple[str, ...] = ()

    def items(self):
        return list(self.url_names)

    def location(self, item):
        return reverse(item)


class HomeSitemap(StaticPagesSitemap):
    url_names = ("home",)
    priority = 1.0


_sitemaps: dict[str, type[Sitemap]] = {"home": HomeSitemap}


def register(name: str, sitemap: type[Sitemap]) -> None:
    _sitemaps[name] = sitemap  # by name: ready() may run twice


def registered() -> dict[str, type[Sitemap]]:
    return dict(_sitemaps)
