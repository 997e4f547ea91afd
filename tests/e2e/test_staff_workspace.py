"""The staff workspace as national staff use it, at 1280 px in Finnish and at 390 px in Swedish: from the front
page to a round's review, a report's review (its warning with the coordinators' explanation) and its approval,
the year's aggregation and publishing after the confirmation that names the locality that has not reported, and
the attendance of a training that just ended. axe-clean on every page, no CSP refusal (the `page` fixture fails
on any), and at 390 px no page wider than the screen."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in
from tests.e2e.test_ui_narrow_screens import _problems

pytestmark = pytest.mark.browser

TEXTS = {
    "fi": {
        "round": "Kierros 2025: 1 raportti odottaa tarkastusta",
        "approve": "Hyväksy",
        "years": "Tilastovuodet",
        "aggregate": "Kokoa",
        "publish": "Julkaise…",
        "not_reported": "1 paikkakunta ei ole raportoinut",
        "confirm": "Olen tarkistanut paikkakunnat",
        "publish_button": "Julkaise 2025",
        "published": "Vuosi 2025 on julkaistu.",
        "today": "Tänään",
        "attendance": "Läsnäolo: Perehdytyskoulutus",
        "save_attendance": "Tallenna läsnäolo",
        "attended": "Osallistui",
    },
    "sv": {
        "round": "Omgång 2025: 1 rapport väntar på granskning",
        "approve": "Godkänn",
        "years": "Statistikår",
        "aggregate": "Sammanställ",
        "publish": "Publicera…",
        "not_reported": "1 ort har inte rapporterat",
        "confirm": "Jag har kontrollerat orterna",
        "publish_button": "Publicera 2025",
        "published": "År 2025 är publicerat.",
        "today": "I dag",
        "attendance": "Närvaro: Introduktion",
        "save_attendance": "Spara närvaron",
        "attended": "Deltog",
    },
}


@pytest.fixture
def workspace_world(transactional_db):
    """Kajaani's 2025 report submitted with a warning and its explanation (the cards registered rose from 120 to
    300), Hiljainen's still a draft, and an onboarding training that ended yesterday with one participant."""
    from django.utils import timezone

    from tests.kaikukeskus.factories import StaffFactory
    from tests.localities.factories import CoordinatorFactory, LocalityFactory
    from tests.stats.factories import FILLED, ReportFactory, yearly_round
    from tests.trainings.factories import RegistrationFactory, TrainingFactory

    staff = StaffFactory(email="kaisa@kaikukeskus.example.fi", first_name="Kaisa", last_name="Tilasto")
    kajaani = LocalityFactory(
        name_fi="Kajaani", name_sv="Kajana", slug="kajaani", pilot_start_on=datetime.date(2024, 1, 1)
    )
    CoordinatorFactory(locality=kajaani, user__email="aino@kajaani.example.fi")
    ReportFactory(round=yearly_round(2024), locality=kajaani, status="approved", **FILLED)
    report = ReportFactory(
        round=yearly_round(2025),
        locality=kajaani,
        status="submitted",
        **{**FILLED, "cards_registered": 300},
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
        explanations={"change:cards_registered": "Uusi kortinjakaja aloitti keväällä."},
    )
    hiljainen = LocalityFactory(name_fi="Hiljainen", name_sv="Tystby", pilot_start_on=datetime.date(2024, 1, 1))
    ReportFactory(round=yearly_round(2025), locality=hiljainen, status="draft")
    now = timezone.now()
    training = TrainingFactory(
        title_fi="Perehdytyskoulutus",
        title_sv="Introduktion",
        starts_at=now - datetime.timedelta(days=1),
        registration_opens_at=now - datetime.timedelta(days=20),
    )
    registration = RegistrationFactory(training=training, locality=kajaani, name="Aino Koordinaattori")
    return staff, report, registration


@pytest.mark.parametrize(("language", "width"), [("fi", 1280), ("sv", 390)])
def test_staff_review_approve_publish_and_take_attendance(page, workspace_world, password, language, width):
    from stats.models import LocalityReport, NationalYear
    from trainings.models import Registration

    staff, report, registration = workspace_world
    text = TEXTS[language]
    prefix = "" if language == "fi" else f"/{language}"
    page.set_viewport_size({"width": width, "height": 900})

    def check() -> None:
        assert_accessible(page)
        if width < 500:
            assert not _problems(page), f"{page.url}: {_problems(page)}"

    log_in(page, email=staff.email, password=password, language_prefix=prefix)
    page.goto(f"{prefix}/portal/")
    check()

    # The front page: the round's report waits for review.
    page.get_by_role("link", name=text["round"]).click()
    expect(page.locator("h1")).to_contain_text("2025")
    check()
    page.locator("table").get_by_role("link", name="Kajaani" if language == "fi" else "Kajana").click()
    expect(page.locator(".review-warnings")).to_contain_text("Uusi kortinjakaja aloitti keväällä.")
    check()
    page.get_by_role("button", name=text["approve"], exact=True).click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == LocalityReport.Status.APPROVED
    assert report.history.latest().history_change_reason == "report.approved"

    # The year: aggregate, then publish after the confirmation that names Hiljainen.
    page.get_by_role(
        "navigation", name="Henkilökunnan työtila" if language == "fi" else "Personalens arbetsyta"
    ).get_by_role("link", name=text["years"]).click()
    check()
    page.get_by_role("link", name="2025", exact=True).click()
    page.get_by_role("button", name=text["aggregate"], exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("link", name=text["publish"]).click()
    expect(page.get_by_role("heading", name=text["not_reported"])).to_be_visible()
    expect(page.locator(".not-reported")).to_contain_text("Hiljainen" if language == "fi" else "Tystby")
    check()
    page.get_by_label(text["confirm"], exact=False).check()
    page.get_by_role("button", name=text["publish_button"]).click()
    expect(page.get_by_text(text["published"])).to_be_visible()
    check()
    national_year = NationalYear.objects.get(year=2025)
    assert national_year.is_published and national_year.localities == 1
    assert national_year.history.latest().history_change_reason == "year.published"

    # The training that ended yesterday: its attendance from the front page.
    page.get_by_role("link", name=text["today"]).click()
    page.get_by_role("link", name=text["attendance"]).click()
    check()
    page.get_by_label("Aino Koordinaattori").check()
    page.get_by_role("button", name=text["save_attendance"]).click()
    expect(page.locator("main table")).to_contain_text(text["attended"])
    check()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED
