"""The materials' open data: links that work wherever the portal answers."""

import pytest
from django.test import override_settings

from tests.materials.factories import MaterialFactory, PublishedVersionFactory, add_file

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="http://127.0.0.1:8000", ALLOWED_HOSTS=["127.0.0.1"])
def test_links_are_built_from_the_request_not_site_url(client):
    """`make run PORT=8123` serves on another port than SITE_URL's default: the links point where the answer came
    from, and they download."""
    version = PublishedVersionFactory(material=MaterialFactory(slug="opas"))
    add_file(version, "fi")
    (material,) = client.get("/api/v1/materials/", HTTP_HOST="127.0.0.1:8123").json()["results"]
    assert material["url"] == "http://127.0.0.1:8123/materials/opas/"
    (download,) = material["download_urls"]
    assert download.startswith("http://127.0.0.1:8123/materials/opas/files/")
    response = client.get(download.removeprefix("http://127.0.0.1:8123"), HTTP_HOST="127.0.0.1:8123")
    assert response.status_code == 200


@override_settings(ALLOWED_HOSTS=["127.0.0.1"])
def test_csv_links_follow_each_request_s_host(client):
    """The materials' CSV is not one file per data version (`csv_file_per_version`): its links depend on the
    host the request came to."""
    PublishedVersionFactory(material=MaterialFactory(slug="opas"))
    for port in ("8123", "8124"):
        response = client.get("/api/v1/materials/", {"format": "csv"}, HTTP_HOST=f"127.0.0.1:{port}")
        assert f"http://127.0.0.1:{port}/materials/opas/" in response.getvalue().decode()
