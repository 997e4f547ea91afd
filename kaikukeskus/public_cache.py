"""Public output (pages and the open data API) cached for anonymous visitors and invalidated when data changes.

Every cached response carries the *public data version* it was rendered from; a copy of another version is
stale. The version is a row in the database (`PublicDataVersion`), bumped whenever a watched model is saved or
deleted, so every process sees a change, whatever cache it has: a web worker, `manage.py import_reports` or
`aggregate_statistics --publish`, a Celery worker, with Redis, with Redis down or with each process's own memory.
Each process reads the version at most once per `PUBLIC_CACHE_LOCAL_SECONDS` and keeps its most recent pages in
memory, so that a hit costs no query and asks Redis nothing (see `_Local`); another process's change shows
within those seconds, this process's own at once. Apps say which of their models the public sees in
`AppConfig.ready()`::

    from kaikukeskus import public_cache
    public_cache.watch(Locality, Municipality)

A view opts in with `@public_page`, naming the query parameters it reads (`params`); an anonymous visitor's
request reaches it with those only, in alphabetical order, so that a made-up parameter (`?x=<random>`) neither
makes another copy of the page nor reaches it (a link the page builds from the query keeps only them). The API is
covered by `PublicCacheMiddleware`, which applies the same rule to the paths in `PUBLIC_CACHE_PATHS` (so the
API's views need not know about it), with the parameters a view's `query_class` declares (the whole query
string for a view without one).

What is cached, and why it is safe:
- only GET and HEAD from a visitor with neither a session nor a messages cookie: nobody is logged in and no
  one-time message waits, so the page is the same for every such visitor. Such a request gets a plain
  `AnonymousUser`, so the session is never read and the response does not `Vary: Cookie`;
- only 200 responses without cookies, without a CSRF token in them and without `private`/`no-store`; anything
  else is passed through as rendered;
- gzip only for these responses: they hold no secret, so compression cannot leak one (BREACH).

The key holds the day too, as partners join and leave by date. The version is bumped in the writer's
transaction, so that the new rows and the new version commit together (a request that read the old rows while
they were being written keeps them under the old version only), and once more after the commit, so that a
version read inside the writer's own transaction (which sees its rows before anybody else) is never the final
one. The row stays locked from the first bump to the commit: writers of public data queue there, briefly for
the services, and the bulk writers bump once, at their end. When the cache is down, pages are rendered as if
nothing were cached.
"""

import datetime
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string
from django.utils.translation import get_language

from kaikukeskus.models import PublicDataVersion

logger = logging.getLogger(__name__)

CACHEABLE_METHODS = ("GET", "HEAD")
# The view's own headers are kept with the cached copy, but for those this module sets itself.
OWN_HEADERS = {"etag", "last-modified", "cache-control", "content-encoding", "content-length"}
_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
_MIN_GZIP_BYTES = 200


# --- The public data version ------------------------------------------------------------------------------


class DataVersion(NamedTuple):
    """The version public output is rendered from: the row's counter, and when it changed (which makes the
    version unique across a database made anew or restored, while the shared cache keeps pages)."""

    number: int
    changed_at: int  # microseconds since the epoch

    @property
    def last_modified(self) -> int:
        return self.changed_at // 1_000_000  # HTTP dates have whole seconds


class _Local:
    """This process's own layer in front of the database and the shared cache: the version, read again
    `PUBLIC_CACHE_LOCAL_SECONDS` after it was read, and the most recently served pages. A hit costs neither a
    query nor a round trip to Redis; another process's change reaches this one within those seconds (a change
    made in this process at once)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: DataVersion | None = None
        self.version_read_at = 0.0
        self.pages: OrderedDict[str, CachedPage] = OrderedDict()

    def remember_version(self, version: DataVersion) -> DataVersion:
        with self.lock:
            self.version, self.version_read_at = version, time.monotonic()
        return version

    def known_version(self) -> DataVersion | None:
        if time.monotonic() - self.version_read_at < settings.PUBLIC_CACHE_LOCAL_SECONDS:
            return self.version
        return None

    def forget_version(self) -> None:
        with self.lock:
            self.version, self.version_read_at = None, 0.0

    def page(self, key: str, version: DataVersion) -> "CachedPage | None":
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
            self.version, self.version_read_at = None, 0.0
            self.pages.clear()


_local = _Local()
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def data_version() -> DataVersion:
    """The current version, read from the database at most once per `PUBLIC_CACHE_LOCAL_SECONDS`."""
    version = _local.known_version()
    if version is not None:
        return version
    row = PublicDataVersion.objects.filter(pk=PublicDataVersion.ID).values_list("number", "changed_at").first()
    if row is None:  # a database emptied since its migration made the row (a test's flush)
        bump()
        return data_version()
    number, changed_at = row
    return _local.remember_version(DataVersion(number, (changed_at - _EPOCH) // datetime.timedelta(microseconds=1)))


def forget_local() -> None:
    """Drop this process's own layer (tests empty the shared cache between them)."""
    _local.forget()


