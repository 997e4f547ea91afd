"""Scheduled publishing and the public cache: a news item whose `publish_at` (or `expire_at`) passes changes
public pages without any row being saved, so the data version (kaikukeskus.public_cache) does not move. The key
of every public page that shows news (this app's pages and API, the front page with its banners) also holds
`publication_moment()`, the latest publication or expiry that has passed: a page cached before an item's time is
not served after it. This process remembers the moment until the next one is due or the data version changes,
so that a cache hit asks the database nothing more; the other apps' pages never ask."""

import threading
from dataclasses import dataclass

from django.utils import timezone

from kaikukeskus import public_cache


@dataclass
class _Remembered:
    version: object = None
    moment: str = ""
    until: object = None  # the next publication or expiry: the moment holds until then


_lock = threading.Lock()
_remembered = _Remembered()


# The pages that show news items: this app's (pages, feed, API; the sitemap and search when they join) and the
# front page with its pinned banners.
NEWS_NAMESPACES = {"communications", "communications-api"}
NEWS_URL_NAMES = {"home"}


def shows_news(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and (match.namespace in NEWS_NAMESPACES or match.view_name in NEWS_URL_NAMES)


def publication_moment(request) -> str:
    from communications.models import NewsItem

    if not shows_news(request):
        return ""
    version = public_cache.data_version()
    now = timezone.now()
    with _lock:
        if _remembered.version == version and (_remembered.until is None or now < _remembered.until):
            return _remembered.moment
    passed, coming = NewsItem.objects.schedule_edges(now)
    moment = f"news{int(passed.timestamp())}" if passed else "news"
    with _lock:
        _remembered.version, _remembered.moment, _remembered.until = version, moment, coming
    return moment


def forget() -> None:
    with _lock:
        _remembered.version, _remembered.moment, _remembered.until = None, "", None
