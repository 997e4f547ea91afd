"""The demo's site pages: every page published in three languages; the former templates' text kept."""

import pytest

from communications import pages_demo
from communications.models.pages import PAGES_SERVED_ELSEWHERE, Page
from kaikukeskus.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_every_page_in_three_languages_once(staff):
    context = DemoContext(staff=staff)
    pages_demo.seed(context)
    pages = {page.key: page for page in Page.objects.all()}
    # /join/'s page is left to staff: until they write one, /join/ shows its template's fuller text.
    assert set(pages) == set(Page.Key.values) - set(PAGES_SERVED_ELSEWHERE) and "join" not in pages
    for page in pages.values():
        assert page.is_published and page.languages() == ["fi", "sv", "en"], page.key
        assert not page.has_unpublished_changes
    # The former templates' text, in each language.
    assert pages["privacy"].title_sv == "Dataskyddsbeskrivning"
    assert "Traficom" in pages["accessibility"].body_en
    assert "<h1>" not in pages["contact"].body_fi and 'class="facts"' not in pages["contact"].body_fi
    pages["about"].draft_body_fi = "<p>Muokattu.</p>"
    pages["about"].save()
    pages_demo.seed(DemoContext(staff=staff))  # create-missing-only: what staff changed stays
    assert Page.objects.get(key="about").draft_body_fi == "<p>Muokattu.</p>"
    assert Page.objects.get(key="about").history.count() == 3
