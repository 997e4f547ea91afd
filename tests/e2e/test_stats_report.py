"""A coordinator fills in the locality's statistics report in the browser: the sums follow the typing, a
warning against last year is explained, the report is submitted and shows as submitted; axe-clean at a desktop
and a phone width."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in
from tests.e2e.test_ui_narrow_screens import MEASURE

pytestmark = pytest.mark.browser


@pytest.fixture
def kajaani_last_year() -> dict:
    """Last year's uses as this test's figures have them (the cards registered differ: a warning)."""
    from stats.models import USE_FIELDS
    from tests.stats.factories import FILLED

    uses = {"adult_culture": 1000, "adult_sports": 200, "child_culture": 300, "child_sports": 50}
    return {**FILLED, **dict.fromkeys(USE_FIELDS, 0), **uses}


@pytest.fixture
def kajaani_report(kajaani):
    """Kajaani with an issuer too, for the breakdown by issuer."""
    from tests.networks.factories import IssuerFactory

    IssuerFactory(locality=kajaani.locality, name="Aikuissosiaalityö", joined_on=datetime.date(2024, 1, 1))
    return kajaani.coordinator, kajaani.report


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


def test_a_large_network_fills_in_its_breakdown_page_by_page(page, kajaani, password):
    """61 venues: the breakdown comes 50 rows at a time; moving to the next page saves the draft, and the sums
    there count the rows saved on the first page. In Swedish, axe-clean at a desktop and a phone width."""
    from tests.networks.factories import create_partners

    create_partners(kajaani.locality, 60)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, email=kajaani.coordinator.email, password=password, language_prefix="/sv")
    page.goto(f"/sv/portal/localities/kajaani/statistics/{kajaani.report.pk}/")
    page.get_by_label("Kultur, vuxna:", exact=True).fill("7")
    page.locator(".report-breakdown summary").click()
    expect(page.get_by_text("Raderna 1–50 av 61 (sida 1 av 2).")).to_be_visible()
    page.get_by_label("Kajaanin kaupunginteatteri: Vuxna").fill("5")
    assert_accessible(page)
    page.get_by_role("button", name="Spara och visa nästa sida").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Utkastet sparades.")).to_be_visible()
    expect(page.get_by_text("Raderna 51–61 av 61 (sida 2 av 2).")).to_be_visible()
    culture = page.locator('output[data-venue-sum="adult_culture"]')
    expect(culture).to_have_text("5")  # the first page's row, saved
    page.get_by_label("venue 00059: Vuxna").fill("2")
    expect(culture).to_have_text("7")
    expect(page.locator('[data-check="adult_culture"]')).to_have_text("samma som totalen")
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    assert page.evaluate(MEASURE) == []  # the open breakdown fits the phone's screen, its table scrolls
    page.get_by_role("button", name="Spara och visa föregående sida").click()
    page.wait_for_load_state()
    expect(page.get_by_label("Kajaanin kaupunginteatteri: Vuxna")).to_have_value("5")
    expect(culture).to_have_text("7")  # now the second page's row is the one saved elsewhere


def test_a_partial_draft_is_saved_then_completed_and_submitted_on_a_phone(page, kajaani, kajaani_last_year, password):
    """A draft with a value typed wrong saves the rest and keeps the wrong one as typed, marked; the
    coordinator comes back later, corrects it and submits. Finnish at 390 px, axe-clean."""
    figures = kajaani_last_year  # the same as a year earlier: no warning to explain
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, email=kajaani.coordinator.email, password=password)
    url = f"/portal/localities/kajaani/statistics/{kajaani.report.pk}/"
    page.goto(url)
    page.get_by_label("Rekisteröidyt kortit:", exact=True).fill(str(figures["cards_registered"]))
    page.get_by_label("Kulttuuri, aikuiset:", exact=True).fill("-3")
    page.get_by_role("button", name="Tallenna luonnos").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Luonnos tallennettiin lukuun ottamatta alla merkittyjä arvoja")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Kulttuuri, aikuiset:", exact=True)).to_have_value("-3")
    expect(page.locator(".error-summary")).to_contain_text("Kulttuuri, aikuiset: luku ei voi olla negatiivinen.")
    assert_accessible(page)

    page.goto(url)  # later: what was typed right is there
    expect(page.get_by_label("Rekisteröidyt kortit:", exact=True)).to_have_value(str(figures["cards_registered"]))
    expect(page.get_by_label("Kulttuuri, aikuiset:", exact=True)).to_have_value("")
    labels = {
        "cards_activated": "Käyttöönotetut kortit",
        "adult_culture": "Kulttuuri, aikuiset",
        "adult_education": "Koulutus, aikuiset",
        "adult_science": "Tiede, aikuiset",
        "adult_sports": "Liikunta, aikuiset",
        "child_culture": "Kulttuuri, lapset",
        "child_education": "Koulutus, lapset",
        "child_science": "Tiede, lapset",
        "child_sports": "Liikunta, lapset",
    }
    for name, label in labels.items():
        page.get_by_label(f"{label}:", exact=True).fill(str(figures[name]))
    page.get_by_role("button", name="Lähetä tarkastettavaksi").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Raportti lähetettiin. Kaikukeskus tarkastaa sen.")).to_be_visible()
    assert_accessible(page)
