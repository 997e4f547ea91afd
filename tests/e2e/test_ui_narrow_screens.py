"""A phone's 390 px: no portal page is wider than the screen, every table fits or scrolls inside its own box (or its
focusable .table-scroll region) where a keyboard can scroll it too, and every button is on the screen. Only a column
of a row's actions (cells marked .actions-cell) is pinned at the right edge, always in view; a column of data scrolls
with the others, and no cell is covered by another at either end of the scroll (at 390 px the statistics report
list's timeliness column once covered the due dates)."""

import pytest

from tests.e2e.conftest import log_in
from tests.kaikukeskus.factories import StaffFactory
from tests.kaikukeskus.portal_pages import make_portal_pages
from tests.localities.factories import CoordinatorFactory, LocalityFactory
from tests.materials.factories import MaterialFactory, PublishedVersionFactory, add_file
from tests.trainings.factories import RegistrationFactory, TrainingFactory

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
    // A keyboard scrolls it too: the scrolling box is focusable, or holds something that is (axe's
    // scrollable-region-focusable); a table of data only goes in a focusable, labelled .table-scroll region.
    const focusable = scroller.tabIndex >= 0 || scroller.querySelector("a[href], button, input, select, textarea");
    if (scroller.scrollWidth > scroller.clientWidth && !focusable) {
      const name = (table.caption || table).textContent.trim().slice(0, 40);
      const size = `${scroller.scrollWidth} px in ${scroller.clientWidth}`;
      problems.push(`table "${name}" (${size}) scrolls where no keyboard reaches`);
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


# Every table in main, scrolled to its start and to its end: a cell pinned at the right edge that is not a row's
# actions, a cell whose middle (in the scrolling box, on the screen) another cell covers (other than a pinned
# actions cell or a pinned first column, which the columns scroll under by design), an actions cell out of view.
PINNED = """() => {
  const problems = [];
  const label = (cell) => JSON.stringify(cell.textContent.trim().replace(/\\s+/g, " ").slice(0, 40));
  const pinned = (cell) => getComputedStyle(cell).position === "sticky";
  const scrollsUnder = (cell) => pinned(cell)
    && (cell.classList.contains("actions-cell") || getComputedStyle(cell).left !== "auto");
  for (const table of document.querySelectorAll("main table")) {
    const region = table.closest(".table-scroll");
    const scroller = region && getComputedStyle(region).overflowX !== "visible" ? region : table;
    // Not the cells of a closed <details>: they have boxes, but nothing is drawn.
    const cells = [...table.querySelectorAll("th, td")].filter((cell) => cell.checkVisibility());
    for (const end of ["start", "end"]) {
      scroller.scrollLeft = end === "start" ? 0 : scroller.scrollWidth;
      for (const cell of cells) {
        if (pinned(cell) && getComputedStyle(cell).right !== "auto" && !cell.classList.contains("actions-cell")) {
          problems.push(`${label(cell)} (data) is pinned at the right edge`);
        }
        const box = cell.getBoundingClientRect(), area = scroller.getBoundingClientRect();
        if (cell.classList.contains("actions-cell")
            && (box.left < area.left - 1 || box.right > Math.min(area.right, innerWidth) + 1)) {
          problems.push(`actions ${label(cell)} out of view at the scroll's ${end}`);
        }
        const x = box.left + box.width / 2;
        if (pinned(cell) || !box.width || x < Math.max(area.left, 0) || x > Math.min(area.right, innerWidth)) {
          continue;
        }
        window.scrollTo(0, window.scrollY + box.top + box.height / 2 - innerHeight / 2);
        const now = cell.getBoundingClientRect();
        const top = document.elementFromPoint(now.left + now.width / 2, now.top + now.height / 2);
        const by = top && top.closest("th, td");
        if (top && !cell.contains(top) && !(by && scrollsUnder(by))) {
          problems.push(`${label(cell)} covered by ${by ? label(by) : top.tagName} at the scroll's ${end}`);
        }
      }
    }
    scroller.scrollLeft = 0;
  }
  return [...new Set(problems)];
}"""


def _problems(page) -> list[str]:
    return page.evaluate(MEASURE) + page.evaluate(PINNED)


@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_portal_pages_fit_a_phone(page, coordinator, locality, password, prefix):
    pages = make_portal_pages(locality=locality, coordinator=coordinator)
    page.set_viewport_size(PHONE)
    log_in(page, email=coordinator.email, password=password, language_prefix=prefix)

    problems = {}
    for name, (url, _belongs) in pages.items():
        response = page.goto(prefix + url)
        assert response.status == 200, name
        if found := _problems(page):
            problems[name] = found
    assert not problems, "\n".join(f"{name}: {found}" for name, found in problems.items())


def test_staff_and_public_tables_on_a_phone(page, coordinator, locality, password):
    """The tables outside a locality's portal pages: a coordinator's trainings, staff's attendance and coverage, a
    material's files and the public list of localities."""
    CoordinatorFactory(locality=LocalityFactory(name_fi="Pohjois-Karjalan hyvinvointialue"), side="culture")
    staff = StaffFactory(email="staff@kaikukeskus.example.fi")
    training = TrainingFactory(title_sv="Nationellt nätverksmöte för koordinatorer")
    RegistrationFactory(training=training, user=coordinator, locality=locality, organisation="Kajaanin kaupunki")
    RegistrationFactory(training=training, locality=locality, organisation="Kainuun hyvinvointialue")
    past = TrainingFactory(past=True, title_sv="Introduktion för nya koordinatorer")
    RegistrationFactory(training=past, user=coordinator, locality=locality, status="attended")
    material = MaterialFactory(slug="verksamhetsmodell", audience="public", title_sv="Nationell verksamhetsmodell")
    version = PublishedVersionFactory(material=material, label="2024")
    for language in ("fi", "sv"):
        add_file(version, language)
    pages = {
        coordinator.email: {"my trainings": "/sv/portal/trainings/", "material": "/sv/materials/verksamhetsmodell/"},
        staff.email: {
            "attendance": f"/sv/portal/trainings/{training.pk}/attendance/",
            "coverage": "/sv/portal/trainings/coverage/",
        },
        None: {"localities": "/sv/localities/"},
    }
    page.set_viewport_size(PHONE)
    problems = {}
    for email, urls in pages.items():
        page.context.clear_cookies()
        if email:
            log_in(page, email=email, password=password, language_prefix="/sv")
        for name, url in urls.items():
            response = page.goto(url)
            assert response.status == 200, name
            assert page.locator("main table").count(), name
            if found := _problems(page):
                problems[name] = found
    assert not problems, "\n".join(f"{name}: {found}" for name, found in problems.items())
