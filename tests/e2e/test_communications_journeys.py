"""The site search and a site page on a phone (390 px), in Finnish and Swedish: a visitor searches and gets the
results grouped by kind, opens a page the search found, and reads a page that lacks their language in Finnish,
labelled so; staff preview a draft and publish it. Axe-clean on every page."""

import pytest
from playwright.sync_api import expect

from communications import services
from communications.models.pages import Page
from tests.communications.factories import PageFactory
from tests.e2e.conftest import assert_accessible, log_in
from tests.kaikukeskus.factories import TEST_PASSWORD, StaffFactory
from tests.localities.factories import LocalityFactory
from tests.networks.factories import PartnerFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(transactional_db):
    locality = LocalityFactory(name_fi="Kajaani", name_sv="Kajana", slug="kajaani")
    PartnerFactory(locality=locality, name="Kajaanin teatteri", offer_fi="Vapaalippu teatteriin.")
    PageFactory(
        key=Page.Key.VENUES,
        draft_title_fi="Teatterit ja muut käyttökohteet",
        draft_body_fi="<p>Teatteri antaa vapaalipun.</p><h2>Näin pääset mukaan</h2><ol><li>Ota yhteyttä.</li></ol>",
        draft_title_sv="Teatrar och andra besöksmål",
        draft_body_sv="<p>Teatern ger en fribiljett.</p>",
    )
    PageFactory(key=Page.Key.ABOUT, draft_title_fi="Mikä Kaikukortti on?", draft_body_fi="<p>Teatteri ja muut.</p>")
    return locality


@pytest.mark.parametrize(
    ("prefix", "query", "heading", "page_title"),
    [
        ("", "teatteri", "Sivuston sivut", "Teatterit ja muut käyttökohteet"),
        ("/sv", "teat", "Webbplatsens sidor", "Teatrar och andra besöksmål"),
    ],
)
def test_a_visitor_searches_on_a_phone_and_opens_a_page(page, site, prefix, query, heading, page_title):
    page.set_viewport_size(PHONE)
    page.goto(f"{prefix}/search/")
    assert_accessible(page)
    page.locator("input[name=q]").fill(query)
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page.locator("#group-venues")).to_be_visible()
    expect(page.locator("#group-pages")).to_contain_text(heading)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert_accessible(page)
    page.locator("section[aria-labelledby=group-pages] a", has_text=page_title).click()
    expect(page.locator("h1")).to_have_text(page_title)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)


def test_a_page_without_swedish_is_read_in_finnish_labelled_in_swedish(page, site):
    page.set_viewport_size(PHONE)
    page.goto("/sv/about/")
    expect(page.locator(".language-note")).to_contain_text("På finska")
    expect(page.locator("article[lang=fi] h1")).to_have_text("Mikä Kaikukortti on?")
    assert_accessible(page)


def test_staff_preview_a_draft_and_publish_it(page, site):
    staff = StaffFactory(email="staff@kaikukeskus.example.fi")
    about = Page.objects.get(key=Page.Key.ABOUT)
    about.draft_body_fi = "<p>Uusi esittely.</p>"
    services.page_save_draft(actor=staff, page=about)
    log_in(page, email=staff.email, password=TEST_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto("/pages/about/preview/")
    expect(page.locator("article")).to_contain_text("Uusi esittely.")
    assert_accessible(page)
    page.locator("button", has_text="Julkaise tämä luonnos").click()
    expect(page.locator("article")).to_contain_text("Uusi esittely.")
    assert page.url.endswith("/about/")
