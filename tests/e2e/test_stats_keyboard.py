"""The public statistics at 1280 and 390 px in Finnish and Swedish: axe finds nothing, best practices included
(two landmarks named alike, `landmark-unique`, were reported on /statistics/ and /statistics/<year>/), and at
390 px a keyboard reaches each table's total column: every table that scrolls is a focusable, labelled region
that the arrow keys scroll."""

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_stats_public import published_year  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("width", [1280, 390])
def test_statistics_pages_are_axe_clean_with_best_practices(page, published_year, language, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 844})
    prefix = "" if language == "fi" else f"/{language}"
    for url in (f"{prefix}/statistics/", f"{prefix}/statistics/{published_year.year}/"):
        assert page.goto(url).status == 200
        assert_accessible(page, best_practice=True)


def test_a_keyboard_scrolls_every_wide_table_to_its_total_at_390_px(page, published_year):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/statistics/", f"/statistics/{published_year.year}/"):
        page.goto(url)
        wide = page.locator("main table").evaluate_all(
            "(tables) => tables.filter((t) => t.getBoundingClientRect().width > document.documentElement.clientWidth)"
            ".map((t) => !!t.closest('.table-scroll[tabindex=\"0\"][role=region][aria-labelledby]'))"
        )
        assert wide and all(wide), f"{url}: a table wider than the phone outside a focusable, labelled region"
        regions = page.locator(".table-scroll[role=region]")
        for index in range(regions.count()):
            region = regions.nth(index)
            if not region.evaluate("(r) => r.scrollWidth > r.clientWidth"):
                continue
            region.focus()
            for _ in range(60):
                page.keyboard.press("ArrowRight")
            page.wait_for_timeout(300)  # the last steps' scrolling settles
            assert region.evaluate("(r) => r.scrollLeft + r.clientWidth >= r.scrollWidth - 2"), url
