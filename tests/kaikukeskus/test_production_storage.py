"""Agreements with the storages production configures (kaikukeskus/settings.py), not the test settings' memory:
staff upload one in the admin, it lands in PRIVATE_MEDIA_ROOT (never under MEDIA_ROOT), and its coordinator
downloads it."""

import pytest
from django.urls import reverse
from django.utils.functional import empty

from kaikukeskus import settings as production
from kaikukeskus.storage import private_storage
from localities.models import LocalityAgreement
from tests.localities.factories import PDF_BYTES, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_storages(settings, tmp_path):
    media, private = tmp_path / "media", tmp_path / "private-media"
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = media, private
    storages = {**production.STORAGES, "staticfiles": settings.STORAGES["staticfiles"]}
    storages["default"] = {**storages["default"], "OPTIONS": {"location": media}}
    # Where production's PRIVATE_MEDIA_ROOT would be, here in the test's own directory.
    storages["private"] = {
        **storages["private"],
        "OPTIONS": {**storages["private"]["OPTIONS"], "location": private},
    }
    settings.STORAGES = storages
    private_storage._wrapped = empty
    yield media, private
    private_storage._wrapped = empty


def test_staff_upload_an_agreement_and_its_coordinator_downloads_it(
    client, production_storages, staff, coordinator, locality
):
    media, private = production_storages
    client.force_login(staff)
    response = client.post(
        reverse("admin:localities_localityagreement_add"),
        {
            "locality": locality.pk,
            "title": "Kaikukortti-sopimus 2026",
            "signed_on": "2026-02-01",
            "valid_from": "2026-03-01",
            "document": pdf_file("sopimus.pdf"),
        },
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    agreement = LocalityAgreement.objects.get()
    stored = private / agreement.document.name
    assert stored.read_bytes() == PDF_BYTES
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))

    client.force_login(coordinator)
    download = client.get(reverse("localities:agreement-download", kwargs={"slug": locality.slug, "pk": agreement.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert {"private", "no-store"} <= {part.strip() for part in download["Cache-Control"].split(",")}