def bump() -> None:
    """Renew the version in the current transaction (at once outside one). This process reads it again at its
    next request; the others within `PUBLIC_CACHE_LOCAL_SECONDS` of the commit."""
    table = connection.ops.quote_name(PublicDataVersion._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        # One statement whether or not the row is there: UPDATE … SET number = number + 1, or the first row.
        cursor.execute(
            f"INSERT INTO {table} (id, number, changed_at) VALUES (%s, 1, %s) "  # noqa: S608 - the table's own name
            f"ON CONFLICT (id) DO UPDATE SET number = {table}.number + 1, changed_at = excluded.changed_at",
            [PublicDataVersion.ID, now],
        )
    _local.forget_version()


def _bump_after_commit() -> None:
    """`bump` under a name of its own, by which `data_changed` knows that the transaction has one waiting."""
    bump()


def data_changed() -> None:
    """Public data changed in the current transaction: bump the version in it, so that the change and the new
    version commit together (a page rendered from the old rows can never be kept under the new version), and
    once more after the commit (see the module's docstring). Watched models call it through their signals; a
    service that writes in bulk (no per-row signals) calls it itself."""
    bump()
    if not connection.in_atomic_block:
        return  # committed already
    # One bump after the commit, however many rows the transaction changes. A callback registered in a
    # savepoint that was rolled back is gone from this list (and so is the bump made with it).
    if not any(callback is _bump_after_commit for _savepoints, callback, _robust in connection.run_on_commit):
        transaction.on_commit(_bump_after_commit, robust=True)


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
    version: DataVersion  # the public data version it was rendered from: any other is stale
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


_clock_parts: list[Callable[[HttpRequest], str]] = []


def vary_on_clock(part: Callable[[HttpRequest], str]) -> None:
    """Public output that changes with the clock as well as with the data (a news item scheduled for nine
    o'clock appears then, with no row saved): `part(request)` returns a text that changes whenever such a moment
    has passed for the page asked for (empty for pages it does not concern), and the page's key holds it, so a
    copy rendered before the moment is never served after it. It runs on every anonymous request: it must be
    cheap (remember its answer until the next moment) and ask nothing for pages it does not concern."""
    if part not in _clock_parts:
        _clock_parts.append(part)


def _page_key(request: HttpRequest) -> str:
    # The API negotiates its format from `Accept` too (JSON, CSV, the browsable page).
    url = hashlib.sha256(f"{request.build_absolute_uri()} {request.headers.get('Accept', '')}".encode()).hexdigest()
    moments = "".join(f":{moment}" for part in _clock_parts if (moment := part(request)))
    return f"public-page:{timezone.localdate().isoformat()}{moments}:{get_language()}:{url}"


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


def _cached_page(response: HttpResponse, version: DataVersion) -> CachedPage:
    content = response.content
    return CachedPage(
        version=version,
        content=content,
        gzipped=compress_string(content) if len(content) >= _MIN_GZIP_BYTES else None,
        headers=tuple((name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS),
        etag=hashlib.blake2b(content, digest_size=16).hexdigest(),
        last_modified=version.last_modified,
    )


Params = Iterable[str] | Callable[[], Iterable[str]]


def _keep_only(request: HttpRequest, params: Params) -> None:
    """Leave the request only the query parameters in `params`, by name in alphabetical order (each one's values
    in their order) and spelt one way, so that the page is a function of those alone and one copy serves every
    spelling of them. A query already in that form (most hits: a link the page made) is left as it came."""
    if not request.META.get("QUERY_STRING"):
        return
    names = params() if callable(params) else params
    query = request.GET
    kept = [(name, value) for name in sorted(query) if name in names for value in query.getlist(name)]
    query_string = urlencode(kept)
    if query_string != request.META["QUERY_STRING"]:
        request.META["QUERY_STRING"] = query_string  # for get_full_path() and the key
        request.GET = QueryDict(query_string, encoding=request.encoding)


def serve(request: HttpRequest, render: Callable[[], HttpResponse], *, params: Params | None = None) -> HttpResponse:
    """The cached response for an anonymous visitor, rendering it with `render()` on a miss; anyone else's
    request is rendered as usual. `params`: the only query parameters the anonymous visitor's request keeps
    (None: all of them)."""
    if not is_anonymous_request(request):
        return render()
    # No session cookie: nobody is logged in. Saying so spares reading the session (which would add
    # `Vary: Cookie` to a page that is the same for every visitor).
    request.user = AnonymousUser()
    if params is not None:
        _keep_only(request, params)
    key = _page_key(request)
    version = data_version()  # from the database, as the page's own rows are
    try:
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


def public_page(view=None, *, params: Params = ()):
    """Cache a public view's output for anonymous visitors (see the module's docstring). `params` names the
    query parameters the page reads (its form's fields, `page`; or a function that returns them): an anonymous
    visitor's request reaches the view with those only, so another parameter neither changes the page nor
    makes another copy of it::

        @public_page(params=(*SearchForm.base_fields, "page"))
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return serve(request, lambda: view(request, *args, **kwargs), params=params)

        return wrapper

    return decorate if view is None else decorate(view)


def _api_params(view_func) -> tuple[str, ...] | None:
    """The query parameters an API view declares (its `query_class`, the serializer that documents and checks
    them), or None for a view that declares none (then the whole query string counts)."""
    query_class = getattr(getattr(view_func, "cls", None), "query_class", None)
    return None if query_class is None else tuple(query_class().fields)


class PublicCacheMiddleware:
    """`@public_page` for every view under `settings.PUBLIC_CACHE_PATHS` (the open data API), keeping the query
    parameters the view declares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(tuple(settings.PUBLIC_CACHE_PATHS)):
            return None
        return serve(request, lambda: view_func(request, *view_args, **view_kwargs), params=_api_params(view_func))
