"""Banners at the top of the site's front page (`place="site"`) and the coordinator portal's (`place="portal"`),
contributed by apps like the portal's panels::

    from kaikukeskus import banners
    banners.register(my_app.banners.for_request, order=10)

A provider takes the request and the place and returns `Banner`s; the templates show them with
`{% page_banners "site" %}` (kaikukeskus_tags). The site's front page is cached for visitors without a session
(kaikukeskus.public_cache): a provider shows a visitor without one what every such visitor sees, and a banner's
form on that page carries no CSRF token (a page with one is never cached)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from kaikukeskus.registry import Registry

SITE = "site"
PORTAL = "portal"


@dataclass(frozen=True)
class Banner:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


BannerProvider = Callable[[HttpRequest, str], list[Banner]]
_registry = Registry()


def register(provider: BannerProvider, *, order: int = 100) -> None:
    _registry.register(provider, order=order)


def banners_for(request: HttpRequest, place: str) -> list[Banner]:
    return [banner for provider in _registry for banner in provider(request, place)]
