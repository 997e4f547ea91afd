"""Public output (pages and the open data API) cached for anonymous visitors and invalidated when data changes.

Every cached response carries the *public data version* it was rendered from: a number kept in the cache (Redis
in production, local memory in the embedded default) and bumped whenever a watched model is saved or deleted; a
copy of another version is stale. Each process keeps the version for `PUBLIC_CACHE_LOCAL_SECONDS` and its most
recent pages in memory, so that a hit asks Redis nothing (see `_Local`). Apps say which
of their models the public sees in `AppConfig.ready()`::

    from kaikukeskus import public_cache
    public_cache.watch(Locality, Municipality)

A view opts in with `@public_page`; the API is covered by `PublicCacheMiddleware`, which applies the same rule
to the paths in `PUBLIC_CACHE_PATHS` (so the API's views need not know about it).

What is cached, and why it is safe:
- only GET and HEAD from a visitor with neither a session nor a messages cookie: nobody is logged in and no
  one-time message waits, so the page is the same for every such visitor. Such a request gets a plain
  `AnonymousUser`, so the session is never read and the response does not `Vary: Cookie`;
- only 200 responses without cookies, without a CSRF token in them and without `private`/`no-store`; anything
  else is passed through as rendered;
- gzip only for these responses: they hold no secret, so compression cannot leak one (BREACH).

The key holds the day too, as partners join and leave by date. A bump happens at once and again when the
transaction commits, so a request that read the old rows while the change was being written cannot keep them
in the cache. When the cache is down, pages are rendered as if nothing were cached.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "public-data-version"
CACHEABLE_METHODS = ("GET", "HEAD")
# The view's own headers are kept with the cached copy, but for those this module sets itself.
OWN_HEADERS = {"etag", "last-modified", "cache-control", "content-encoding", "content-length"}
_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
_MIN_GZIP_BYTES = 200


# --- The public data version ------------------------------------------------------------------------------


class _Local:
    """This process's own layer in front of the shared cache: the version, looked up again after
    `PUBLIC_CACHE_LOCAL_SECONDS`, and the most recently served pages. A hit costs no round trip to Redis; another
    worker's change reaches this one within those seconds (a bump in this process at once)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: int | None = None
        self.version_until = 0.0
        self.pages: OrderedDict[str, CachedPage] = OrderedDict()

    def remember_version(self, version: int) -> int:
        with self.lock:
            self.version = version
            self.version_until = time.monotonic() + settings.PUBLIC_CACHE_LOCAL_SECONDS
        return version

    def known_version(self) -> int | None:
        return self.version if time.monotonic() < self.version_until else None

    def page(self, key: str, version: int) -> "CachedPage | None":
        with self.lock:
            page = self.pages.get(key)
            if page is None or page.version != version:
                return None
            self.pages.move_to_end(key)
            return page

    def keep(self, key: str, page: "CachedPage") -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > settings.PUBLIC_CACHE_LOCAL_PAGES:
                self.pages.popitem(last=False)

    def forget(self) -> None:
        with self.lock:
            self.version, self.version_until = None, 0.0
            self.pages.clear()


_local = _Local()


def data_version() -> int:
    """The current version: microseconds since the epoch when public data last changed (or when the cache
    first needed one, e.g. after Redis restarted: then every page is simply rendered anew)."""
    version = _local.known_version()
    if version is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(VERSION_KEY)
    return _local.remember_version(int(version))


def forget_local() -> None:
    """Drop this process's own layer (tests empty the shared cache between them)."""
    _local.forget()


def bump() -> None:
    version = time.time_ns() // 1000
    _local.remember_version(version)
    try:
        cache.set(VERSION_KEY, version, timeout=None)
    except Exception:  # the cache being down must not stop a write
        logger.exception("public data version not bumped")


def data_changed() -> None:
    """Public data changed in the current transaction: bump now and again at commit. Watched models call it
    through their signals; a service that writes in bulk (no per-row signals) calls it itself."""
    bump()
    transaction.on_commit(bump, robust=True)


def _changed(**kwargs) -> None:
    data_changed()


