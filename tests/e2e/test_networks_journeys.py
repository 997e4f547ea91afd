"""A coordinator imports the locality's partner list from a spreadsheet: a bad row is explained, the fixed file
is confirmed and imported by a background job whose page reports it (also without JavaScript), and the venue
appears on the public pages in Finnish, Swedish and English."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in
from tests.localities.factories import CoordinatorFactory, LocalityFactory

HEADER = (
    "Rooli;Nimi;Kunta;Toimiala;Luokka;Kortinjakajan tyyppi;Liittymispäivä;Tarjous suomeksi;Tarjous ruotsiksi;"
    "Tarjous englanniksi;Ensisijaisen yhteyshenkilön nimi;Ensisijaisen yhteyshenkilön sähköposti"
)
GOOD_ROW = (
    "käyttökohde;Kajaanin kaupunginteatteri;Kajaani;kulttuuri;teatteri;;1.1.2025;"
    "Vapaalippu näytöksiin lippukassalta;Fribiljett i biljettkassan;Free ticket at the box office;"
    "Maija Meikäläinen;maija@teatteri.example.fi"
)
ISSUER_ROW = "kortinjakaja;Aikuissosiaalityö;Kajaani;;;sosiaalipalvelut;1.1.2025;;;;Matti Virtanen;matti@example.fi"
BAD_ROW = (
    "käyttökohde;Kajaanin uimahalli;Kajaani;liikunta;liikuntapaikka;;31.2.2025;Uinti;Simning;Swimming;"
    "Pekka;pekka@example.fi"
)
FIXED_ROW = BAD_ROW.replace("31.2.2025", "28.2.2025")


def spreadsheet(*rows: str) -> dict:
    """Finnish Excel's "CSV (semicolon-separated)": Windows-1252 text."""
    content = "\r\n".join([HEADER, *rows]).encode("cp1252")
    return {"name": "kumppanit.csv", "mimeType": "text/csv", "buffer": content}


@pytest.fixture
def kajaani_with_coordinator(transactional_db):
    from localities.models import Municipality, Region, WellbeingServicesCounty
    from localities.reference_data import load_municipalities

    if not Municipality.objects.filter(code="205").exists():  # a browser test before us flushed the tables
        load_municipalities(Region, WellbeingServicesCounty, Municipality)
    locality = LocalityFactory(
        name_fi="Kajaani", name_sv="Kajana", name_en="Kajaani", slug="kajaani", municipalities=["205"]
    )
    return CoordinatorFactory(locality=locality, user__email="aino@kajaani.example.fi").user


def upload(page, file: dict) -> None:
    page.get_by_label("Taulukkotiedosto").set_input_files(file)
    page.get_by_role("button", name="Lähetä ja esikatsele").click()
    page.wait_for_load_state()


