"""The import preview shows every value a new or changed row will save (municipality, sector, category, public
listing, contact), in the uploader's language, and the column help lists what the reader can type in their own
language rather than the stored codes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.networks.factories import PartnerFactory
from tests.networks.test_import import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = "role;name;municipality;sector;category;listed_publicly;joined_on;contact_name;contact_email;contact_phone"


def _preview(client, locality, *lines, language="fi"):
    with translation.override(language):
        url = reverse("networks:partner-import", kwargs={"slug": locality.slug})
    upload = SimpleUploadedFile("k.csv", csv_bytes(*lines, header=HEADER))
    location = client.post(url, {"file": upload}).headers["Location"]
    return client.get(location)


def _values(response, name):
    row = next(row for row in response.context["other_rows"] if row["name"] == name)
    return dict(row["values"])


def test_a_new_row_shows_every_value_it_will_save_in_finnish(coordinator_client, locality):
    response = _preview(
        coordinator_client,
        locality,
        "venue;Kajaanin teatteri;Kajaani;culture;theatre;no;1.2.2025;Maija Meikäläinen;maija@example.fi;040 123 4567",
    )

    values = _values(response, "Kajaanin teatteri")
    assert values["Kunta"] == "Kajaani"
    assert values["Toimiala"] == "Kulttuuri"
    assert values["Luokka"] == "Teatteri"
    assert values["Näytetään julkisesti"] == "ei"
    assert values["Liittymispäivä"] == "1.2.2025"
    assert values["Ensisijaisen yhteyshenkilön nimi"] == "Maija Meikäläinen"
    assert values["Ensisijaisen yhteyshenkilön sähköposti"] == "maija@example.fi"
    html = response.content.decode()
    assert "Mitä tallennetaan" in html and "<dd>Teatteri</dd>" in html
    assert "<dd>theatre</dd>" not in html


def test_a_changed_row_shows_old_and_new_values_in_swedish(client, coordinator, locality):
    client.force_login(coordinator)
    PartnerFactory(
        locality=locality, name="Museo", sector="culture", category="museum", joined_on=datetime.date(2024, 1, 1)
    )

    response = _preview(client, locality, "venue;Museo;Kajaani;sports;museum;yes;1.1.2024;;;", language="sv")

    values = _values(response, "Museo")
    assert values["Sektor"] == "Kultur → Idrott"
    assert "<dd>Kultur → Idrott</dd>" in response.content.decode()


def test_the_column_help_lists_the_words_not_the_codes(coordinator_client, locality):
    with translation.override("fi"):
        url = reverse("networks:partner-import", kwargs={"slug": locality.slug})
    html = coordinator_client.get(url).content.decode()

    assert "Mitä voit kirjoittaa" in html
    assert "Teatteri" in html and "Kulttuuri" in html and "Käyttökohde" in html
    assert "social_services" not in html and ">theatre<" not in html and ">culture<" not in html
    assert "Kajaani" in html  # the locality's own municipalities, by name
