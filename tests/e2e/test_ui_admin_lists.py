"""The admin lists staff still use fit 1280 px beside the navigation and the filters: the pilot board's overdue
columns, the trainings' status, places and participants' links, the rounds' on-time, late and missing columns and
the years' aggregated and published columns are in view, not behind a horizontal scroll."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.e2e.conftest import assert_accessible, log_in
from tests.kaikukeskus.portal_pages import make_portal_pages
from tests.stats.factories import NationalYearFactory, RoundFactory
from tests.trainings.factories import TrainingFactory

pytestmark = pytest.mark.browser

LISTS = {
    "admin:localities_pilotboard_changelist": 3,  # overdue milestones, at least
    "admin:trainings_training_changelist": 6,
    "admin:stats_reportinground_changelist": 7,
    "admin:stats_nationalyear_changelist": 6,
}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_columns_that_matter_are_in_view_at_1280_px(page, staff, coordinator, locality, password, language):
    make_portal_pages(locality=locality, coordinator=coordinator)
    TrainingFactory(title_fi="Kaikukortin valtakunnallinen verkostotapaaminen 2026")
    RoundFactory()
    NationalYearFactory()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, email=staff.email, password=password, language_prefix="" if language == "fi" else f"/{language}")

    for name, columns in LISTS.items():
        with translation.override(language):
            url = reverse(name)
        assert page.goto(url).status == 200, url
        results = page.locator("#changelist .results")
        fits = results.evaluate("element => element.scrollWidth <= element.clientWidth")
        assert fits, f"{url}: the list scrolls sideways at 1280 px"
        headings = page.locator("#result_list thead th:not(.action-checkbox-column)")
        assert headings.count() >= columns, url
        last = headings.nth(headings.count() - 1).bounding_box()
        box = results.bounding_box()
        assert last["x"] + last["width"] <= box["x"] + box["width"] + 1, url


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_localitys_timeline_fits_a_phone(page, staff, coordinator, locality, password, language):
    """At 390 px the timeline's table scrolls in its own focusable region; the page itself is not wider (it was
    560–620 px)."""
    make_portal_pages(locality=locality, coordinator=coordinator)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, email=staff.email, password=password, language_prefix="" if language == "fi" else f"/{language}")
    with translation.override(language):
        url = reverse("admin:localities_pilotboard_timeline", args=[locality.pk])

    assert page.goto(url).status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    region = page.locator(".timeline-scroll[role=region][tabindex='0']")
    assert region.count() == 1
    assert_accessible(page, best_practice=True)
