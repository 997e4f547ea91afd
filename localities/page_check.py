"""The localities' own pages, checked monthly (Celery beat, `localities.tasks.check_locality_pages`).

For each piloting or permanent locality: does its local web page answer, does it mention Kaikukortti, and has
it changed since the last check (a SHA-256 of what was read); is a public feedback e-mail given. A page that is
broken or silent (answers without mentioning the card) is listed for staff on their front page, and told to
the locality's coordinators (once, when it turns so, not every month).

Reading a page someone typed is bounded whatever the other end does: http and https only (a redirect to any
other scheme is refused), a connect-and-read timeout, at most `MAX_BYTES` read (a huge page is cut, not
loaded), at most `MAX_REDIRECTS` redirects (a loop ends there). The address is someone's typing, so the portal must not
become a way to reach its own network: every connection, a redirect's too, is refused unless the address it
reached is a public one (checked on the connected socket, after DNS, so a name that resolves to 127.0.0.1 or
10.x, or changes its answer between two lookups, is caught); `PAGE_CHECK_ALLOW_PRIVATE_ADDRESSES` lifts this for
the tests' local server only."""

import hashlib
import http.client
import ipaddress
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.portal import Panel
from localities import selectors
from localities.models import Locality, LocalityPageCheck

TIMEOUT_SECONDS = 10
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
# What counts as a mention of the card, in the languages a page may be in (lower-cased, compared folded).
MENTIONS = ("kaikukortti", "kaikukortin", "kaikukorttia", "kaikukortil", "kaikukortt")
USER_AGENT = "Kaikukeskus page check (+https://www.kaikukortti.fi)"


