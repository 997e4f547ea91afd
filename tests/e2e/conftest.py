"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser), one browser per test
session, a fresh context per test, against pytest-django's live server."""

import contextlib
import datetime
import os
import shutil
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to run in it unless told
# that this is a test process on purpose.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class BrowserProblems:
    """What the browser complained about while a test ran: Content Security Policy refusals and other console
    errors, and assets (style sheets, scripts, images, fonts) that did not load. Every browser test fails on
    them, so that an inline script or a missing file cannot slip in unnoticed."""

    ASSET_TYPES = {"stylesheet", "script", "image", "font", "media", "manifest"}

    def __init__(self, page):
        self.csp = []
        self.assets = []
        self.listening = True
        page.on("console", self._console)
        page.on("response", self._response)

    @contextlib.contextmanager
    def paused(self):
        """axe-core injects its own script and styles, which the policy refuses: that is not the site's doing."""
        self.listening = False
        try:
            yield
        finally:
            self.listening = True

    def _console(self, message) -> None:
        if not self.listening:
            return
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.csp.append(f"{text} (at {message.location.get('url')})")
        # The browser's own requests (the icon of a page without one) show only here, not as responses.
        path = urlsplit(message.location.get("url") or "").path
        if text.startswith("Failed to load resource") and (path.startswith("/static/") or path == "/favicon.ico"):
            self.assets.append(f"{text} {message.location.get('url')}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type in self.ASSET_TYPES:
            self.assets.append(f"{response.status} {response.url}")

    def assert_none(self) -> None:
        assert not self.csp, "Content Security Policy refusals:\n" + "\n".join(self.csp)
        assert not self.assets, "assets that did not load:\n" + "\n".join(self.assets)


_PROBLEMS: dict = {}  # page → its BrowserProblems, for assert_accessible


def _new_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = _PROBLEMS[page] = BrowserProblems(page)
    return context, page, problems


@pytest.fixture
def page(browser, live_server, transactional_db):
    context, page, problems = _new_page(browser, live_server, locale="fi-FI", java_script_enabled=True)
    yield page
    context.close()
    del _PROBLEMS[page]
    problems.assert_none()


@pytest.fixture
def page_without_js(browser, live_server, transactional_db):
    context, page, problems = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()
    del _PROBLEMS[page]
    problems.assert_none()


_axe = Axe()


def assert_accessible(page, *, best_practice: bool = False) -> None:
    """axe-core (WCAG 2.1 A and AA rules, and its best practices if asked) finds no violations on the page as
    it is now."""
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", *(["best-practice"] if best_practice else [])]
    problems = _PROBLEMS.get(page)
    with problems.paused() if problems else contextlib.nullcontext():
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": tags}})
    violations = results.response["violations"]
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:3]}" for v in violations
    ]
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(summary)


def log_in(page, *, email: str, password: str, language_prefix: str = "") -> None:
    page.goto(f"{language_prefix}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()


# --- The statistics' browser tests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kajaani:
    locality: object
    coordinator: object
    report: object  # the blank 2025 draft to fill in


@pytest.fixture
def kajaani_last_year() -> dict:
    """The figures of Kajaani's approved 2024 report (`tests.stats.factories.FILLED`); a test module that needs
    others overrides this fixture."""
    from tests.stats.factories import FILLED

    return dict(FILLED)


@pytest.fixture
def kajaani(transactional_db, kajaani_last_year) -> Kajaani:
    """Kajaani for the statistics' browser tests: its coordinator Aino, the city theatre (a venue since 2024),
    the approved 2024 report and the blank 2025 draft, prefilled with one municipality, issuer and venue.
    (The root conftest loads the municipalities again when a browser test before emptied the tables.)"""
    from tests.localities.factories import CoordinatorFactory, LocalityFactory
    from tests.networks.factories import PartnerFactory
    from tests.stats.factories import BLANK, ReportFactory, yearly_round

    locality = LocalityFactory(
        name_fi="Kajaani",
        name_sv="Kajana",
        name_en="Kajaani",
        slug="kajaani",
        municipalities=["205"],
        pilot_start_on=datetime.date(2024, 1, 1),
    )
    coordinator = CoordinatorFactory(locality=locality, user__email="aino@kajaani.example.fi").user
    PartnerFactory(locality=locality, name="Kajaanin kaupunginteatteri", joined_on=datetime.date(2024, 1, 1))
    ReportFactory(round=yearly_round(2024), locality=locality, status="approved", **kajaani_last_year)
    report = ReportFactory(
        round=yearly_round(2025), locality=locality, **{**BLANK, "municipalities": 1, "issuers": 1, "venues": 1}
    )
    return Kajaani(locality=locality, coordinator=coordinator, report=report)
