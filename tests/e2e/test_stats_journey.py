"""The statistics from the coordinator's report to the public page: a coordinator submits with a warning and its
explanation, staff return the report with a comment, the coordinator fixes and resubmits, staff approve it,
aggregate the year and publish it, and a visitor reads the figures in Finnish, Swedish and English and downloads
the annual report as PDF; axe-clean throughout."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def kaisa(transactional_db):
    from tests.kaikukeskus.factories import StaffFactory

    return StaffFactory(email="kaisa@kaikukeskus.example.fi", first_name="Kaisa", last_name="Tilasto")


# tests.stats.factories.FILLED a year earlier, except the cards registered: 120 then, 300 now (a warning).
FIGURES = {
    "Rekisteröidyt kortit": "300",
    "Käyttöönotetut kortit": "100",
    "Kulttuuri, aikuiset": "300",
    "Koulutus, aikuiset": "40",
    "Tiede, aikuiset": "20",
    "Liikunta, aikuiset": "60",
    "Kulttuuri, lapset": "200",
    "Koulutus, lapset": "10",
    "Tiede, lapset": "30",
    "Liikunta, lapset": "50",
}


def submit(page) -> None:
    page.get_by_role("button", name="Lähetä tarkastettavaksi").click()
    page.wait_for_load_state()


def test_a_report_goes_from_the_coordinator_through_review_to_the_public_page(
    page, browser, live_server, kajaani, kaisa, password
):
    coordinator, staff, report = kajaani.coordinator, kaisa, kajaani.report

    # The coordinator fills in the report and explains the warning.
    log_in(page, email=coordinator.email, password=password)
    page.get_by_role("link", name="Tilastoraportti 2025, Kajaani").click()
    for label, value in FIGURES.items():
        page.get_by_label(f"{label}:", exact=True).fill(value)
    submit(page)
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator(".report-warnings textarea").fill("Uusi kortinjakaja aloitti keväällä.")
    submit(page)
    expect(page.get_by_text("Raportti lähetettiin. Kaikukeskus tarkastaa sen.")).to_be_visible()

    # Staff see the warning with its explanation and return the report.
    staff_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(15_000)
    log_in(staff_page, email=staff.email, password=password, language_prefix="/en")
    staff_page.goto("/en/portal/")
    staff_page.get_by_role("link", name=re.compile(r"1 report awaits review")).click()
    # The panel opens the round's review in the staff workspace; the report from its list.
    staff_page.locator("main table").get_by_role("link", name="Kajaani").click()
    expect(staff_page.locator(".review-warnings")).to_contain_text("Uusi kortinjakaja aloitti keväällä.")
    assert_accessible(staff_page)
    staff_page.get_by_label("What should be fixed").fill("Lasten liikunnan luku puuttuu uimahallin osalta.")
    staff_page.get_by_role("button", name="Return", exact=True).click()
    staff_page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == "returned"

    # The coordinator reads the comment on the front page, fixes the figure and submits again.
    page.goto("/portal/")
    expect(page.get_by_text("Lasten liikunnan luku puuttuu uimahallin osalta.")).to_be_visible()
    page.get_by_role("link", name="Tilastoraportti 2025, Kajaani").click()
    page.get_by_label("Liikunta, lapset:", exact=True).fill("60")
    submit(page)
    expect(page.get_by_text("Raportti lähetettiin. Kaikukeskus tarkastaa sen.")).to_be_visible()
    assert_accessible(page)

    # Staff approve, then aggregate 2025 and publish it.
    staff_page.goto(f"/en/admin/stats/localityreport/{report.pk}/change/")
    staff_page.get_by_role("button", name="Approve", exact=True).click()
    staff_page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == "approved"
    staff_page.goto("/en/admin/stats/nationalyear/")
    staff_page.get_by_role("link", name="Aggregate a year").click()
    staff_page.get_by_label("Year:", exact=True).fill("2025")
    staff_page.get_by_label("Publish the year at once").check()
    assert_accessible(staff_page)
    staff_page.get_by_role("button", name="Aggregate").click()
    expect(staff_page.locator(".messagelist")).to_contain_text("2025 aggregated: 1 of 1 localities reporting.")
    staff_context.close()

    # A visitor reads the year in three languages (720 uses: 420 adults, 300 children) and downloads the PDF.
    visitor = browser.new_context(base_url=live_server.url, locale="fi-FI").new_page()
    visitor.goto("/statistics/")
    expect(visitor.get_by_role("link", name="2025", exact=True)).to_be_visible()
    assert_accessible(visitor)
    visitor.get_by_role("link", name="2025", exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Kaikukortin tilastot 2025")
    expect(visitor.locator("main")).to_contain_text("Kajaani")
    assert_accessible(visitor)
    visitor.goto("/sv/statistics/2025/")
    expect(visitor.locator("main")).to_contain_text("Kajana")
    assert_accessible(visitor)
    visitor.set_viewport_size({"width": 390, "height": 844})  # a phone: the wide table scrolls in its region
    assert_accessible(visitor)
    visitor.goto("/sv/statistics/")
    assert_accessible(visitor)
    visitor.set_viewport_size({"width": 1280, "height": 900})
    visitor.goto("/en/statistics/2025/")
    expect(visitor.locator("main")).to_contain_text("Kajaani")
    assert_accessible(visitor)

    visitor.get_by_role("link", name="Statistics 2025 (PDF)").click()
    visitor.get_by_role("button", name="Make the PDF").click()
    visitor.wait_for_load_state()
    download_link = visitor.get_by_role("link", name=re.compile(r"^Download "))
    expect(download_link).to_be_visible(timeout=30_000)
    assert_accessible(visitor)
    response = visitor.request.get(download_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
