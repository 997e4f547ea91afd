import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from localities.models import Municipality
from tests.networks.factories import ContactPersonFactory, IssuerFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def render_section(client, locality, language="fi", **params):
    """The public locality page, where the networks app's sections appear."""
    prefix = "" if language == "fi" else f"/{language}"
    response = client.get(f"{prefix}/localities/{locality.slug}/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_locality_section_lists_public_venues_by_sector_in_the_visitors_language(client, locality):
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
    html = render_section(client, locality, "sv")
    venues = html[html.index('id="venues"') :]
    assert "Teatteri" in venues and "I biljettkassan" in venues and "Uimahalli" in venues
    assert venues.index("Teatteri") < venues.index("Uimahalli")
    for hidden in ("Piilotettu", "Lopettanut", "Sosiaalitoimi"):
        assert hidden not in venues
    assert "At the box office" in render_section(client, locality, "en")
    assert "Lippukassalta" in render_section(client, locality, "fi")


def test_locality_page_tells_where_to_get_the_card_from_its_issuers(client, locality):
    issuer = IssuerFactory(locality=locality, name="Aikuissosiaalityö", issuer_kind="social_services")
    ContactPersonFactory(partner=issuer, name="Salainen Henkilö", email="salainen@example.fi")
    IssuerFactory(locality=locality, name="Lopettanut jakaja", left_on=datetime.date(2025, 1, 1))
    html = render_section(client, locality, "en")
    issuers = html[html.index('id="issuers"') : html.index('id="venues"')]
    assert "How to get the card" in issuers
    assert "Aikuissosiaalityö" in issuers and "Social services" in issuers
    assert "Lopettanut" not in issuers and "Salainen" not in html and "salainen@example.fi" not in html


def test_locality_page_takes_its_stylesheets_into_the_head(client, locality):
    html = render_section(client, locality)
    head, body = html.split("</head>", 1)
    assert "networks/networks.css" in head
    assert "<link" not in body


def test_locality_page_lists_its_venues_a_page_at_a_time(client, locality):
    PartnerFactory.create_batch(60, locality=locality)
    first = render_section(client, locality)
    assert first.count('class="venue"') == 50
    assert "?page=2#venues" in first
    assert render_section(client, locality, page=2).count('class="venue"') == 10


def test_contact_persons_never_appear_on_public_pages_or_the_api(client, locality):
    venue = PartnerFactory(locality=locality, name="Teatteri")
    ContactPersonFactory(partner=venue, name="Salainen Henkilö", email="salainen@example.fi", phone="040 999 8888")
    pages = [
        render_section(client, locality),
        client.get(reverse("networks:venue-search")).content.decode(),
        client.get(reverse("networks-api:venues"), {"locality": locality.slug}).content.decode(),
        client.get(reverse("networks-api:venues"), {"locality": locality.slug, "format": "csv"}).content.decode(),
    ]
    for page in pages:
        assert "Teatteri" in page
        assert "Salainen" not in page and "salainen@example.fi" not in page and "999 8888" not in page


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
    assert names(municipality=sotkamo.code) == {"Sotkamon uimahalli"}
    assert names(sector="culture") == {"Kajaanin teatteri", "Tornion museo"}
    assert names(q="museo") == {"Tornion museo"}


def _venue_names(client, **params) -> list[str]:
    response = client.get(reverse("networks:venue-search"), params)
    assert response.status_code == 200
    return sorted(venue.name for venue in response.context["page"].object_list)


def test_municipality_filter_takes_the_official_code(client, locality, kajaani, sotkamo):
    PartnerFactory(locality=locality, name="Kajaanin teatteri", municipality=kajaani)
    PartnerFactory(locality=locality, name="Sotkamon uimahalli", municipality=sotkamo, sector="sports")
    assert _venue_names(client, municipality="205") == ["Kajaanin teatteri"]
    html = client.get(reverse("networks:venue-search")).content.decode()
    assert '<option value="205">Kajaani</option>' in html and '<option value="765">Sotkamo</option>' in html


def test_an_old_link_with_a_database_id_is_harmless(client, locality, kajaani):
    PartnerFactory(locality=locality, name="Kajaanin teatteri", municipality=kajaani)
    PartnerFactory(locality=locality, name="Kajaanin museo", municipality=kajaani, sector="sports")
    unknown = str(kajaani.pk + 1000)  # never a three-digit code
    response = client.get(reverse("networks:venue-search"), {"municipality": unknown, "sector": "culture"})
    assert response.status_code == 200
    assert [venue.name for venue in response.context["page"].object_list] == ["Kajaanin teatteri"]
    assert response.context["form"].errors["municipality"]


@pytest.mark.parametrize(("language", "query"), [("sv", "Kajana"), ("fi", "kajaani"), ("en", "KAJANA")])
def test_venue_search_finds_by_finnish_or_swedish_municipality_name(client, locality, kajaani, language, query):
    PartnerFactory(locality=locality, name="Teatteri", municipality=kajaani)
    with translation.override(language):
        assert _venue_names(client, q=query) == ["Teatteri"]


def test_venue_search_finds_swedish_names_tornea_and_vasa(client, other_locality):
    vaasa = type(other_locality).objects.create(name_fi="Vaasa", name_sv="Vasa", slug="vaasa", status="permanent")
    vaasa.municipalities.set(Municipality.objects.filter(code="905"))
    PartnerFactory(locality=other_locality, name="Tornion teatteri", municipality=Municipality.objects.get(code="851"))
    PartnerFactory(locality=vaasa, name="Vaasan museo", municipality=Municipality.objects.get(code="905"))
    assert _venue_names(client, q="Torneå") == ["Tornion teatteri"]
    assert _venue_names(client, q="vasa") == ["Vaasan museo"]


def test_venue_search_matches_every_word_in_names_and_offers_of_any_language(client, locality, kajaani, sotkamo):
    PartnerFactory(locality=locality, name="Kaupunginteatteri", municipality=kajaani, offer_sv="Gratis på onsdagar")
    PartnerFactory(locality=locality, name="Sotkamon teatteri", municipality=sotkamo, offer_en="Free on Thursdays")
    assert _venue_names(client, q="ONSDAGAR") == ["Kaupunginteatteri"]
    assert _venue_names(client, q="teatteri") == ["Kaupunginteatteri", "Sotkamon teatteri"]
    assert _venue_names(client, q="teatteri sotkamo") == ["Sotkamon teatteri"]
    assert _venue_names(client, q="thursdays Kajana") == []


def test_a_municipality_without_venues_offers_the_other_venues_of_its_locality(client, locality, kajaani, sotkamo):
    PartnerFactory(locality=locality, name="Kajaanin teatteri", municipality=kajaani)
    response = client.get("/en/venues/", {"q": "Sotkamo"})
    assert response.context["fallback"] is True
    assert [venue.name for venue in response.context["page"].object_list] == ["Kajaanin teatteri"]
    html = response.content.decode()
    assert "No venues in Sotkamo match the search yet" in html
    assert "The card also works in these venues of the same locality:" in html
    assert f'href="/en/localities/{locality.slug}/"' in html
    by_code = client.get("/en/venues/", {"municipality": "765"})
    assert by_code.context["fallback"] is False  # the select offers only municipalities with venues: no fallback


def test_a_municipality_outside_every_locality_says_so(client, locality, kajaani):
    PartnerFactory(locality=locality, name="Kajaanin teatteri", municipality=kajaani)
    response = client.get("/en/venues/", {"q": "Porvoo"})
    assert list(response.context["page"].object_list) == []
    assert "Kaikukortti is not in use in this municipality yet." in response.content.decode()


@pytest.mark.parametrize("venues", [5, 50])
def test_venue_search_has_a_fixed_number_of_queries(client, locality, venues, django_assert_num_queries):
    PartnerFactory.create_batch(venues, locality=locality)
    # the public data version (changed by the venues), municipalities for the form, count, one page of venues,
    # the footer's published site pages
    with django_assert_num_queries(5):
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
        "accessibility",
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


def test_the_search_indexes_exist_on_postgresql_and_the_migration_is_a_no_op_elsewhere():
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    assert ("networks", "0003_partner_search_trigram_indexes") in applied
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "networks_partner")
    trigram = sorted(name for name in indexes if name.endswith("_trgm"))
    expected = [
        f"partner_{column}_trgm" for column in ("name", "offer_en", "offer_fi", "offer_sv", "parent_organisation")
    ]
    assert trigram == (expected if connection.vendor == "postgresql" else [])
