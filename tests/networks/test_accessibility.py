"""A venue's accessibility (issue 21, item 1): yes / no / not known answers with the date they were checked,
edited by coordinators and by the venue's contact through a signed link; the public directory, the locality page
and the API filter by them (only "yes" passes), "not known" is never shown as "no", and answers older than 12
months are marked as possibly out of date."""

import datetime
import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kaikukeskus.locking import StaleVersionError
from networks import selectors, services
from networks.models import ACCESSIBILITY_KEYS, Partner, VenueAccessibility
from tests.networks.factories import ContactPersonFactory, IssuerFactory, PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
# What the form posts untouched: every answer "not known".
FORM = dict.fromkeys((*ACCESSIBILITY_KEYS, "companion_free"), "unknown")


def answers(partner, checked_on=None, **values) -> VenueAccessibility:
    """Store answers directly (the tests of the services below go through them)."""
    return VenueAccessibility.objects.create(partner=partner, checked_on=checked_on or TODAY(), **values)


@pytest.fixture
def venues(locality):
    loop = PartnerFactory(locality=locality, name="Silmukkateatteri")
    answers(loop, induction_loop="yes", step_free_entrance="yes")
    no_loop = PartnerFactory(locality=locality, name="Ei silmukkaa")
    answers(no_loop, induction_loop="no", step_free_entrance="yes")
    unknown = PartnerFactory(locality=locality, name="Tuntematon")
    answers(unknown, step_free_entrance="yes")  # induction loop not known
    PartnerFactory(locality=locality, name="Ei vastauksia")  # no answers at all
    return loop


# --- Filters: only "yes" passes ---------------------------------------------------------------------------


def test_the_filter_keeps_only_venues_that_answered_yes(locality, venues):
    names = lambda keys: sorted(v.name for v in selectors.public_venues(accessibility=keys))  # noqa: E731
    assert names(["induction_loop"]) == ["Silmukkateatteri"]
    assert names(["step_free_entrance"]) == ["Ei silmukkaa", "Silmukkateatteri", "Tuntematon"]
    assert names(["step_free_entrance", "induction_loop"]) == ["Silmukkateatteri"]
    assert len(names([])) == 4
    with pytest.raises(ValueError):
        selectors.public_venues(accessibility=["lift"])


def test_the_directory_filters_by_accessibility_in_a_get_form(client, locality, venues):
    html = client.get(reverse("networks:venue-search"), {"accessibility": "induction_loop"}).content.decode()
    assert "Silmukkateatteri" in html
    for other in ("Ei silmukkaa", "Tuntematon", "Ei vastauksia"):
        assert other not in html
    page = client.get(reverse("networks:venue-search")).content.decode()
    assert '<form method="get"' in page and 'name="accessibility" value="induction_loop"' in page
    # Repeatable, and a made-up key does not break the page.
    both = client.get(
        reverse("networks:venue-search"), {"accessibility": ["induction_loop", "step_free_entrance"]}
    ).content.decode()
    assert "Silmukkateatteri" in both and "Tuntematon" not in both
    assert client.get(reverse("networks:venue-search"), {"accessibility": "lift"}).status_code == 200


def test_the_locality_page_filters_its_venues(client, locality, venues):
    url = reverse("localities:public-detail", kwargs={"slug": locality.slug})
    html = client.get(url, {"accessibility": "induction_loop"}).content.decode()
    section = html[html.index('id="venues"') :]
    assert "Silmukkateatteri" in section and "Ei silmukkaa" not in section and "Tuntematon" not in section
    assert "Ei vastauksia" in client.get(url).content.decode()


