"""A municipality's culture director asks to join in Swedish; staff see the prospect in the pipeline, log a call
(the admin's contact log) and plan a pilot (the lifecycle's move to preparing). axe checks every page.

Browser tests run on a flushed database: the reference rows they need are created here."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from localities.models import InterestSubmission, Locality, Municipality, Region, WellbeingServicesCounty
from tests.e2e.conftest import assert_accessible, log_in
from tests.kaikukeskus.factories import StaffFactory


def _kokkola() -> Municipality:
    region, _ = Region.objects.get_or_create(name_fi="Keski-Pohjanmaa", defaults={"name_sv": "Mellersta Österbotten"})
    county, _ = WellbeingServicesCounty.objects.get_or_create(
        name_fi="Keski-Pohjanmaan hyvinvointialue", defaults={"name_sv": "Mellersta Österbottens välfärdsområde"}
    )
    municipality, _ = Municipality.objects.get_or_create(
        code="272", defaults={"name_fi": "Kokkola", "name_sv": "Karleby", "region": region, "county": county}
    )
    return municipality


def test_a_culture_director_asks_to_join_and_staff_plan_a_pilot(page, browser, live_server, password):
    _kokkola()
    staff = StaffFactory(email="kaisa@kaikukeskus.example.fi", preferred_language="sv")

    # The culture director reads the page in Swedish and fills in the form.
    page.set_default_timeout(15_000)
    page.goto("/sv/join/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kaikukortti")
    assert_accessible(page)
    page.locator("#id_municipality").fill("Karleby")
    page.locator("#id_organisation").fill("Karleby stads kulturtjänster")
    page.locator("input[name=sector][value=culture]").check()
    page.locator("#id_name").fill("Kerstin Kulturchef")
    page.locator("#id_title").fill("Kulturdirektör")
    page.locator("#id_email").fill("kerstin@karleby.example.fi")
    page.locator("#id_phone").fill("040 123 4567")
    page.locator("input[name=other_sector][value=not_yet]").check()
    page.locator("input[name=decision_stage][value=motion]").check()
    page.locator("#id_message").fill("Vi vill gärna höra mer.")
    page.locator("#id_consent").check()
    page.wait_for_timeout(2_100)  # a person takes longer than the minimum fill time
    page.locator("form.join-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sv/join/sent/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för ditt meddelande")
    assert_accessible(page)
    prospect = InterestSubmission.objects.get().locality
    assert prospect.status == Locality.Status.PROSPECT and prospect.owner == staff

    # Staff see the prospect in the pipeline, with its next step.
    staff_context = browser.new_context(base_url=live_server.url, locale="sv-FI")
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(15_000)
    log_in(staff_page, email=staff.email, password=password, language_prefix="/sv")
    staff_page.goto("/sv/portal/outreach/")
    row = staff_page.locator("table.pipeline tbody tr", has_text="Karleby")
    expect(row).to_contain_text("Vastaa yhteydenottoon")  # staff's log is written in Finnish
    assert_accessible(staff_page)
    staff_page.goto("/sv/portal/outreach/coverage/")
    assert_accessible(staff_page)

    # They log a call in the contact log.
    staff_page.goto(f"/sv/admin/localities/prospect/{prospect.pk}/change/")
    today = timezone.localdate()
    new = "prospect_contacts-1"  # the submission's contact is the first; then the empty form for a new one
    staff_page.locator(f"[name='{new}-contacted_on']").fill(today.isoformat())
    staff_page.locator(f"[name='{new}-channel']").select_option("phone")
    staff_page.locator(f"[name='{new}-summary']").fill("Samtal med kulturdirektören: nämnden behandlar motionen i vår.")
    staff_page.locator("input[name=_continue]").click()
    expect(staff_page.locator(".messagelist")).to_be_visible()
    assert prospect.prospect_contacts.filter(channel="phone").exists()

    # And plan a pilot: the prospect prepares one.
    staff_page.goto(f"/sv/admin/localities/locality/{prospect.pk}/transition/")
    staff_page.locator("#id_to_status").select_option("preparing")
    staff_page.locator("#id_pilot_start_on").fill((today + datetime.timedelta(days=120)).isoformat())
    staff_page.locator("#content-main form [type=submit]").click()
    expect(staff_page.locator(".messagelist")).to_be_visible()
    prospect.refresh_from_db()
    assert prospect.status == Locality.Status.PREPARING and prospect.pilot.planned_start_on > today
    staff_page.goto("/sv/portal/outreach/")
    expect(staff_page.locator("table.pipeline tbody tr", has_text="Karleby")).to_contain_text("Under förberedelse")
    assert_accessible(staff_page)
    staff_context.close()
