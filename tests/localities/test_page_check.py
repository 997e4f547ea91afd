"""The monthly check of the localities' own pages (issue 21, item 5) against a local server that answers, stays
silent, times out, redirects in a loop, sends a huge page and redirects to another scheme."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from localities import page_check
from localities.models import Locality, LocalityPageCheck

pytestmark = pytest.mark.django_db

HUGE = 50 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _send(self, body: bytes, status: int = 200, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/ok":
            self._send(b"<h1>Kaikukortti Kajaanissa</h1>")
        elif path == "/changed":
            self._send(f"<h1>KAIKUKORTTI {self.server.version}</h1>".encode())
        elif path == "/silent":
            self._send(b"<h1>Kulttuuripalvelut</h1>")
        elif path == "/missing":
            self._send(b"not found", status=404)
        elif path == "/slow":
            time.sleep(3)
            self._send(b"Kaikukortti")
        elif path.startswith("/loop"):
            self._send(b"", status=302, headers=[("Location", "/loop" + str(len(path)))])
        elif path == "/file":
            self._send(b"", status=302, headers=[("Location", "file:///etc/passwd")])
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(HUGE // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass


@pytest.fixture
def server(settings):
    settings.PAGE_CHECK_ALLOW_PRIVATE_ADDRESSES = True  # the test server is on 127.0.0.1
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.version = 1
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_that_answers_and_mentions_the_card(server):
    _httpd, base = server
    read = page_check.read_page(f"{base}/ok")
    assert read.answered and page_check.mentions_kaikukortti(read.body)


def test_a_silent_page_answers_without_mentioning_the_card(server):
    _httpd, base = server
    read = page_check.read_page(f"{base}/silent")
    assert read.answered and not page_check.mentions_kaikukortti(read.body)


def test_a_slow_page_times_out(server):
    _httpd, base = server
    started = time.monotonic()
    read = page_check.read_page(f"{base}/slow", timeout=0.5)
    assert not read.answered and "timed out" in read.error
    assert time.monotonic() - started < 2.5


def test_a_redirect_loop_ends(server):
    _httpd, base = server
    read = page_check.read_page(f"{base}/loop")
    assert not read.answered and read.status is None and read.error


def test_a_huge_page_is_read_only_up_to_the_limit(server):
    _httpd, base = server
    read = page_check.read_page(f"{base}/huge", max_bytes=100_000)
    assert read.answered and len(read.body) == 100_000


def test_only_http_and_https(server):
    _httpd, base = server
    assert page_check.read_page("file:///etc/passwd").error
    assert page_check.read_page("ftp://example.fi/").error
    read = page_check.read_page(f"{base}/file")
    assert not read.answered and b"root" not in read.body


def test_the_monthly_run_stores_outcomes_hashes_and_tells_coordinators_once(server, locality, coordinator, outbox):
    httpd, base = server
    locality.website = f"{base}/changed"
    locality.feedback_email = "palaute@kajaani.example.fi"
    locality.save()
    silent = Locality.objects.create(
        name_fi="Hiljainen", slug="hiljainen", status=Locality.Status.PERMANENT, website=f"{base}/silent"
    )
    broken = Locality.objects.create(
        name_fi="Rikki", slug="rikki", status=Locality.Status.PILOTING, website=f"{base}/missing"
    )
    Locality.objects.create(name_fi="Ehdokas", slug="ehdokas", status=Locality.Status.PROSPECT, website=f"{base}/ok")
    counts = page_check.check_all()
    assert counts == {"ok": 1, "silent": 1, "broken": 1}
    first = LocalityPageCheck.objects.get(locality=locality)
    assert first.content_sha256 and first.changed_since and first.feedback_email_given
    assert LocalityPageCheck.objects.get(locality=broken).http_status == 404
    # The same page again: unchanged since the first check. A changed page: changed now.
    page_check.check_all()
    second = page_check.latest_checks().get(locality=locality)
    assert second.pk != first.pk and second.changed_since == first.changed_since
    httpd.version = 2
    page_check.check_all()
    third = page_check.latest_checks().get(locality=locality)
    assert third.content_sha256 != first.content_sha256 and third.changed_since > first.changed_since
    assert not LocalityPageCheck.objects.filter(locality__slug="ehdokas").exists()
    # Only the coordinators of a page that turned bad hear of it, once; the Kajaani page is fine.
    assert outbox.deliver() == []
    assert {check.locality.slug for check in page_check.latest_checks() if check.needs_attention} == {
        silent.slug,
        broken.slug,
    }


def test_coordinators_are_told_when_their_page_breaks(server, locality, coordinator, outbox):
    _httpd, base = server
    locality.website = f"{base}/ok"
    locality.save()
    page_check.check_all()
    locality.website = f"{base}/missing"
    locality.save()
    page_check.check_all()
    page_check.check_all()
    [message] = outbox.deliver()
    assert message.to == [coordinator.email] and f"{base}/missing" in message.body


def test_staff_see_the_broken_pages_on_their_front_page(server, client, staff, locality):
    _httpd, base = server
    locality.website = f"{base}/silent"
    locality.save()
    page_check.check_all()
    client.force_login(staff)
    html = client.get(reverse("portal")).content.decode()
    assert "Kajaani" in html and "Vastaa mutta ei mainitse Kaikukorttia" in html


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_an_address_in_the_portals_own_network_is_not_read(server, settings, host):
    """A coordinator's typing must not make the portal read its own network (Redis, the database, metadata)."""
    settings.PAGE_CHECK_ALLOW_PRIVATE_ADDRESSES = False
    _httpd, url = server
    read = page_check.read_page(url.replace("127.0.0.1", host) + "/ok")
    assert read.status is None
    assert not read.answered
    assert "not a public" in read.error