@dataclass(frozen=True)
class PageRead:
    status: int | None
    body: bytes = b""
    error: str = ""

    @property
    def answered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in SCHEMES:
            raise urllib.error.HTTPError(newurl, code, "redirect to a scheme other than http or https", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class NotAPublicAddressError(OSError):
    pass


class _PublicOnly(http.client.HTTPConnection):
    """Connects, then refuses the connection if the peer is not a public (global) address."""

    def connect(self) -> None:
        super().connect()
        if settings.PAGE_CHECK_ALLOW_PRIVATE_ADDRESSES:
            return
        peer = self.sock.getpeername()[0]
        if not ipaddress.ip_address(peer.split("%")[0]).is_global:
            self.sock.close()
            raise NotAPublicAddressError("the address is not a public one")


class _PublicHTTPSConnection(http.client.HTTPSConnection, _PublicOnly):
    """HTTPS: `HTTPSConnection.connect` calls `_PublicOnly.connect` before the TLS handshake."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_PublicOnly, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


def _opener() -> urllib.request.OpenerDirector:
    # Only what a web page needs: no file:, ftp: or data: handlers, no proxy from the environment.
    opener = urllib.request.OpenerDirector()
    for handler in (
        _HTTPHandler(),
        _HTTPSHandler(),
        _Redirects(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
    ):
        opener.add_handler(handler)
    return opener


def read_page(url: str, *, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES) -> PageRead:
    """GET `url` within the bounds above; never raises for what the other end does."""
    if urlsplit(url).scheme not in SCHEMES:
        return PageRead(status=None, error="not an http or https address")
    # The scheme is checked above and the opener has http and https handlers only.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"}
    )
    deadline = time.monotonic() + timeout
    try:
        with _opener().open(request, timeout=timeout) as response:
            # In pieces, against one deadline: a server that drips a byte at a time is cut off too.
            chunks, size = [], 0
            while size < max_bytes:
                if time.monotonic() > deadline:
                    return PageRead(status=None, error="timed out")
                chunk = response.read(min(64 * 1024, max_bytes - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return PageRead(status=response.status, body=b"".join(chunks))
    except urllib.error.HTTPError as error:
        message = "too many redirects" if "redirect" in str(error.msg).lower() else str(error.msg)
        status = error.code if isinstance(error.code, int) and 100 <= error.code < 600 else None
        if status is not None and 300 <= status < 400:
            status = None  # a redirect that did not end is no answer
        return PageRead(status=status, error=message[:300])
    except TimeoutError:
        return PageRead(status=None, error="timed out")
    except (urllib.error.URLError, OSError, ValueError) as error:
        return PageRead(status=None, error=str(getattr(error, "reason", error))[:300])


def mentions_kaikukortti(body: bytes) -> bool:
    text = body.decode("utf-8", errors="replace").casefold()
    return any(word in text for word in MENTIONS)


def _outcome(locality: Locality, read: PageRead | None) -> str:
    if not locality.website:
        return LocalityPageCheck.Outcome.MISSING
    if read is None or not read.answered:
        return LocalityPageCheck.Outcome.BROKEN
    return LocalityPageCheck.Outcome.OK if mentions_kaikukortti(read.body) else LocalityPageCheck.Outcome.SILENT


def check_locality(*, locality: Locality, previous: LocalityPageCheck | None = None, reader=read_page):
    """Check one locality's page and store the result (no transaction is held while the page is read). The
    coordinators are told when the page turns broken or silent."""
    read = reader(locality.website) if locality.website else None
    outcome = _outcome(locality, read)
    digest = hashlib.sha256(read.body).hexdigest() if read is not None and read.answered else ""
    now = timezone.now()
    if previous is not None and digest and previous.content_sha256 == digest:
        changed_since = previous.changed_since
    else:
        changed_since = now if digest else None
    with transaction.atomic():
        check = LocalityPageCheck.objects.create(
            locality=locality,
            checked_at=now,
            url=locality.website,
            outcome=outcome,
            http_status=read.status if read is not None else None,
            error=read.error if read is not None else "",
            content_sha256=digest,
            changed_since=changed_since,
            feedback_email_given=bool(locality.feedback_email),
        )
        turned_bad = outcome in (LocalityPageCheck.Outcome.BROKEN, LocalityPageCheck.Outcome.SILENT) and (
            previous is None or previous.outcome != outcome
        )
        if turned_bad:
            _tell_coordinators(check)
    return check


def _tell_coordinators(check: LocalityPageCheck) -> None:
    for user in selectors.coordinators_to_tell(locality=check.locality):
        language = language_of(user)
        send_later(
            to=user.email,
            template="localities/email/page_check.txt",
            context={
                "check": check,
                "locality": check.locality,
                "link": site_url("localities:public-detail", language=language, kwargs={"slug": check.locality.slug}),
            },
            language=language,
        )


def checked_localities():
    return Locality.objects.public().order_by("slug")


def latest_checks():
    """Each checked locality's latest check (one query)."""
    latest = LocalityPageCheck.objects.filter(locality=OuterRef("locality")).order_by("-checked_at", "-pk")
    return (
        LocalityPageCheck.objects.filter(pk=Subquery(latest.values("pk")[:1]))
        .select_related("locality")
        .order_by("locality__name_fi")
    )


def check_all(*, reader=read_page) -> dict[str, int]:
    """The monthly run: every public locality once, whatever ran before (safe to run twice: a second run the
    same day stores another measurement and tells nobody again)."""
    previous = {check.locality_id: check for check in latest_checks()}
    counts: dict[str, int] = {}
    for locality in checked_localities():
        check = check_locality(locality=locality, previous=previous.get(locality.pk), reader=reader)
        counts[check.outcome] = counts.get(check.outcome, 0) + 1
    return counts


def staff_panels(user) -> list[Panel]:
    """Staff's front page: localities whose page is broken or silent, or that give no feedback e-mail."""
    from localities.permissions import acts_as_national_staff

    if not acts_as_national_staff(user):
        return []
    checks = [
        check
        for check in latest_checks().filter(locality__status__in=Locality.PUBLIC_STATUSES)
        if check.needs_attention
    ]
    if not checks:
        return []
    return [
        Panel(
            title=_("Localities' own pages to look at"),
            template="localities/panels/page_checks.html",
            context={"checks": checks},
            kind="todo",
        )
    ]