def test_coordinator_imports_partners_fixes_a_bad_row_and_the_venue_goes_public(
    page, kajaani_with_coordinator, password
):
    log_in(page, email=kajaani_with_coordinator.email, password=password)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    assert_accessible(page)

    page.get_by_role("link", name="Hallinnoi kumppaneita").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paikkakunnan Kajaani kumppanit")
    assert_accessible(page)

    page.get_by_role("link", name="Tuo taulukosta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuo kumppanit taulukosta")
    assert_accessible(page)

    upload(page, spreadsheet(GOOD_ROW, ISSUER_ROW, BAD_ROW))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuonnin esikatselu")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("1 rivillä on virheitä")
    expect(page.get_by_role("table", name="Virheelliset rivit")).to_contain_text(
        "Liittymispäivä: ”31.2.2025” ei ole päivämäärä"
    )
    expect(page.get_by_role("button", name="Vahvista tuonti")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Lähetä korjattu tiedosto").click()
    upload(page, spreadsheet(GOOD_ROW, ISSUER_ROW, FIXED_ROW))
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("table", name="Rivit")).to_contain_text("Kajaanin uimahalli")
    assert_accessible(page)
    page.get_by_role("button", name="Vahvista tuonti").click()

    # The import runs as a background job: its page says what was imported and leads back to the partners.
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuo kumppanit taulukosta")
    expect(page.get_by_role("status").first).to_contain_text("Tuonti valmis: 3 uutta")
    assert_accessible(page)
    page.get_by_role("link", name="Takaisin kumppaniluetteloon").click()

    expect(page).to_have_url(re.compile(r"/portal/localities/kajaani/partners/$"))
    expect(page.get_by_role("link", name="Kajaanin kaupunginteatteri").first).to_be_visible()
    assert_accessible(page)

    for prefix, heading, offer in [
        ("", "Missä kortti käy", "Vapaalippu näytöksiin lippukassalta"),
        ("/sv", "Var kortet gäller", "Fribiljett i biljettkassan"),
        ("/en", "Where the card works", "Free ticket at the box office"),
    ]:
        page.goto(f"{prefix}/localities/kajaani/")
        section = page.get_by_role("region", name=heading)
        expect(section).to_contain_text("Kajaanin kaupunginteatteri")
        expect(section).to_contain_text(offer)
        expect(section).to_contain_text("Kajaanin uimahalli")
        expect(section).not_to_contain_text("Aikuissosiaalityö")  # issuers are not venues
        expect(section).not_to_contain_text("Maija")  # contact persons are never public
        assert_accessible(page)

    page.goto("/en/venues/")
    page.get_by_label("Sector").select_option("sports")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("list").filter(has_text="Kajaanin uimahalli")).to_be_visible()
    expect(page.get_by_text("Kajaanin kaupunginteatteri")).to_have_count(0)
    assert_accessible(page)


def test_an_import_is_confirmed_and_followed_to_its_end_without_javascript(
    page_without_js, kajaani_with_coordinator, password
):
    page = page_without_js
    log_in(page, email=kajaani_with_coordinator.email, password=password)
    page.goto("/portal/localities/kajaani/partners/import/")
    upload(page, spreadsheet(GOOD_ROW, ISSUER_ROW))
    page.get_by_role("button", name="Vahvista tuonti").click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    expect(page.get_by_role("status").first).to_contain_text("Tuonti valmis: 2 uutta")
    page.get_by_role("link", name="Takaisin kumppaniluetteloon").click()
    expect(page.get_by_role("link", name="Aikuissosiaalityö").first).to_be_visible()


def _fill_partner_form(page, *, phone: str) -> None:
    page.get_by_label("Role").select_option("venue")
    page.locator("#id_partner-name").fill("Kajaanin taidemuseo")
    page.get_by_label("Municipality").select_option(label="Kajaani")
    page.get_by_label("Sector").select_option("culture")
    page.locator("#id_contacts-0-name").fill("Liisa Laine")
    page.locator("#id_contacts-0-phone").fill(phone)
    page.get_by_role("button", name="Save").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_partner_form_explains_errors_next_to_fields(request, kajaani_with_coordinator, password, javascript):
    # axe runs inside the page, so it checks the JavaScript run; the other run proves the form needs no script.
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    check = assert_accessible if javascript else (lambda page: None)
    log_in(page, email=kajaani_with_coordinator.email, password=password, language_prefix="/en")
    page.goto("/en/portal/localities/kajaani/partners/new/")
    check(page)
    _fill_partner_form(page, phone="12")
    expect(page.get_by_role("alert").first).to_contain_text("Enter a phone number such as 040 123 4567")
    expect(page.locator("#id_contacts-0-phone")).to_have_value("12")
    check(page)
    page.locator("#id_contacts-0-phone").fill("+358 40 123 4567")
    page.locator("#id_contacts-0-is_primary").check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/en/portal/localities/kajaani/partners/$"))
    expect(page.get_by_role("link", name="Kajaanin taidemuseo").first).to_be_visible()
    check(page)
