"""Reads of the communications app."""

from django.http import Http404

from communications.models.pages import Page


def published_page(*, key: str) -> Page | None:
    """The page visitors read under `key`, or None while it has never been published."""
    return Page.objects.published().filter(key=key).first()


def page_for_preview_or_404(*, key: str) -> Page:
    page = Page.objects.filter(key=key).select_related("published_by").first()
    if page is None:
        raise Http404("no such page")
    return page


def published_page_keys() -> set[str]:
    return set(Page.objects.published().values_list("key", flat=True))
