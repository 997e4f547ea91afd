import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.networks.factories import ContactPersonFactory, IssuerFactory, PartnerFactory

pytestmark = pytest.mark.django_db

SECTION = Template('{% include "networks/public_locality_venues.html" with locality=locality %}')


def render_section(locality, language="fi"):
    with translation.override(language):
        return SECTION.render(Context({"locality": locality}))


def test_locality_section_lists_public_venues_by_sector_in_the_visitors_language(locality):
    PartnerFactory(
        locality=locality,
        name="Teatteri",
        offer_fi="Lippukassalta",
        offer_sv="I biljettkassan",
        offer_en="At the box office",
    )
    PartnerFactory(locality=locality, name="Uimahalli", sector="sports", category="sports_venue")
    PartnerFactory(locality=locality, name="Piilotettu", listed_publicly=False)
    PartnerFactory(locality=locality, name="Lopettanut", left_on=datetime.date(2025, 1, 1))
    IssuerFactory(locality=locality, name="Sosiaalitoimi")
    html = render_section(locality, "sv")
    assert "Teatteri" in html and "I biljettkassan" in html and "Uimahalli" in html
    assert html.index("Teatteri") < html.index("Uimahalli")
    for hidden in ("Piilotettu", "Lopettanut", "Sosiaalitoimi"):
        assert hidden not in html
    assert "At the box office" in render_section(locality, "en")
    assert "Lippukassalta" in render_section(locality, "fi")


def test_contact_persons_never_appear_on_public_pages_or_the_api(client, locality):
    venue = PartnerFactory(locality=locality, name="Teatteri")
    ContactPersonFactory(partner=venue, name="Salainen Henkilö", email="salainen@example.fi", phone="040 999 8888")
    pages = [
        render_section(locality),
        client.get(reverse("networks:venue-search")).content.decode(),
        client.get(reverse("networks-api:venues"), {"locality": locality.slug}).content.decode(),
        client.get(reverse("networks-api:venues"), {"locality": locality.slug, "format": "csv"}).content.decode(),
    ]
    for page in pages:
        assert "Teatteri" in page
        assert "Salainen" not in page and "salainen@example.fi" not in page and "999 8888" not in page


@pytest.mark.parametrize("venues", [5, 50])
def test_locality_section_has_a_fixed_number_of_queries(locality, venues, django_assert_num_queries):
    PartnerFactory.create_batch(venues, locality=locality)
    with django_assert_num_queries(1):
        html = render_section(locality)
    assert html.count('class="venue"') == venues


def test_venue_search_by_municipality_and_sector(client, locality, other_locality, sotkamo):
    PartnerFactory(locality=locality, name="Kajaanin teatteri")
    PartnerFactory(locality=locality, name="Sotkamon uimahalli", municipality=sotkamo, sector="sports")
    PartnerFactory(locality=other_locality, name="Tornion museo")
    prospect = type(locality).objects.create(name_fi="Aikeissa", slug="aikeissa", status="prospect")
    prospect.municipalities.add(sotkamo)
    PartnerFactory(locality=prospect, name="Ei vielä", municipality=sotkamo)

    def names(**params):
        response = client.get(reverse("networks:venue-search"), params)
        assert response.status_code == 200
        return {venue.name for venue in response.context["page"].object_list}

    assert names() == {"Kajaanin teatteri", "Sotkamon uimahalli", "Tornion museo"}
    assert names(municipality=sotkamo.pk) == {"Sotkamon uimahalli"}
    assert names(sector="culture") == {"Kajaanin teatteri", "Tornion museo"}
    assert names(q="museo") == {"Tornion museo"}


@pytest.mark.parametrize("venues", [5, 50])
def test_venue_search_has_a_fixed_number_of_queries(client, locality, venues, django_assert_num_queries):
    PartnerFactory.create_batch(venues, locality=locality)
    # municipalities for the form, count, one page of venues
    with django_assert_num_queries(3):
        response = client.get(reverse("networks:venue-search"), {"sector": "culture"})
    assert response.status_code == 200


def test_api_lists_public_fields_of_a_localitys_venues(client, locality, other_locality):
    PartnerFactory(locality=locality, name="Teatteri", offer_en="Free ticket")
    PartnerFactory(locality=other_locality, name="Vieras")
    IssuerFactory(locality=locality)
    response = client.get(reverse("networks-api:venues"), {"locality": locality.slug})
    data = response.json()
    assert data["count"] == 1
    venue = data["results"][0]
    assert venue["name"] == "Teatteri" and venue["locality"] == "kajaani" and venue["offer_en"] == "Free ticket"
    assert venue["municipality"] == "205"
    assert set(venue) == {
        "id",
        "locality",
        "name",
        "parent_organisation",
        "municipality",
        "municipality_name_fi",
        "municipality_name_sv",
        "address",
        "website",
        "sector",
        "category",
        "offer_fi",
        "offer_sv",
        "offer_en",
        "joined_on",
    }
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(reverse("networks-api:venues")).json()["count"] == 2


def test_api_csv_neutralises_formulas(client, locality):
    PartnerFactory(locality=locality, name="=cmd|' /C calc'!A0")
    response = client.get(reverse("networks-api:venues"), {"locality": locality.slug, "format": "csv"})
    assert "'=cmd" in response.content.decode()


def test_api_answers_404_for_unknown_or_non_public_locality(client, locality):
    assert client.get(reverse("networks-api:venues"), {"locality": "ei-ole"}).status_code == 404
    locality.status = "prospect"
    locality.save()
    assert client.get(reverse("networks-api:venues"), {"locality": locality.slug}).status_code == 404


def _locality_page_queries(client, locality, venues: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from networks.models import Partner

    Partner.objects.filter(locality=locality).delete()
    PartnerFactory.create_batch(venues, locality=locality)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("localities:public-detail", kwargs={"slug": locality.slug}))
    assert response.status_code == 200
    assert response.content.decode().count('class="venue"') == venues
    return len(queries)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_public_locality_page_shows_venues_with_the_same_queries_for_5_and_50(client, locality, language):
    with translation.override(language):
        assert _locality_page_queries(client, locality, 5) == _locality_page_queries(client, locality, 50)
        html = client.get(reverse("localities:public-detail", kwargs={"slug": locality.slug})).content.decode()
    heading = {"fi": "Missä kortti käy", "sv": "Var kortet gäller", "en": "Where the card works"}[language]
    assert heading in html and "networks/networks.css" in html
