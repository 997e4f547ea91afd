"""The public statistics on a phone (390 px): the tables of years and of a year's localities scroll sideways in
their focusable regions, the row's name (the first column: the year, the locality) stays readable at the left
edge while the figures scroll under it, and no cell covers another (the site's rule that keeps a table's last
column, its actions, in view does not apply to a table of figures); axe-clean."""

import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Each cell of the table: its box, whether it is in view (in the region, on the screen and, for a figure, to the
# right of the pinned first column it scrolls under) and whether another element covers its middle there.
MEASURE = """(region) => {
  const regionBox = region.getBoundingClientRect();
  const rows = [...region.querySelectorAll("tr")];
  const pinned = Math.max(...rows.map((row) => row.children[0].getBoundingClientRect().right));
  const cells = [];
  rows.forEach((row) => {
    [...row.children].forEach((cell, column) => {
      const box = cell.getBoundingClientRect();
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      const visible = x > (column ? pinned : regionBox.left) && x < regionBox.right
        && x < document.documentElement.clientWidth && y > 0 && y < document.documentElement.clientHeight;
      const top = visible ? document.elementFromPoint(x, y) : null;
      cells.push({
        column, text: cell.textContent.trim(), left: box.left, right: box.right,
        visible, covered: visible && !(top && cell.contains(top)),
      });
    });
  });
  return {left: regionBox.left, right: regionBox.right, scrolls: region.scrollWidth > region.clientWidth, cells};
}"""


@pytest.fixture
def published_year(transactional_db):
    from tests.localities.factories import LocalityFactory
    from tests.stats.factories import LocalityYearFactory, NationalYearFactory

    national_year = NationalYearFactory(year=2031, localities=3, localities_expected=3)
    for name in ("Kajaani", "Pohjois-Karjalan hyvinvointialue", "Tornio"):
        LocalityYearFactory(national_year=national_year, locality=LocalityFactory(name_fi=name))
    return national_year


def _check(page, *, heading: str, scrolled: bool, screenshots) -> dict:
    region = page.locator(f"section[aria-labelledby={heading}] .table-scroll")
    region.scroll_into_view_if_needed()
    if scrolled:
        region.evaluate("(region) => { region.scrollLeft = region.scrollWidth; }")
    found = region.evaluate(MEASURE)
    # Kept with the test's temporary files (pytest --basetemp) for a look at the page.
    page.screenshot(path=screenshots / f"{heading}-{'scrolled' if scrolled else 'start'}.png", full_page=True)
    assert found["scrolls"], "the table fits the phone: nothing to check"
    covered = [cell["text"] for cell in found["cells"] if cell["covered"]]
    assert not covered, f"covered cells: {covered}"
    names = [cell for cell in found["cells"] if cell["column"] == 0]
    for cell in names:
        assert cell["left"] >= found["left"] - 1 and cell["right"] <= found["right"] + 1, cell
        assert cell["visible"], cell
    return found


@pytest.mark.parametrize(
    "url, heading", [("/statistics/2031/", "localities-heading"), ("/statistics/", "years-heading")]
)
def test_the_tables_scroll_with_the_row_names_in_view_on_a_phone(page, published_year, tmp_path, url, heading):
    page.set_viewport_size(PHONE)
    page.goto(url)
    start = _check(page, heading=heading, scrolled=False, screenshots=tmp_path)
    # Before scrolling, the figures' last column is off to the right (not pinned over the others).
    last = max(cell["column"] for cell in start["cells"])
    assert all(cell["left"] >= start["right"] for cell in start["cells"] if cell["column"] == last)
    scrolled = _check(page, heading=heading, scrolled=True, screenshots=tmp_path)
    assert any(cell["visible"] for cell in scrolled["cells"] if cell["column"] == last)
    assert_accessible(page)
