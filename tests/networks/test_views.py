import datetime

import pytest
from django.urls import reverse

from networks.models import ContactPerson, Partner
from tests.networks.factories import ContactPersonFactory, IssuerFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def list_url(locality, **params):
    from urllib.parse import urlencode

    url = reverse("networks:partner-list", kwargs={"slug": locality.slug})
    return f"{url}?{urlencode(params)}" if params else url


def form_data(municipality, contacts=(), **overrides):
    data = {
        "partner-role": "venue",
        "partner-name": "Kajaanin kaupunginteatteri",
        "partner-parent_organisation": "",
        "partner-municipality": municipality.pk,
        "partner-address": "",
        "partner-website": "teatteri.example.fi",
        "partner-sector": "culture",
        "partner-category": "theatre",
        "partner-issuer_kind": "",
        "partner-offer_fi": "Vapaalippu lippukassalta.",
        "partner-offer_sv": "",
        "partner-offer_en": "",
        "partner-listed_publicly": "on",
        "partner-joined_on": "2025-01-01",
        "partner-left_on": "",
        "partner-commitment_acknowledged_on": "",
        "partner-commitment_kind": "",
        "contacts-TOTAL_FORMS": str(len(contacts)),
        "contacts-INITIAL_FORMS": str(sum(1 for contact in contacts if contact.get("id"))),
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
    }
    for index, contact in enumerate(contacts):
        for key, value in contact.items():
            data[f"contacts-{index}-{key}"] = value
    data.update({f"partner-{key}": value for key, value in overrides.items()})
    return data


def create_url(locality):
    return reverse("networks:partner-create", kwargs={"slug": locality.slug})


def edit_url(partner, locality=None):
    return reverse("networks:partner-edit", kwargs={"slug": (locality or partner.locality).slug, "pk": partner.pk})


def test_coordinator_adds_a_venue_with_a_primary_contact(coordinator_client, coordinator, locality, kajaani):
    contact = {
        "name": "Maija Meikäläinen",
        "title": "",
        "email": "maija@example.fi",
        "phone": "040 123 4567",
        "is_primary": "on",
    }
    response = coordinator_client.post(create_url(locality), form_data(kajaani, contacts=[contact]))
    assert response.status_code == 302, response.content.decode()[:3000]
    partner = Partner.objects.get()
    assert partner.locality == locality
    assert partner.website == "https://teatteri.example.fi"
    assert partner.contacts.get().is_primary
    assert partner.history.get().history_user == coordinator


@pytest.mark.parametrize(
    ("overrides", "contact", "field", "message"),
    [
        ({"website": "ei osoite"}, None, "website", "Enter a web address such as https://www.example.fi."),
        ({"left_on": "2024-12-31"}, None, "left_on", "The end date cannot be before the joining date."),
        ({"sector": ""}, None, "sector", "A venue needs a sector."),
        (
            {},
            {"name": "A", "email": "ei-sahkoposti", "phone": "", "title": ""},
            "email",
            "Enter an e-mail address such as name@example.fi.",
        ),
        ({}, {"name": "A", "email": "", "phone": "12345", "title": ""}, "phone", "040 123 4567"),
    ],
)
def test_invalid_input_is_explained_next_to_the_field(
    coordinator_client, locality, kajaani, overrides, contact, field, message
):
    response = coordinator_client.post(
        create_url(locality), form_data(kajaani, contacts=[contact] if contact else [], **overrides)
    )
    assert response.status_code == 400
    form = response.context["formset"].forms[0] if contact else response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert 'role="alert"' in response.content.decode()
    assert not Partner.objects.exists()


