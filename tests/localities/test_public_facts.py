"""A coordinator keeps the locality's public facts current (description, local web page, feedback address, how to
get the card here) through `locality_public_facts_update`, with history and the form's version."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from localities import services

pytestmark = pytest.mark.django_db


def _url(locality):
    return reverse("localities:public-facts", kwargs={"slug": locality.slug})


def _data(locality, **overrides):
    return {
        "version": locality.version,
        "description_fi": "Kaikukortti toimii Kajaanissa vuodesta 2024.",
        "description_sv": "Kaikukortet fungerar i Kajana sedan 2024.",
        "description_en": "",
        "website": "www.kajaani.fi/kaikukortti",
        "feedback_email": "kaikukortti@kajaani.fi",
        "card_access_fi": "Kysy sosiaalitoimistosta.",
        "card_access_sv": "",
        "card_access_en": "",
        **overrides,
    }


def test_a_coordinator_saves_the_public_facts_with_history(coordinator_client, coordinator, locality):
    response = coordinator_client.post(_url(locality), _data(locality))

    assert response.status_code == 302
    locality.refresh_from_db()
    assert locality.description_fi.startswith("Kaikukortti toimii")
    assert locality.website == "https://www.kajaani.fi/kaikukortti"
    assert locality.card_access_fi == "Kysy sosiaalitoimistosta."
    latest = locality.history.latest()
    assert (latest.history_change_reason, latest.history_user_id) == ("public facts", coordinator.pk)


def test_the_public_page_shows_them_in_the_readers_language(coordinator_client, client, locality):
    coordinator_client.post(_url(locality), _data(locality))
    coordinator_client.logout()

    finnish = client.get(reverse("localities:public-detail", kwargs={"slug": locality.slug})).content.decode()
    assert "Kaikukortti toimii Kajaanissa" in finnish and "Kysy sosiaalitoimistosta." in finnish
    with translation.override("sv"):
        swedish = client.get(reverse("localities:public-detail", kwargs={"slug": locality.slug})).content.decode()
    assert "Kaikukortet fungerar i Kajana" in swedish
    assert "Kysy sosiaalitoimistosta." in swedish  # no Swedish text: the Finnish one


def test_the_form_links_to_the_public_page(coordinator_client, locality):
    html = coordinator_client.get(_url(locality)).content.decode()

    assert reverse("localities:public-detail", kwargs={"slug": locality.slug}) in html
    assert "Katso sivua niin kuin yleisö sen näkee" in html


def test_a_stale_form_is_refused_and_keeps_what_was_typed(coordinator_client, coordinator, locality):
    opened = locality.version
    services.locality_public_facts_update(
        actor=coordinator, locality=locality, expected_version=opened, description_fi="Toisen teksti."
    )

    response = coordinator_client.post(
        _url(locality), _data(locality, version=opened, description_fi="Minun tekstini.")
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Minun tekstini." in html and "Toisen teksti." in html
    locality.refresh_from_db()
    assert locality.description_fi == "Toisen teksti."


def test_a_bad_address_is_refused(coordinator_client, locality):
    response = coordinator_client.post(_url(locality), _data(locality, feedback_email="ei osoite"))

    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()


def test_the_service_writes_public_facts_only_and_only_in_scope(coordinator, other_coordinator, locality):
    with pytest.raises(TypeError):
        services.locality_public_facts_update(
            actor=coordinator, locality=locality, expected_version=None, staff_notes="x"
        )
    with pytest.raises(PermissionDenied):
        services.locality_public_facts_update(
            actor=other_coordinator, locality=locality, expected_version=None, description_fi="x"
        )
