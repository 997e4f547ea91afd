"""The partner form: the chosen role's fields only, without JavaScript too; each error on its
field with one summary that takes the focus; the import page's "download" and "upload" in different words."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from networks.models import Partner
from tests.networks.test_views import create_url, form_data

pytestmark = pytest.mark.django_db


def test_an_issuer_is_saved_whatever_the_hidden_venue_fields_hold(coordinator_client, locality, kajaani):
    # Without JavaScript both role groups are on the page; a mistake in the other role's group is ignored.
    data = form_data(
        kajaani,
        role="issuer",
        issuer_kind="social_services",
        sector="not-a-sector",
        category="theatre",
        offer_fi="x" * 5000,
        listed_publicly="on",
    )
    response = coordinator_client.post(create_url(locality), data)
    assert response.status_code == 302, response.context["form"].errors
    issuer = Partner.objects.get()
    assert (issuer.role, issuer.issuer_kind, issuer.sector, issuer.category, issuer.offer_fi) == (
        "issuer",
        "social_services",
        "",
        "",
        "",
    )
    assert issuer.listed_publicly is False


def test_a_venue_ignores_the_issuer_group(coordinator_client, locality, kajaani):
    response = coordinator_client.post(create_url(locality), form_data(kajaani, issuer_kind="not-a-kind"))
    assert response.status_code == 302
    assert Partner.objects.get().issuer_kind == ""


def test_the_page_groups_the_fields_by_role_and_loads_the_script_from_a_static_file(coordinator_client, locality):
    page = coordinator_client.get(create_url(locality)).content.decode()
    assert 'data-for-role="venue"' in page and 'data-for-role="issuer"' in page
    assert "/static/networks/forms.js" in page
    assert "<script>" not in page  # no inline script under the CSP
    script = Path(finders.find("networks/forms.js")).read_text(encoding="utf-8")
    assert "data-for-role" in script and ".focus()" in script


def test_errors_are_on_their_fields_and_the_summary_links_to_them(coordinator_client, locality, kajaani):
    contact = {"name": "Liisa", "email": "", "phone": "12", "title": ""}
    data = form_data(kajaani, contacts=[contact], sector="", website="ei osoite")
    response = coordinator_client.post(create_url(locality), data)
    assert response.status_code == 400
    form, contact_form = response.context["form"], response.context["formset"].forms[0]
    assert set(form.errors) == {"sector", "website"} and not form.non_field_errors()
    assert set(contact_form.errors) == {"phone"}
    page = response.content.decode()
    assert page.count("data-error-summary") == 1  # one summary for the page, which the script focuses
    for anchor in ('href="#id_partner-sector"', 'href="#id_partner-website"', 'href="#id_contacts-0-phone"'):
        assert anchor in page


@pytest.mark.parametrize(
    ("prefix", "download", "upload"),
    [("", "Lataa mallipohja", "Lähetä"), ("/sv", "Hämta mallen", "Ladda upp"), ("/en", "Download", "Upload")],
)
def test_the_import_page_says_download_and_upload_in_different_words(
    coordinator_client, locality, prefix, download, upload
):
    url = prefix + reverse("networks:partner-import", kwargs={"slug": locality.slug}).removeprefix("/en")
    page = coordinator_client.get(url).content.decode()
    assert f">{download}" in page and f">{upload}" in page
    assert download.split()[0] != upload.split()[0]
