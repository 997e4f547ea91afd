from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from communications.models.pages import PAGE_ROUTES, Page
from communications.views import PAGES_WITH_TEMPLATE


def _links() -> list[dict]:
    published = set(Page.objects.published().values_list("key", flat=True))
    return [
        {"key": key, "name": name, "url": reverse(name), "label": Page.Key(key).label}
        for key, (_route, name) in PAGE_ROUTES.items()
        if key in published or key in PAGES_WITH_TEMPLATE
    ]


def site_pages(request) -> dict:
    """`site_pages`: the site pages a visitor can open, for the footer (one small query, only when a template
    reads it; public pages are cached whole)."""
    return {"site_pages": SimpleLazyObject(_links)}
