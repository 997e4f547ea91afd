"""The public news pages: what a visitor, a coordinator and staff see; scheduled, expired and coordinators' items
answer 404 to a visitor by page, list, feed and API; the Finnish text with a label where a translation lacks."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.communications.factories import NewsItemFactory

pytestmark = pytest.mark.django_db


def _leaks():
    return {
        "scheduled": NewsItemFactory(slug="tuleva", title_fi="Tuleva uutinen", scheduled=True),
        "expired": NewsItemFactory(slug="vanha", title_fi="Vanhentunut uutinen", expired=True),
        "coordinators": NewsItemFactory(
            slug="koordinaattoreille", title_fi="Vain koordinaattoreille", audience="coordinators"
        ),
        "staff": NewsItemFactory(slug="henkilostolle", title_fi="Vain henkilöstölle", audience="staff"),
    }


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_hidden_items_are_404_and_missing_from_list_feed_and_api_for_a_visitor(client, language):
    leaks = _leaks()
    NewsItemFactory(slug="julkinen", title_fi="Julkinen uutinen")
    with translation.override(language):
        list_url, feed_url = reverse("communications:news-list"), reverse("communications:news-feed")
        detail_urls = {
            key: reverse("communications:news-detail", kwargs={"slug": item.slug}) for key, item in leaks.items()
        }
    for _round in range(2):  # the second time from the public cache
        listing = client.get(list_url).content.decode()
        feed = client.get(feed_url).content.decode()
        api = client.get("/api/v1/news/").json()
        assert "Julkinen uutinen" in listing and "Julkinen uutinen" in feed
        assert [row["slug"] for row in api["results"]] == ["julkinen"]
        for key, item in leaks.items():
            assert item.title_fi not in listing, key
            assert item.title_fi not in feed, key
            assert client.get(detail_urls[key]).status_code == 404, key


def test_coordinator_reads_coordinators_items_but_never_scheduled_or_staff_ones(coordinator_client):
    leaks = _leaks()
    listing = coordinator_client.get(reverse("communications:news-list")).content.decode()
    assert "Vain koordinaattoreille" in listing
    assert "Tuleva uutinen" not in listing and "Vain henkilöstölle" not in listing
    assert coordinator_client.get(leaks["coordinators"].get_absolute_url()).status_code == 200
    assert coordinator_client.get(leaks["staff"].get_absolute_url()).status_code == 404
    assert coordinator_client.get(leaks["scheduled"].get_absolute_url()).status_code == 404


def test_staff_read_every_audience_but_scheduled_only_in_the_admin(staff_client):
    leaks = _leaks()
    assert staff_client.get(leaks["staff"].get_absolute_url()).status_code == 200
    assert staff_client.get(leaks["scheduled"].get_absolute_url()).status_code == 404
    admin = staff_client.get(reverse("admin:communications_newsitem_change", args=[leaks["scheduled"].pk]))
    assert admin.status_code == 200


@pytest.mark.parametrize(("language", "label"), [("sv", "på finska"), ("en", "in Finnish")])
def test_an_untranslated_item_shows_the_finnish_text_labelled_in_the_reader_s_language(client, language, label):
    item = NewsItemFactory(slug="vain-suomeksi", title_fi="Vain suomeksi", body_fi="<p>Suomenkielinen teksti.</p>")
    with translation.override(language):
        url = item.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Vain suomeksi" in page and "Suomenkielinen teksti." in page
    assert label in page
    assert 'lang="fi"' in page


def test_a_translated_item_shows_the_reader_s_language_without_the_label(client):
    item = NewsItemFactory(slug="kaannetty", translated=True)
    with translation.override("sv"):
        url = item.get_absolute_url()
    page = client.get(url).content.decode()
    assert item.title_sv in page and "Kaikukortet utvidgas" in page
    assert "på finska" not in page


def test_feed_is_atom_in_each_language(client):
    item = NewsItemFactory(slug="syote", translated=True)
    for language, title in (("fi", item.title_fi), ("sv", item.title_sv), ("en", item.title_en)):
        with translation.override(language):
            response = client.get(reverse("communications:news-feed"))
        assert response["Content-Type"].startswith("application/atom+xml")
        assert f"<title>{title}</title>" in response.content.decode()


def test_news_list_makes_the_same_number_of_queries_for_5_and_50_items(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.communications.factories import NewsTagFactory

    tag = NewsTagFactory()

    def count(n):
        for _ in range(n):
            NewsItemFactory().tags.add(tag)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("communications:news-list"), HTTP_COOKIE="sessionid=x").status_code == 200
        return len(queries)

    assert count(5) == count(45)