def test_the_api_carries_the_answers_and_filters_by_them(client, locality, venues):
    url = reverse("networks-api:venues")
    data = client.get(url, {"accessibility": "induction_loop"}).json()
    assert [row["name"] for row in data["results"]] == ["Silmukkateatteri"]
    accessibility = data["results"][0]["accessibility"]
    assert list(accessibility) == [*ACCESSIBILITY_KEYS, "checked_on"]
    assert accessibility["induction_loop"] == "yes" and accessibility["parking"] == "unknown"
    assert accessibility["checked_on"] == TODAY().isoformat()
    rows = {row["name"]: row["accessibility"] for row in client.get(url).json()["results"]}
    assert rows["Ei vastauksia"] == {**dict.fromkeys(ACCESSIBILITY_KEYS, "unknown"), "checked_on": None}
    assert rows["Ei silmukkaa"]["induction_loop"] == "no"
    two = client.get(url, {"accessibility": ["induction_loop", "step_free_entrance"]}).json()
    assert two["count"] == 1
    refused = client.get(url, {"accessibility": "lift"})
    assert refused.status_code == 400 and "accessibility" in refused.json()["parameters"]
    csv = client.get(url, {"accessibility": "induction_loop", "format": "csv"}).content.decode()
    assert "induction_loop=yes" in csv and "Ei silmukkaa" not in csv


def test_the_schema_documents_the_answers_and_the_repeatable_filter(client):
    schema = client.get("/api/v1/schema/").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/venues/"]["get"]["parameters"]}
    assert parameters["accessibility"]["schema"]["type"] == "array"
    assert set(parameters["accessibility"]["schema"]["items"]["enum"]) == set(ACCESSIBILITY_KEYS)
    components = schema["components"]["schemas"]
    assert set(components["Accessibility"]["properties"]) == {*ACCESSIBILITY_KEYS, "checked_on"}


# --- "Not known" is never "no" ------------------------------------------------------------------------------


def test_not_known_is_never_shown_as_no(client, locality):
    venue = PartnerFactory(locality=locality, name="Puolittain")
    answers(venue, induction_loop="no", parking="yes")
    html = client.get(reverse("networks:venue-detail", kwargs={"pk": venue.pk})).content.decode()
    section = html[html.index('class="venue-accessibility"') :]
    assert section.count('class="access-answer access-no"') == 1
    assert section.count('class="access-answer access-yes"') == 1
    assert section.count('class="access-answer access-unknown"') == len(ACCESSIBILITY_KEYS) - 2
    assert section.count("<dd>No</dd>") == 1 and section.count("<dd>Not known</dd>") == len(ACCESSIBILITY_KEYS) - 2
    # A venue that has told nothing: every answer not known, none no.
    silent = PartnerFactory(locality=locality, name="Hiljainen")
    html = client.get(reverse("networks:venue-detail", kwargs={"pk": silent.pk})).content.decode()
    assert "<dd>No</dd>" not in html and html.count("<dd>Not known</dd>") == len(ACCESSIBILITY_KEYS)
    # The list shows the "yes" answers only.
    listing = client.get(reverse("networks:venue-search")).content.decode()
    assert "Accessible parking" in listing and "Induction loop:" not in listing
    assert listing.count('class="venue-access"') == 1


def test_the_form_defaults_to_not_known(coordinator_client, locality):
    venue = PartnerFactory(locality=locality)
    html = coordinator_client.get(
        reverse("networks:partner-accessibility", kwargs={"slug": locality.slug, "pk": venue.pk})
    ).content.decode()
    checked = re.findall(r'<input type="radio" name="(\w+)" value="(\w+)"[^>]*checked', html)
    assert sorted(checked) == sorted((key, "unknown") for key in (*ACCESSIBILITY_KEYS, "companion_free"))


# --- Out of date -------------------------------------------------------------------------------------------


