"""Every portal page's breadcrumb starts at the portal, then the locality the page belongs to."""

import re

import pytest
from django.urls import reverse

from tests.kaikukeskus.portal_pages import make_portal_pages

pytestmark = pytest.mark.django_db

BREADCRUMB = re.compile(r'<nav aria-label="[^"]+" class="breadcrumb">(.*?)</nav>', re.S)


def breadcrumb_links(html: str) -> list[str]:
    (trail,) = BREADCRUMB.findall(html)
    return re.findall(r'href="([^"]+)"', trail)


def test_every_portal_page_starts_its_breadcrumb_at_the_portal_and_the_locality(
    coordinator_client, coordinator, locality
):
    pages = make_portal_pages(locality=locality, coordinator=coordinator)
    locality_url = reverse("localities:portal-detail", kwargs={"slug": locality.slug})

    for name, (url, belongs_to_locality) in pages.items():
        if name == "portal":
            continue  # the portal's home page is the first crumb itself
        response = coordinator_client.get(url)
        assert response.status_code == 200, name
        links = breadcrumb_links(response.content.decode())
        assert links[0] == reverse("portal"), name
        if belongs_to_locality:
            assert links[1] == locality_url, name
        assert url not in links, f"{name} links to itself"
