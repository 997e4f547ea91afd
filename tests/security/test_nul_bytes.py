"""A NUL byte anywhere in a request's path, query or form answers 400 with a translated page, before any view:
PostgreSQL refuses NUL in text, so filters, searches and autocompletes with `%00` answered 500 there. The same
test runs on SQLite and on PostgreSQL (CI)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile

from localities.models import Locality
from networks.models import PartnerImport

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/venues/?q=%00",
    "/venues/?locality=%00",
    "/venues/?municipality=%00",
    "/venues/?%00=1",
    "/localities/?locality=%00",
    "/localities/%00/",
    "/api/v1/venues/?locality=%00",
    "/api/v1/localities/?status=%00",
]
STAFF = [
    "/admin/localities/locality/?status=%00",
    "/admin/localities/locality/?q=%00",
    "/admin/autocomplete/?app_label=localities&model_name=coordinator&field_name=user&term=%00",
    "/admin/localities/locality/%00/change/",
    "/portal/localities/kajaani/partners/?q=%00",
    "/portal/localities/kajaani/partners/?role=%00",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_nul_in_a_public_request_is_a_bad_request(client, locality, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Virheellinen pyyntö" in response.content.decode()


@pytest.mark.parametrize("url", STAFF)
def test_nul_in_a_staff_request_is_a_bad_request(staff_client, locality, url):
    response = staff_client.get(url)
    assert response.status_code == 400


def test_the_bad_request_page_is_in_the_language_of_the_address(client):
    response = client.get("/sv/venues/?q=%00")
    assert response.status_code == 400
    assert '<html lang="sv">' in response.content.decode()
    assert "Felaktig begäran" in response.content.decode()


def test_nul_in_a_form_is_refused_and_nothing_happens(client, coordinator, password):
    response = client.post("/accounts/login/", {"login": coordinator.email + "\x00", "password": password})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_nul_in_an_upload_field_name_is_refused(coordinator_client, locality):
    upload = SimpleUploadedFile("kumppanit.csv", b"role;name\nvenue;Kohde\n", content_type="text/csv")
    response = coordinator_client.post("/portal/localities/kajaani/partners/import/", {"file\x00": upload})
    assert response.status_code == 400
    assert "Virheellinen pyyntö" in response.content.decode()  # not the form's own error page
    assert not PartnerImport.objects.exists()


def test_nul_in_a_staff_form_writes_nothing(staff_client, locality):
    name = locality.name_fi
    url = f"/admin/localities/locality/{locality.pk}/change/"
    response = staff_client.post(url, {"name_fi": "Kajaani\x00", "slug": locality.slug})
    assert response.status_code == 400
    assert Locality.objects.get(pk=locality.pk).name_fi == name


def test_an_ordinary_request_passes(client, locality):
    assert client.get("/venues/?q=Kajaani").status_code == 200