def test_answers_older_than_a_year_are_marked_to_everyone_and_listed_for_the_coordinator(client, coordinator, locality):
    old = PartnerFactory(locality=locality, name="Vanha tieto")
    answers(old, checked_on=TODAY() - datetime.timedelta(days=400), induction_loop="yes")
    fresh = PartnerFactory(locality=locality, name="Tuore tieto")
    answers(fresh, checked_on=TODAY() - datetime.timedelta(days=300), induction_loop="yes")
    assert old.accessibility.is_stale and not fresh.accessibility.is_stale
    detail = client.get(reverse("networks:venue-detail", kwargs={"pk": old.pk}))
    assert "Possibly out of date" in detail.content.decode()
    listing = client.get(reverse("networks:venue-search")).content.decode()
    assert listing.count('class="venue-stale"') == 1
    stale, count = selectors.stale_accessibility(user=coordinator)
    assert [venue.name for venue in stale] == ["Vanha tieto"] and count == 1
    client.force_login(coordinator)
    portal = client.get(reverse("portal")).content.decode()
    panel = portal[portal.index("were checked more than 12 months ago") :]
    panel = panel[: panel.index("</ul>")]
    assert "Vanha tieto" in panel and "Tuore tieto" not in panel


# --- Coordinators edit -------------------------------------------------------------------------------------


def test_a_coordinator_saves_answers_with_history_and_optimistic_locking(coordinator, locality):
    venue = PartnerFactory(locality=locality)
    saved = services.accessibility_update(
        actor=coordinator, partner=venue, values={"induction_loop": "yes", "notes_en": "Ask at the door."}
    )
    assert saved.version == 1 and saved.checked_on == TODAY()
    record = saved.history.latest()
    assert record.history_user == coordinator and record.history_change_reason == "created"
    services.accessibility_update(actor=coordinator, partner=venue, values={"parking": "no"}, expected_version=1)
    with pytest.raises(StaleVersionError):
        services.accessibility_update(actor=coordinator, partner=venue, values={"parking": "yes"}, expected_version=1)
    assert VenueAccessibility.objects.get(partner=venue).parking == "no"


def test_coordinators_edit_only_their_own_localitys_venues(other_coordinator, coordinator, locality):
    venue = PartnerFactory(locality=locality)
    with pytest.raises(PermissionDenied):
        services.accessibility_update(actor=other_coordinator, partner=venue, values={"parking": "yes"})
    with pytest.raises(ValidationError, match="Only venues"):
        services.accessibility_update(actor=coordinator, partner=IssuerFactory(locality=locality), values={})


def test_the_portal_form_saves_and_keeps_what_was_typed_on_a_conflict(coordinator_client, coordinator, locality):
    venue = PartnerFactory(locality=locality)
    url = reverse("networks:partner-accessibility", kwargs={"slug": locality.slug, "pk": venue.pk})
    data = FORM | {"induction_loop": "yes", "version": "1"}
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    assert VenueAccessibility.objects.get(partner=venue).induction_loop == "yes"
    services.accessibility_update(actor=coordinator, partner=venue, values={"parking": "yes"}, expected_version=1)
    stale = coordinator_client.post(url, data | {"notes_fi": "Kirjoitettu"})
    assert stale.status_code == 409 and "Kirjoitettu" in stale.content.decode()


# --- The venue's signed link -------------------------------------------------------------------------------


def test_a_coordinator_sends_the_venue_a_link_in_the_chosen_language(coordinator_client, locality, outbox):
    venue = PartnerFactory(locality=locality, name="Linkkiteatteri")
    contact = ContactPersonFactory(partner=venue, email="kassa@teatteri.example.fi")
    url = reverse("networks:partner-venue-link", kwargs={"slug": locality.slug, "pk": venue.pk})
    response = coordinator_client.post(url, {"contact": contact.pk, "language": "sv"})
    assert response.status_code == 302
    [message] = outbox.deliver()
    assert message.to == ["kassa@teatteri.example.fi"] and "Linkkiteatteri" in message.subject
    assert "/sv/venues/link/" in message.body
    link = next(word for word in message.body.split() if "/venues/link/" in word)
    path = link.split("://", 1)[-1]
    path = path[path.index("/") :]
    coordinator_client.logout()
    assert coordinator_client.get(path).status_code == 200


def test_another_venues_contact_cannot_be_sent_a_link(coordinator, locality):
    venue = PartnerFactory(locality=locality)
    stranger = ContactPersonFactory(partner=PartnerFactory(locality=locality))
    with pytest.raises(ValidationError, match="does not belong"):
        services.venue_link_send(actor=coordinator, partner=venue, contact=stranger, language="fi")


