"""The public cache and scheduled items: a page cached before an item's time shows it once its time has come,
and drops it once it has expired, with no row saved in between. Pinned items as banners, dismissed for good
without JavaScript."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from communications.models import NewsDismissal
from tests.communications.factories import NewsItemFactory

pytestmark = pytest.mark.django_db

URLS = ["/news/", "/sv/news/", "/news/feed/", "/en/news/feed/", "/api/v1/news/", "/"]


def _later(delta: datetime.timedelta):
    moment = timezone.now() + delta
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_a_scheduled_item_appears_at_its_time_although_the_pages_were_cached(client):
    NewsItemFactory(slug="tanaan", title_fi="Julkaistu jo", pinned=True)
    item = NewsItemFactory(
        slug="ajastettu",
        title_fi="Ajastettu uutinen",
        pinned=True,
        publish_at=timezone.now() + datetime.timedelta(hours=2),
    )
    for url in URLS:
        first = client.get(url)
        assert "tanaan" in first.content.decode(), url
        assert "Ajastettu uutinen" not in first.content.decode() and "ajastettu" not in first.content.decode(), url
        assert client.get(url).content == first.content  # served from the cache
    assert client.get(item.get_absolute_url()).status_code == 404
    with _later(datetime.timedelta(hours=2, minutes=1)):
        for url in URLS:
            page = client.get(url).content.decode()
            assert "ajastettu" in page, url
        assert client.get(item.get_absolute_url()).status_code == 200


def test_an_expired_item_leaves_the_cached_pages_at_its_time(client):
    item = NewsItemFactory(
        slug="vanhenee", title_fi="Pian vanheneva", pinned=True, expire_at=timezone.now() + datetime.timedelta(hours=1)
    )
    for url in URLS:
        assert "vanhenee" in client.get(url).content.decode() or "Pian vanheneva" in client.get(url).content.decode()
    assert client.get(item.get_absolute_url()).status_code == 200
    with _later(datetime.timedelta(hours=1, minutes=1)):
        for url in URLS:
            page = client.get(url).content.decode()
            assert "vanhenee" not in page and "Pian vanheneva" not in page, url
        assert client.get(item.get_absolute_url()).status_code == 404


def test_an_edit_reaches_the_cached_list_at_once(client, staff):
    from communications import services

    item = NewsItemFactory(slug="muokattava", title_fi="Vanha otsikko")
    assert "Vanha otsikko" in client.get("/news/").content.decode()
    item.title_fi = "Uusi otsikko"
    services.news_item_save(actor=staff, item=item)
    assert "Uusi otsikko" in client.get("/news/").content.decode()


def test_a_cache_hit_asks_the_database_nothing_for_the_schedule(client, django_assert_num_queries):
    NewsItemFactory(scheduled=True)
    NewsItemFactory()
    client.get("/news/")
    with django_assert_num_queries(0):
        assert client.get("/news/").status_code == 200


def test_a_visitor_dismisses_the_banner_without_javascript_and_it_does_not_come_back(client):
    item = NewsItemFactory(slug="kiinnitetty", title_fi="Kiinnitetty tiedote", pinned=True)
    home = client.get("/").content.decode()
    assert "Kiinnitetty tiedote" in home
    assert 'name="csrfmiddlewaretoken"' not in home  # the cached front page carries no token
    response = client.post(reverse("communications:news-dismiss", kwargs={"pk": item.pk}), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Kiinnitetty tiedote" not in client.get("/").content.decode()
    assert "Kiinnitetty tiedote" not in client.get("/sv/").content.decode()
    # Another visitor still sees it.
    from django.test import Client

    assert "Kiinnitetty tiedote" in Client().get("/").content.decode()


def test_a_coordinator_dismisses_the_portal_banner_for_good(coordinator_client, coordinator):
    item = NewsItemFactory(slug="portaali", title_fi="Koordinaattorien tiedote", pinned=True, audience="coordinators")
    assert "Koordinaattorien tiedote" in coordinator_client.get(reverse("portal")).content.decode()
    coordinator_client.post(reverse("communications:news-dismiss", kwargs={"pk": item.pk}), {"next": "/portal/"})
    assert NewsDismissal.objects.filter(item=item, user=coordinator).exists()
    assert "Tiedote" not in coordinator_client.get(reverse("portal")).content.decode().split("<h1>")[0]
    coordinator_client.logout()
    coordinator_client.force_login(coordinator)
    assert "Koordinaattorien tiedote" not in coordinator_client.get(reverse("portal")).content.decode().split("<h1>")[0]


def test_a_coordinators_banner_is_not_on_the_public_front_page(client):
    NewsItemFactory(slug="sisainen", title_fi="Sisäinen tiedote", pinned=True, audience="coordinators")
    assert "Sisäinen tiedote" not in client.get("/").content.decode()


def test_dismiss_refuses_an_unsafe_next(client):
    item = NewsItemFactory(pinned=True)
    response = client.post(
        reverse("communications:news-dismiss", kwargs={"pk": item.pk}), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
