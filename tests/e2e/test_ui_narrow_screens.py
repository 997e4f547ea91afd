"""A phone's 390 px: no portal page is wider than the screen, every table fits or scrolls inside its own box (or its
focusable .table-scroll region), and every button is on the screen."""

import pytest

from tests.e2e.conftest import log_in
from tests.kaikukeskus.portal_pages import make_portal_pages

PHONE = {"width": 390, "height": 844}

MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  }
  for (const table of document.querySelectorAll("main table")) {
    const box = table.getBoundingClientRect();
    const container = table.parentElement.getBoundingClientRect();
    // A table scrolls inside itself, or with its focusable .table-scroll region (the region's box is on screen).
    const region = table.closest(".table-scroll");
    const scroller = region && ["auto", "scroll"].includes(getComputedStyle(region).overflowX) ? region : table;
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(scroller).overflowX);
    const fits = table.scrollWidth <= Math.ceil(box.width) && box.right <= container.right + 1;
    if (!fits && !(scrolls && scroller.getBoundingClientRect().right <= width)) {
      problems.push(`a table ${table.scrollWidth} px wide neither fits nor scrolls`);
    }
  }
  for (const button of document.querySelectorAll("button, .button, input[type=submit]")) {
    const box = button.getBoundingClientRect();
    if (box.width && (box.left < 0 || box.right > width)) {
      const label = button.textContent.trim().slice(0, 40);
      problems.push(`button "${label}" at ${Math.round(box.left)}–${Math.round(box.right)} px`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_portal_pages_fit_a_phone(page, coordinator, locality, password, prefix):
    pages = make_portal_pages(locality=locality, coordinator=coordinator)
    page.set_viewport_size(PHONE)
    log_in(page, email=coordinator.email, password=password, language_prefix=prefix)

    problems = {}
    for name, (url, _belongs) in pages.items():
        response = page.goto(prefix + url)
        assert response.status == 200, name
        if found := page.evaluate(MEASURE):
            problems[name] = found
    assert not problems, problems
