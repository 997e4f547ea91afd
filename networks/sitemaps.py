"""The venue directory in `/sitemap.xml` (`kaikukeskus.sitemaps`); the venues themselves are on their locality's
page."""

from kaikukeskus.sitemaps import StaticPagesSitemap


class VenueDirectorySitemap(StaticPagesSitemap):
    url_names = ("networks:venue-search",)