def watch(*models) -> None:
    """Bump the version whenever one of `models` (or an m2m `through` model) is saved, deleted or relinked."""
    for model in models:
        uid = f"public-cache-{model._meta.label_lower}"
        if model._meta.auto_created:  # an m2m table: changes arrive as m2m_changed of the relation
            m2m_changed.connect(_changed, sender=model, dispatch_uid=uid)
            continue
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)


# --- Cached responses -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedPage:
    version: int  # the public data version it was rendered from: any other is stale
    content: bytes
    gzipped: bytes | None
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: int

    def response(self, request: HttpRequest) -> HttpResponse:
        gzip = self.gzipped is not None and _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
        response = HttpResponse(self.gzipped if gzip else self.content)
        for name, value in self.headers:
            response[name] = value
        if gzip:
            response["Content-Encoding"] = "gzip"
        if self.gzipped is not None:
            patch_vary_headers(response, ["Accept-Encoding"])
        # The gzipped body is another representation: it has an ETag of its own.
        response["ETag"] = f'"{self.etag}-gz"' if gzip else f'"{self.etag}"'
        response["Last-Modified"] = http_date(self.last_modified)
        response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_MAX_AGE}"
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=self.last_modified, response=response
        )


def is_anonymous_request(request: HttpRequest) -> bool:
    return (
        request.method in CACHEABLE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
        and "Authorization" not in request.headers
    )


def _page_key(request: HttpRequest) -> str:
    # The API negotiates its format from `Accept` too (JSON, CSV, the browsable page).
    url = hashlib.sha256(f"{request.build_absolute_uri()} {request.headers.get('Accept', '')}".encode()).hexdigest()
    return f"public-page:{timezone.localdate().isoformat()}:{get_language()}:{url}"


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page with a form carries the visitor's own CSRF token (Django ≥ 4.1 flags it as
        # CSRF_COOKIE_NEEDS_UPDATE; CSRF_COOKIE_USED was its old name): served to the next visitor, that
        # visitor's POST would fail the CSRF check.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and not getattr(getattr(request, "session", None), "accessed", False)
        and "private" not in cache_control
        and "no-store" not in cache_control
        and len(response.content) <= settings.PUBLIC_CACHE_MAX_BYTES
    )


def _cached_page(response: HttpResponse, version: int) -> CachedPage:
    content = response.content
    return CachedPage(
        version=version,
        content=content,
        gzipped=compress_string(content) if len(content) >= _MIN_GZIP_BYTES else None,
        headers=tuple((name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS),
        etag=hashlib.blake2b(content, digest_size=16).hexdigest(),
        last_modified=version // 1_000_000,  # HTTP dates have whole seconds
    )


def serve(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The cached response for an anonymous visitor, rendering it with `render()` on a miss; anyone else's
    request is rendered as usual."""
    if not is_anonymous_request(request):
        return render()
    # No session cookie: nobody is logged in. Saying so spares reading the session (which would add
    # `Vary: Cookie` to a page that is the same for every visitor).
    request.user = AnonymousUser()
    key = _page_key(request)
    try:
        version = data_version()
        page = _local.page(key, version)
        if page is None:
            page = cache.get(key)
    except Exception:
        logger.exception("public cache unavailable")
        return render()
    if page is not None and page.version != version:
        page = None
    if page is None:
        response = render()
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if not _cacheable(request, response):
            return response
        page = _cached_page(response, version)
        try:
            cache.set(key, page, timeout=settings.PUBLIC_CACHE_TIMEOUT)
        except Exception:
            logger.exception("public page not cached")
    _local.keep(key, page)
    return page.response(request)


def public_page(view):
    """Cache a public view's output for anonymous visitors (see the module's docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return serve(request, lambda: view(request, *args, **kwargs))

    return wrapper


class PublicCacheMiddleware:
    """`@public_page` for every view under `settings.PUBLIC_CACHE_PATHS` (the open data API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(tuple(settings.PUBLIC_CACHE_PATHS)):
            return None
        return serve(request, lambda: view_func(request, *view_args, **view_kwargs))
