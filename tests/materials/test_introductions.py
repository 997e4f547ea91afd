"""The demo library has what a visitor looks for first: the card holder's brochure in Finnish, Swedish, English and
plain Finnish, and the introductions for issuers, venues and municipalities; a stable link in a language without
a file offers the languages there are instead of a bare 404."""

import pytest
from django.urls import reverse
from django.utils import translation

from materials import selectors
from materials.demo import INTRODUCTIONS
from tests.materials.factories import PublishedVersionFactory, add_file

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_brochure_in_four_languages_and_three_introductions(demo_data):
    languages = {}
    for slug, *_rest in INTRODUCTIONS:
        _material, current, _older = selectors.material_detail(user=None, slug=slug)
        languages[slug] = {file.language for file in current.files.all()}
        for material_file in current.files.all():
            with material_file.file.open("rb") as handle:
                assert handle.read(5) == b"%PDF-"
    assert languages["kaikukortti-esite"] == {"fi", "sv", "en", "fi-plain"}
    for slug in ("esittely-kortinjakajille", "esittely-kayttokohteille", "esittely-kunnille"):
        assert languages[slug] == {"fi", "sv", "en"}


def test_the_english_library_lists_materials_and_the_brochures_english_link_answers(client, demo_data):
    with translation.override("en"):
        library = client.get(reverse("materials:library"))
        latest = client.get(reverse("materials:latest", kwargs={"slug": "kaikukortti-esite", "language": "en"}))
    assert "Kaikukortti – a brochure for the card holder" in library.content.decode()
    assert latest.status_code == 302


def test_a_language_without_a_file_offers_the_others_not_a_bare_404(client):
    version = PublishedVersionFactory(label="2026")
    add_file(version, "fi")
    add_file(version, "sv")

    with translation.override("en"):
        url = reverse("materials:latest", kwargs={"slug": version.material.slug, "language": "en"})
    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    assert "has no file in English" in html
    assert html.count(f"/en/materials/{version.material.slug}/files/") == 2  # the Finnish and the Swedish file
