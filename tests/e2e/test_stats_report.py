"""A coordinator fills in the locality's statistics report in the browser: the sums follow the typing, a
warning against last year is explained, the report is submitted and shows as submitted; axe-clean at a desktop
and a phone width."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def kajaani_report(transactional_db):
    from localities.models import Municipality, Region, WellbeingServicesCounty
    from localities.reference_data import load_municipalities
    from tests.localities.factories import CoordinatorFactory, LocalityFactory
    from tests.networks.factories import IssuerFactory, PartnerFactory
    from tests.stats.factories import BLANK, FILLED, ReportFactory, yearly_round

    if not Municipality.objects.filter(code="205").exists():  # a browser test before us flushed the tables
        load_municipalities(Region, WellbeingServicesCounty, Municipality)
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
    IssuerFactory(locality=locality, name="Aikuissosiaalityö", joined_on=datetime.date(2024, 1, 1))
    last_year = dict(FILLED, adult_culture=1000, adult_education=0, adult_science=0, adult_sports=200)
    last_year.update(child_culture=300, child_education=0, child_science=0, child_sports=50)
    ReportFactory(round=yearly_round(2024), locality=locality, status="approved", **last_year)
    report = ReportFactory(
        round=yearly_round(2025), locality=locality, **{**BLANK, "municipalities": 1, "issuers": 1, "venues": 1}
    )
    return coordinator, report


def test_coordinator_fills_in_the_report_with_live_sums_and_submits_it(page, kajaani_report, password):
    coordinator, report = kajaani_report
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, email=coordinator.email, password=password)
    page.get_by_role("link", name="Tilastoraportti 2025, Kajaani").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilastoraportti 2025, Kajaani")
    assert_accessible(page)

    figures = {
        "Rekisteröidyt kortit": "400",  # 120 a year earlier (the rest as then): a warning to explain
        "Käyttöönotetut kortit": "100",
        "Kulttuuri, aikuiset": "1000",
        "Koulutus, aikuiset": "0",
        "Tiede, aikuiset": "0",
        "Liikunta, aikuiset": "200",
        "Kulttuuri, lapset": "300",
        "Koulutus, lapset": "0",
        "Tiede, lapset": "0",
        "Liikunta, lapset": "50",
    }
    for label, value in figures.items():
        page.get_by_label(f"{label}:", exact=True).fill(value)
    sums = page.locator(".report-sums")
    expect(sums.locator("output").nth(0)).to_have_text(re.compile(r"^1\s200$"))  # adults, Finnish grouping
    expect(sums.locator("output").nth(1)).to_have_text("350")
    expect(sums.locator("output").nth(2)).to_have_text(re.compile(r"^1\s550$"))
    page.get_by_label("Kulttuuri, aikuiset:", exact=True).fill("1001")
    expect(sums.locator("output").nth(2)).to_have_text(re.compile(r"^1\s551$"))
    page.get_by_label("Kulttuuri, aikuiset:", exact=True).fill("1000")

    # The breakdown: the venue's sums beside the totals, as typed.
    page.locator(".report-breakdown summary").click()
    page.get_by_label("Kajaanin kaupunginteatteri: Aikuiset").fill("1000")
    culture_check = page.locator('[data-check="adult_culture"]')
    expect(culture_check).to_have_text("sama kuin kokonaismäärä")
    expect(page.locator('[data-check="adult_sports"]')).to_have_text("eri kuin kokonaismäärä")
    page.get_by_label("Kajaanin kaupunginteatteri: Aikuiset").fill("")
    expect(culture_check).to_have_text("ei erittelyä")
    page.get_by_label("Aikuissosiaalityö: Rekisteröidyt kortit").fill("400")
    expect(page.locator('[data-check="cards_registered"]')).to_have_text("sama kuin kokonaismäärä")
    assert_accessible(page)

    # Submitting asks for the warning's explanation first; the figures typed stay.
    page.get_by_role("button", name="Lähetä tarkastettavaksi").click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Rekisteröidyt kortit:", exact=True)).to_have_value("400")
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    page.locator(".report-warnings textarea").fill("Uusi kortinjakaja aloitti keväällä.")
    page.get_by_role("button", name="Lähetä tarkastettavaksi").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Raportti lähetettiin. Kaikukeskus tarkastaa sen.")).to_be_visible()
    expect(page.get_by_text("Uusi kortinjakaja aloitti keväällä.")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)

    report.refresh_from_db()
    assert report.status == "submitted" and report.cards_registered == 400
    assert list(report.issuer_figures.values_list("cards_registered", flat=True)) == [400]