def test_the_link_opens_its_own_venue_only_and_saves_without_an_account(client, locality):
    venue = PartnerFactory(locality=locality, name="Oma kohde")
    other = PartnerFactory(locality=locality, name="Toinen kohde")
    token = services.venue_link_token(partner=venue)
    url = reverse("networks:venue-link-accessibility", kwargs={"token": token})
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Oma kohde" in html and "Toinen kohde" not in html
    assert "no-store" in page["Cache-Control"]
    data = FORM | {"induction_loop": "yes", "version": "1"}
    # A posted id of another venue means nothing: the token decides.
    response = client.post(url, data | {"partner": other.pk})
    assert response.status_code == 302
    assert VenueAccessibility.objects.get(partner=venue).induction_loop == "yes"
    assert not VenueAccessibility.objects.filter(partner=other).exists()
    record = VenueAccessibility.objects.get(partner=venue).history.latest()
    assert record.history_user is None and record.history_change_reason == "accessibility.by_link"


def test_a_tampered_or_foreign_token_opens_nothing(client, locality):
    venue = PartnerFactory(locality=locality)
    other = PartnerFactory(locality=locality)
    token = services.venue_link_token(partner=venue)
    value, _sep, signature = token.rpartition(":")
    forged = signing.TimestampSigner(salt="something else").sign_object({"venue": other.pk, "contact": None})
    # The other venue's payload under this venue's timestamp and signature (a text replace of the pk may find
    # nothing to replace in base64 and leave the genuine token).
    other_payload = services.venue_link_token(partner=other).split(":", 1)[0]
    swapped = other_payload + token[len(token.split(":", 1)[0]) :]
    assert swapped != token
    # The first character changes: base64's last one carries padding bits, and two of its values decode alike.
    flipped = "B" if signature.startswith("A") else "A"
    for bad in (f"{value}:{flipped}{signature[1:]}", forged, "abc", swapped):
        assert client.get(reverse("networks:venue-link-accessibility", kwargs={"token": bad})).status_code == 404
        with pytest.raises(services.VenueLinkError):
            services.accessibility_update_by_link(token=bad, values={"parking": "yes"})


def test_the_link_expires_after_thirty_days(client, locality):
    venue = PartnerFactory(locality=locality)
    token = services.venue_link_token(partner=venue)
    url = reverse("networks:venue-link-accessibility", kwargs={"token": token})
    now = time.time()
    with mock.patch("django.core.signing.time.time", return_value=now + 29 * 86400):
        assert client.get(url).status_code == 200
    with mock.patch("django.core.signing.time.time", return_value=now + 31 * 86400):
        assert client.get(url).status_code == 404
        with pytest.raises(services.VenueLinkError):
            services.accessibility_update_by_link(token=token, values={"parking": "yes"})


def test_the_link_of_a_venue_that_left_opens_nothing(client, locality):
    venue = PartnerFactory(locality=locality, left_on=TODAY() - datetime.timedelta(days=1))
    token = services.venue_link_token(partner=venue)
    assert client.get(reverse("networks:venue-link-accessibility", kwargs={"token": token})).status_code == 404


# --- Query counts --------------------------------------------------------------------------------------------


def _directory_queries(client, locality, count: int) -> int:
    Partner.objects.filter(locality=locality).delete()
    for venue in PartnerFactory.create_batch(count, locality=locality):
        answers(venue, induction_loop="yes", checked_on=TODAY() - datetime.timedelta(days=500))
    from django.db import connection

    client.get(reverse("networks:venue-search"))  # the public data version settles
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("networks:venue-search"), {"accessibility": ["induction_loop", "parking"][:1]})
    assert response.status_code == 200
    assert response.content.decode().count('class="venue-stale"') == min(count, 50)
    return len(queries)


def test_the_filtered_directory_makes_the_same_queries_for_5_and_60_venues(client, locality):
    assert _directory_queries(client, locality, 5) == _directory_queries(client, locality, 60)
