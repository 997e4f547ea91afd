"""A coordinator marks a pilot milestone done and staff see the pilot review board change; a visitor finds
whether Kaikukortti works in their municipality. axe checks every page the journeys visit, in fi, sv and en.

Browser tests run on a flushed database (data migrations' rows are gone), so they create the reference rows
they need themselves."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from localities.models import Locality, Municipality, Region, WellbeingServicesCounty
from tests.e2e.conftest import assert_accessible, log_in
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import (
    CoordinatorFactory,
    FeedbackMeetingFactory,
    FollowUpActionFactory,
    LocalityFactory,
    MilestoneFactory,
    PilotFactory,
)

LANGUAGES = [("", "fi"), ("/sv", "sv"), ("/en", "en")]


def _kainuu():
    region, _ = Region.objects.get_or_create(name_fi="Kainuu", defaults={"name_sv": "Kajanaland"})
    county, _ = WellbeingServicesCounty.objects.get_or_create(
        name_fi="Kainuun hyvinvointialue", defaults={"name_sv": "Kajanalands välfärdsområde"}
    )
    kajaani, _ = Municipality.objects.get_or_create(
        code="205", defaults={"name_fi": "Kajaani", "name_sv": "Kajana", "region": region, "county": county}
    )
    sotkamo, _ = Municipality.objects.get_or_create(
        code="765", defaults={"name_fi": "Sotkamo", "name_sv": "Sotkamo", "region": region, "county": county}
    )
    return region, county, [kajaani, sotkamo]


def _pilot_with_milestones(locality):
    today = timezone.localdate()
    pilot = PilotFactory(locality=locality, milestones=False, planned_start_on=today - datetime.timedelta(days=60))
    titles = [
        ("Ensimmäinen yhteydenotto", "Första kontakt", "First contact", -200, True),
        ("Työpari nimetty", "Arbetspar utsett", "Working pair named", -20, False),
        ("Käyttöönotto", "Lansering", "Launch", 30, False),
    ]
    milestones = []
    for position, (fi, sv, en, offset, done) in enumerate(titles, start=1):
        milestones.append(
            MilestoneFactory(
                pilot=pilot,
                position=position,
                title_fi=fi,
                title_sv=sv,
                title_en=en,
                due_on=today + datetime.timedelta(days=offset),
                done_on=today - datetime.timedelta(days=150) if done else None,
            )
        )
    return pilot, milestones


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
def test_coordinator_marks_milestone_done_and_staff_see_the_board_change(
    page, browser, live_server, password, prefix, language
):
    _region, county, municipalities = _kainuu()
    locality = LocalityFactory(
        name_fi="Kainuu",
        name_sv="Kajanaland",
        name_en="Kainuu",
        slug="kainuu",
        county=county,
        status=Locality.Status.PILOTING,
        municipalities=municipalities,
    )
    _pilot, milestones = _pilot_with_milestones(locality)
    late = milestones[1]
    meeting = FeedbackMeetingFactory(locality=locality)
    FollowUpActionFactory(meeting=meeting, due_on=timezone.localdate() - datetime.timedelta(days=3))
    coordinator = CoordinatorFactory(locality=locality, user__email="aino@kainuu.example.fi").user
    staff = StaffFactory(email="kaisa@kaikukeskus.example.fi")
    name = "Kajanaland" if language == "sv" else "Kainuu"

    # Staff look at the board first: one of three done, one overdue.
    staff_context = browser.new_context(base_url=live_server.url, locale=f"{language}-FI")
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(15_000)
    staff_page.goto(f"{prefix}/accounts/login/")
    assert_accessible(staff_page)
    log_in(staff_page, email=staff.email, password=password, language_prefix=prefix)
    staff_page.goto(f"{prefix}/admin/localities/pilotboard/")
    row = staff_page.locator("#result_list tbody tr", has_text=name)
    expect(row.locator("td.field-progress")).to_have_text("1 / 3")
    expect(row.locator("td.field-overdue_milestones")).to_contain_text("1")
    assert_accessible(staff_page)

    # The coordinator sees the overdue work on the front page, opens the checklist and marks the milestone done.
    log_in(page, email=coordinator.email, password=password, language_prefix=prefix)
    expect(page).to_have_url(re.compile(rf"{prefix}/portal/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".panel-todo").first).to_contain_text(
        late.title_fi if language == "fi" else getattr(late, f"title_{language}")
    )
    assert_accessible(page)

    page.goto(f"{prefix}/portal/localities/kainuu/")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert_accessible(page)
    page.goto(f"{prefix}/portal/localities/kainuu/pilot/")
    assert_accessible(page)
    page.locator(f"#milestone-{late.pk} a").click()
    expect(page).to_have_url(re.compile(rf"/pilot/milestones/{late.pk}/$"))
    assert_accessible(page)

    # A date in the future is refused with an error summary linked to the field.
    page.locator("#id_done_on").fill((timezone.localdate() + datetime.timedelta(days=2)).isoformat())
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary a[href='#id_done_on']")).to_be_visible()
    assert_accessible(page)

    page.locator("#id_done_on").fill(timezone.localdate().isoformat())
    page.locator("#id_note").fill("Työpari: Aino ja Pekka")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/pilot/#milestone-{late.pk}$"))
    expect(page.locator(f"#milestone-{late.pk}")).to_contain_text("Työpari: Aino ja Pekka")
    expect(page.locator(".messages")).to_be_visible()
    assert_accessible(page)

    # The meeting page: the overdue action can be marked done without JavaScript's help.
    page.goto(f"{prefix}/portal/localities/kainuu/meetings/{meeting.pk}/")
    assert_accessible(page)

    # Staff reload the board: two of three done, nothing overdue among the milestones.
    staff_page.reload()
    row = staff_page.locator("#result_list tbody tr", has_text=name)
    expect(row.locator("td.field-progress")).to_have_text("2 / 3")
    expect(row.locator("td.field-overdue_milestones")).to_have_text("0")
    row.get_by_role("link", name=name).click()
    expect(staff_page.locator("#content-main")).to_contain_text("Työpari: Aino ja Pekka")
    assert_accessible(staff_page)
    staff_page.goto(f"{prefix}/admin/localities/locality/{locality.pk}/transition/")
    expect(staff_page.locator("select[name=to_status]")).to_be_visible()
    assert_accessible(staff_page)
    staff_context.close()


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
def test_visitor_finds_kaikukortti_in_their_municipality(page, prefix, language):
    _region, county, municipalities = _kainuu()
    LocalityFactory(
        name_fi="Kainuu",
        name_sv="Kajanaland",
        name_en="Kainuu",
        slug="kainuu",
        county=county,
        status=Locality.Status.PERMANENT,
        permanent_since=datetime.date(2017, 1, 1),
        municipalities=municipalities,
        website="https://example.fi/kaikukortti",
        feedback_email="kaikukortti@example.fi",
    )
    LocalityFactory(name_fi="Salainen", slug="salainen", status=Locality.Status.PROSPECT)
    page.goto(f"{prefix}/localities/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("link", name="Salainen")).to_have_count(0)
    assert_accessible(page)

    page.locator("#id_q").fill("KAJANA" if language == "sv" else "kajaani")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator(".answer")).to_contain_text("Kajana" if language == "sv" else "Kajaani")
    assert_accessible(page)

    # The answer links the locality's page (and the table below it lists the locality too).
    page.locator(".answer").get_by_role("link", name="Kajanaland" if language == "sv" else "Kainuu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kajanaland" if language == "sv" else "Kainuu")
    expect(page.locator("a[href='mailto:kaikukortti@example.fi']")).to_be_visible()
    assert_accessible(page)
    assert page.goto(f"{prefix}/localities/salainen/").status == 404


def test_search_works_without_javascript(page_without_js):
    _region, county, municipalities = _kainuu()
    LocalityFactory(name_fi="Kainuu", slug="kainuu", county=county, municipalities=municipalities)
    page = page_without_js
    page.goto("/localities/")
    page.locator("#id_q").fill("sotkamo")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/localities/\?q=sotkamo"))
    expect(page.get_by_role("link", name="Kainuu").first).to_be_visible()
