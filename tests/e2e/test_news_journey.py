"""News in fi, sv and en: staff write an item in the admin with the editor's toolbar and schedule it (it stays
hidden until its time), a coordinator finds a pinned announcement on the portal, acknowledges it and dismisses its
banner, and reads the news list and the item in their language. Axe-clean on every page the journey opens. (A
visitor's dismissal without JavaScript is a plain form: tests/communications/test_cache_and_banners.py.)"""

import datetime

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from communications.models import Acknowledgement, NewsItem
from tests.communications.factories import NewsItemFactory
from tests.e2e.conftest import assert_accessible, log_in
from tests.kaikukeskus.factories import TEST_PASSWORD, StaffFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory

TEXT = {
    "fi": {
        "toolbar": "Lihavointi",
        "acknowledged": "on kuitattu",
        "news": "Uutiset",
        "panel": "Kuitattavat tiedotteet",
    },
    "sv": {
        "toolbar": "Fetstil",
        "acknowledged": "är kvitterat",
        "news": "Nyheter",
        "panel": "Meddelanden att kvittera",
    },
    "en": {
        "toolbar": "Bold",
        "acknowledged": "is acknowledged",
        "news": "News",
        "panel": "Announcements to acknowledge",
    },
}


def _prefix(language: str) -> str:
    return "" if language == "fi" else f"/{language}"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_staff_schedule_an_item_and_a_coordinator_acknowledges_a_pinned_one(page, language):
    prefix, text = _prefix(language), TEXT[language]
    page.set_default_timeout(60_000)  # the shared test machines are slow at times; the journey is long
    staff = StaffFactory(email="staff@kaikukeskus.example.fi")
    locality = LocalityFactory(slug="kajaani", name_fi="Kajaani")
    coordinator = CoordinatorFactory(locality=locality, user__email="aino@kajaani.example.fi").user
    pinned = NewsItemFactory(
        slug="kuittaa-ohje",
        title_fi="Kuittaa uusi ohje",
        title_sv="Kvittera den nya anvisningen",
        body_sv="<p>Läs anvisningen.</p>",
        title_en="Acknowledge the new guidance",
        body_en="<p>Read the guidance.</p>",
        audience="coordinators",
        pinned=True,
        to_acknowledge=True,
    )

    # Staff write and schedule an item for tomorrow, using the editor's toolbar.
    log_in(page, email=staff.email, password=TEST_PASSWORD, language_prefix=prefix)
    page.goto(f"{prefix}/admin/communications/newsitem/add/")
    page.locator("#id_slug").fill("huomenna")
    page.locator("#id_title_fi").fill("Huomenna julkaistava uutinen")
    body = page.locator("#id_body_fi")
    body.fill("Tärkeää")
    body.evaluate("area => { area.selectionStart = 0; area.selectionEnd = area.value.length; }")
    page.get_by_role("toolbar").first.get_by_role("button", name=text["toolbar"]).click()
    expect(body).to_have_value("<strong>Tärkeää</strong>")
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    page.locator("#id_publish_at_0").fill(tomorrow.strftime(formats.get_format("DATE_INPUT_FORMATS", language)[0]))
    page.locator("#id_publish_at_1").fill("09:00")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    item = NewsItem.objects.get(slug="huomenna")
    assert item.body_fi == "<p><strong>Tärkeää</strong></p>" or item.body_fi == "<strong>Tärkeää</strong>"
    assert item.publish_at > timezone.now()
    assert page.request.get(f"{prefix}/news/huomenna/").status == 404

    # A coordinator: the pinned banner and the panel on the portal, acknowledge, dismiss.
    page.context.clear_cookies()
    log_in(page, email=coordinator.email, password=TEST_PASSWORD, language_prefix=prefix)
    page.goto(f"{prefix}/portal/")
    shown_title = {"fi": pinned.title_fi, "sv": pinned.title_sv, "en": pinned.title_en}[language]
    expect(page.locator(".news-banner")).to_contain_text(shown_title)
    expect(page.get_by_role("heading", name=text["panel"])).to_be_visible()
    assert_accessible(page)
    page.locator(".panel form button").first.click()
    expect(page.locator(".messages")).to_contain_text(text["acknowledged"])
    assert Acknowledgement.objects.filter(item=pinned, user=coordinator, locality=locality).exists()
    expect(page.get_by_role("heading", name=text["panel"])).to_have_count(0)
    page.locator(".news-banner button").click()
    expect(page.locator(".news-banner")).to_have_count(0)
    page.reload()
    expect(page.locator(".news-banner")).to_have_count(0)

    # The news list and the item, in the reader's language.
    page.goto(f"{prefix}/news/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text["news"])
    expect(page.get_by_text("Huomenna julkaistava uutinen")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=shown_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(shown_title)
    assert_accessible(page)
