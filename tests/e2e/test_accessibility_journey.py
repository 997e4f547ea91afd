"""Issue 21 in a browser at 390 px, in Finnish and English: a card holder finds a venue with an induction loop in
Kajaani with the directory's plain GET filter; a venue's contact fills in its accessibility through the link the
coordinator e-mailed. axe finds nothing on any page."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

NARROW = {"width": 390, "height": 844}


@pytest.fixture
def kajaani_venues(transactional_db):
    from localities.models import Municipality, Region, WellbeingServicesCounty
    from localities.reference_data import load_municipalities
    from networks.models import VenueAccessibility
    from tests.localities.factories import LocalityFactory
    from tests.networks.factories import ContactPersonFactory, PartnerFactory

    if not Municipality.objects.filter(code="205").exists():
        load_municipalities(Region, WellbeingServicesCounty, Municipality)
    locality = LocalityFactory(
        name_fi="Kajaani", name_sv="Kajana", name_en="Kajaani", slug="kajaani", municipalities=["205"]
    )
    loop = PartnerFactory(locality=locality, name="Kajaanin kaupunginteatteri")
    VenueAccessibility.objects.create(
        partner=loop,
        induction_loop="yes",
        step_free_entrance="yes",
        booking_fi="Soita lippukassaan.",
        booking_en="Call the box office.",
        checked_on=datetime.date.today(),  # noqa: DTZ011
    )
    no_loop = PartnerFactory(locality=locality, name="Kajaanin taidemuseo")
    VenueAccessibility.objects.create(partner=no_loop, induction_loop="no", checked_on=datetime.date.today())  # noqa: DTZ011
    PartnerFactory(locality=locality, name="Kajaanin uimahalli")
    contact = ContactPersonFactory(partner=no_loop, email="museo@kajaani.example.fi")
    return locality, loop, no_loop, contact


@pytest.mark.browser
@pytest.mark.parametrize(
    ("prefix", "label", "button", "yes"),
    [("", "Induktiosilmukka", "Hae", "Kyllä"), ("/en", "Induction loop", "Search", "Yes")],
)
def test_a_card_holder_finds_a_venue_with_an_induction_loop_in_kajaani(
    page, kajaani_venues, prefix, label, button, yes
):
    page.set_viewport_size(NARROW)
    page.goto(f"{prefix}/venues/")
    page.get_by_label("Kunta" if not prefix else "Municipality").select_option("205")
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    assert "accessibility=induction_loop" in page.url
    expect(page.get_by_role("link", name="Kajaanin kaupunginteatteri")).to_be_visible()
    expect(page.get_by_text("Kajaanin taidemuseo")).to_have_count(0)
    expect(page.get_by_text("Kajaanin uimahalli")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Kajaanin kaupunginteatteri").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kajaanin kaupunginteatteri")
    assert yes in page.locator(".access-yes").first.inner_text()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.parametrize(("language", "save", "yes"), [("fi", "Tallenna", "Kyllä"), ("en", "Save", "Yes")])
def test_a_venues_contact_fills_in_its_accessibility_by_the_emailed_link(
    page, kajaani_venues, language, save, yes, outbox
):
    from networks import services
    from networks.models import VenueAccessibility
    from tests.localities.factories import CoordinatorFactory

    locality, _loop, museum, contact = kajaani_venues
    coordinator = CoordinatorFactory(locality=locality).user
    services.venue_link_send(actor=coordinator, partner=museum, contact=contact, language=language)
    message = next(m for m in outbox.deliver() if m.to == [contact.email])
    link = next(word for word in message.body.split() if "/venues/link/" in word)
    path = link.split("://", 1)[-1]
    path = path[path.index("/") :]
    page.set_viewport_size(NARROW)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kajaanin taidemuseo")
    assert_accessible(page)
    loop = page.get_by_role("group", name="Induktiosilmukka" if language == "fi" else "Induction loop")
    loop.get_by_label(yes, exact=True).check()
    page.get_by_role("button", name=save, exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    answers = VenueAccessibility.objects.get(partner=museum)
    assert answers.induction_loop == "yes" and answers.checked_on == datetime.date.today()  # noqa: DTZ011