def test_duplicate_name_is_refused_in_finnish(client, coordinator, locality, kajaani):
    PartnerFactory(locality=locality, name="Kajaanin kaupunginteatteri")
    client.force_login(coordinator)
    data = form_data(kajaani, name="KAJAANIN KAUPUNGINTEATTERI", website="ei osoite")
    response = client.post("/portal/localities/kajaani/partners/new/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == ["Paikkakunnalla on jo tämän roolin kumppani tällä nimellä."]
    assert errors["website"] == ["Anna verkko-osoite, esimerkiksi https://www.example.fi."]
    response = client.post("/sv/portal/localities/kajaani/partners/new/", data)
    assert response.context["form"].errors["name"] == ["Orten har redan en partner med denna roll och detta namn."]


def test_two_primary_contacts_are_refused(coordinator_client, locality, kajaani):
    contacts = [
        {"name": "A", "email": "a@example.fi", "is_primary": "on"},
        {"name": "B", "email": "b@example.fi", "is_primary": "on"},
    ]
    response = coordinator_client.post(create_url(locality), form_data(kajaani, contacts=contacts))
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors()
    assert not Partner.objects.exists()


def test_another_localitys_municipality_is_not_a_choice(coordinator_client, locality, tornio):
    response = coordinator_client.post(create_url(locality), form_data(tornio))
    assert response.status_code == 400
    assert "municipality" in response.context["form"].errors


def test_posted_locality_id_is_ignored(coordinator_client, locality, other_locality, kajaani):
    data = form_data(kajaani)
    data["partner-locality"] = other_locality.pk
    data["locality"] = other_locality.pk
    coordinator_client.post(create_url(locality), data)
    assert Partner.objects.get().locality == locality


def test_coordinator_cannot_open_other_localitys_partner_even_under_own_locality(
    coordinator_client, locality, other_locality
):
    foreign = PartnerFactory(locality=other_locality)
    for url in (
        edit_url(foreign),
        edit_url(foreign, locality=locality),
        reverse("networks:partner-end", kwargs={"slug": locality.slug, "pk": foreign.pk}),
        reverse("networks:partner-history", kwargs={"slug": locality.slug, "pk": foreign.pk}),
    ):
        assert coordinator_client.get(url).status_code == 404, url
        if not url.endswith("/history/"):
            assert coordinator_client.post(url, {"left_on": "2025-01-01"}).status_code == 404, url
    foreign.refresh_from_db()
    assert foreign.left_on is None


def test_editing_moves_no_contact_from_another_partner(coordinator_client, locality, other_locality, kajaani):
    mine = PartnerFactory(locality=locality)
    foreign = ContactPersonFactory(partner__locality=other_locality, name="Vieras")
    contacts = [{"id": foreign.pk, "name": "Kaapattu", "email": "k@example.fi", "partner": mine.pk}]
    response = coordinator_client.post(edit_url(mine), form_data(kajaani, contacts=contacts, name=mine.name))
    assert response.status_code == 400
    assert ContactPerson.objects.get(pk=foreign.pk).name == "Vieras"
    assert not mine.contacts.exists()


def test_ending_a_partnership_from_the_portal(coordinator_client, locality):
    partner = PartnerFactory(locality=locality, joined_on=datetime.date(2024, 1, 1))
    url = reverse("networks:partner-end", kwargs={"slug": locality.slug, "pk": partner.pk})
    assert coordinator_client.post(url, {"left_on": "2023-01-01"}).status_code == 400
    assert coordinator_client.post(url, {"left_on": "2025-06-30"}).status_code == 302
    partner.refresh_from_db()
    assert partner.left_on == datetime.date(2025, 6, 30)
    history = coordinator_client.get(
        reverse("networks:partner-history", kwargs={"slug": locality.slug, "pk": partner.pk})
    )
    assert "coordinator@kajaani.example.fi" in history.content.decode()


def test_list_filters_and_search(coordinator_client, locality):
    theatre = PartnerFactory(locality=locality, name="Teatteri")
    ContactPersonFactory(partner=theatre, name="Maija Meikäläinen")
    pool = PartnerFactory(locality=locality, name="Uimahalli", sector="sports", category="sports_venue")
    issuer = IssuerFactory(locality=locality, name="Sosiaalitoimi")
    ended = PartnerFactory(locality=locality, name="Lopettanut", left_on=datetime.date(2025, 1, 1))

    def names(**params):
        response = coordinator_client.get(list_url(locality, **params))
        assert response.status_code == 200
        return {partner.name for partner in response.context["page"].object_list}

    assert names() == {"Teatteri", "Uimahalli", "Sosiaalitoimi", "Lopettanut"}
    assert names(role="issuer") == {issuer.name}
    assert names(sector="sports") == {pool.name}
    assert names(active="no") == {ended.name}
    assert names(active="yes") == {"Teatteri", "Uimahalli", "Sosiaalitoimi"}
    assert names(missing_primary="on", active="yes") == {"Uimahalli", "Sosiaalitoimi"}
    assert names(q="meikäläinen") == {"Teatteri"}
    assert names(q="uima") == {"Uimahalli"}


def test_search_by_contact_person_looks_only_at_the_localitys_partners(coordinator_client, locality):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ContactPersonFactory(partner=PartnerFactory(locality=locality, name="Teatteri"), name="Maija Meikäläinen")
    with CaptureQueriesContext(connection) as queries:
        response = coordinator_client.get(list_url(locality, q="maija"))
    assert {partner.name for partner in response.context["page"].object_list} == {"Teatteri"}
    searches = [
        q["sql"] for q in queries.captured_queries if "networks_contactperson" in q["sql"] and "LIKE" in q["sql"]
    ]
    assert searches
    # The contact persons are those of the partner at hand (a correlated EXISTS), not everybody's in the country.
    assert all('U0."partner_id" = ("networks_partner"."id")' in sql for sql in searches)


def test_list_shows_only_own_localitys_partners(coordinator_client, locality, other_locality):
    PartnerFactory(locality=locality, name="Oma")
    PartnerFactory(locality=other_locality, name="Vieras")
    response = coordinator_client.get(list_url(locality))
    assert "Oma" in response.content.decode() and "Vieras" not in response.content.decode()
    assert coordinator_client.get(list_url(other_locality)).status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_partner_list_query_count_does_not_grow_with_rows(
    coordinator_client, locality, rows, django_assert_num_queries
):
    for partner in PartnerFactory.create_batch(rows, locality=locality):
        ContactPersonFactory(partner=partner)
    # session, user, locality scope, count, page of partners, primary contacts, the footer's site pages
    with django_assert_num_queries(7):
        response = coordinator_client.get(list_url(locality, q="Kohde"))
    assert len(response.context["page"].object_list) == rows


def test_front_page_flags_active_partners_without_primary_contact(coordinator_client, locality, other_locality):
    PartnerFactory(locality=locality, name="Ilman ensisijaista")
    PartnerFactory(locality=other_locality, name="Toisen paikkakunnan")
    ContactPersonFactory(partner__locality=locality, partner__name="Kunnossa")
    page = coordinator_client.get(reverse("portal")).content.decode()
    assert "Ilman ensisijaista" in page
    assert "Toisen paikkakunnan" not in page
    assert "Kunnossa" not in page
    assert reverse("networks:partner-list", kwargs={"slug": locality.slug}) in page


def test_staff_can_open_any_localitys_partners(staff_client, other_locality):
    PartnerFactory(locality=other_locality, name="Vieras")
    assert "Vieras" in staff_client.get(list_url(other_locality)).content.decode()


def _front_page_queries(client, locality, partners: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Partner.objects.all().delete()
    PartnerFactory.create_batch(partners, locality=locality)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal"))
    assert response.status_code == 200
    return len(queries)


def test_front_page_panels_make_the_same_queries_for_5_and_50_partners(coordinator_client, locality):
    assert _front_page_queries(coordinator_client, locality, 5) == _front_page_queries(coordinator_client, locality, 50)


def test_history_page_shows_who_changed_which_fields(coordinator_client, coordinator, locality):
    from networks import services

    partner = PartnerFactory(locality=locality, name="Teatteri")
    services.partner_update(actor=coordinator, partner=partner, values={"sector": "sports", "address": "Katu 2"})
    response = coordinator_client.get(
        reverse("networks:partner-history", kwargs={"slug": locality.slug, "pk": partner.pk})
    )
    records = response.context["records"]
    assert records[0].history_user == coordinator
    assert set(records[0].changed_fields) == {"sector", "address"}
