"""Issue 21, items 2 and 3: the venue's economic commitment on its public page, and new issuers proposed by
coordinators until national staff approve them (absent from public pages, the API and the statistics until then)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from networks import selectors, services
from networks.models import Approval, Partner, VenueAccessibility
from tests.localities.factories import CoordinatorFactory
from tests.networks.factories import IssuerFactory, PartnerFactory

pytestmark = pytest.mark.django_db


# --- The economic commitment ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", ["Kortilla saa", "Näyttelyt", "enintään 2 lippua", "Seuralainen pääsee maksutta", "Soita lippukassaan"]),
        ("/sv", ["Kortet ger", "Utställningar", "högst 2 biljetter", "Ring biljettkassan"]),
        ("/en", ["The card covers", "Exhibitions", "at most 2 tickets", "A companion gets in free", "Call the box"]),
    ],
)
def test_the_public_venue_page_shows_the_commitment_in_the_readers_language(client, locality, prefix, expected):
    venue = PartnerFactory(locality=locality, name="Museo")
    VenueAccessibility.objects.create(
        partner=venue,
        covers=["exhibitions", "events"],
        ceiling_per_visit=2,
        ceiling_per_year=10,
        companion_free="yes",
        booking_fi="Soita lippukassaan.",
        booking_sv="Ring biljettkassan.",
        booking_en="Call the box office.",
        checked_on=timezone.localdate(),
    )
    html = client.get(f"{prefix}/venues/{venue.pk}/").content.decode()
    for text in expected:
        assert text in html, text


def test_a_venue_without_a_commitment_shows_no_empty_claims(client, locality):
    venue = PartnerFactory(locality=locality)
    html = client.get(reverse("networks:venue-detail", kwargs={"pk": venue.pk})).content.decode()
    assert 'class="commitment"' not in html


def test_the_commitment_is_saved_through_the_form(coordinator_client, locality):
    venue = PartnerFactory(locality=locality)
    url = reverse("networks:partner-accessibility", kwargs={"slug": locality.slug, "pk": venue.pk})
    from networks.models import ACCESSIBILITY_KEYS

    data = dict.fromkeys(ACCESSIBILITY_KEYS, "unknown") | {
        "covers": ["performances", "courses"],
        "ceiling_per_year": "6",
        "companion_free": "no",
        "version": "1",
    }
    assert coordinator_client.post(url, data).status_code == 302
    saved = VenueAccessibility.objects.get(partner=venue)
    assert saved.covers == ["performances", "courses"] and saved.ceiling_per_year == 6
    assert saved.companion_free == "no" and saved.ceiling_per_visit is None
    refused = coordinator_client.post(url, data | {"covers": ["free beer"], "version": "1"})
    assert refused.status_code == 400


def test_a_hidden_or_ended_venue_has_no_public_page(client, locality):
    hidden = PartnerFactory(locality=locality, listed_publicly=False)
    issuer = IssuerFactory(locality=locality)
    for partner in (hidden, issuer):
        assert client.get(reverse("networks:venue-detail", kwargs={"pk": partner.pk})).status_code == 404


# --- New issuers --------------------------------------------------------------------------------------------


def _issuer_values(locality, name="Uusi jakaja") -> dict:
    return {
        "role": "issuer",
        "name": name,
        "issuer_kind": "ngo",
        "municipality": locality.municipalities.order_by("code").first(),
        "joined_on": datetime.date(2025, 1, 1),
    }


def test_an_issuer_added_by_a_coordinator_is_proposed_and_by_staff_approved(coordinator, staff, locality):
    proposed = services.partner_create(actor=coordinator, locality=locality, values=_issuer_values(locality))
    assert proposed.approval == Approval.PROPOSED
    approved = services.partner_create(actor=staff, locality=locality, values=_issuer_values(locality, "Staff"))
    assert approved.approval == Approval.APPROVED
    venue = services.partner_create(
        actor=coordinator,
        locality=locality,
        values=_issuer_values(locality, "Kohde") | {"role": "venue", "sector": "culture", "issuer_kind": ""},
    )
    assert venue.approval == Approval.APPROVED


def test_an_imported_new_issuer_is_proposed(coordinator, locality):
    content = (
        "role;name;municipality;issuer_kind;sector\nissuer;Tuotu jakaja;205;ngo;\nvenue;Tuotu kohde;205;;culture\n"
    )
    upload = services.partner_import_create(
        actor=coordinator, locality=locality, file_name="k.csv", content=content.encode()
    )
    assert not upload.plan.get("counts", {}).get("error"), upload.plan
    services.partner_import_apply(actor=coordinator, upload=upload, sha256=upload.sha256)
    assert Partner.objects.get(name="Tuotu jakaja").approval == Approval.PROPOSED
    assert Partner.objects.get(name="Tuotu kohde").approval == Approval.APPROVED


def test_a_proposed_issuer_is_absent_from_public_pages_and_statistics(client, coordinator, locality):
    IssuerFactory(locality=locality, name="Hyväksytty jakaja")
    services.partner_create(actor=coordinator, locality=locality, values=_issuer_values(locality, "Ehdotettu"))
    html = client.get(reverse("localities:public-detail", kwargs={"slug": locality.slug})).content.decode()
    assert "Hyväksytty jakaja" in html and "Ehdotettu" not in html
    counts = selectors.partner_counts_for_localities(localities=[locality], on=timezone.localdate())
    assert counts[locality.pk].issuers == 1
    api = client.get(reverse("networks-api:venues")).content.decode()
    assert "Ehdotettu" not in api


def test_a_proposed_issuer_is_not_named_in_a_reports_breakdown(coordinator, locality):
    from stats.selectors import report_partners
    from tests.stats.factories import ReportFactory, RoundFactory

    IssuerFactory(locality=locality, name="Hyväksytty")
    services.partner_create(actor=coordinator, locality=locality, values=_issuer_values(locality, "Ehdotettu"))
    report = ReportFactory(round=RoundFactory(period_start=datetime.date(2025, 1, 1)), locality=locality)
    assert sorted(report_partners(report).values_list("name", flat=True)) == ["Hyväksytty"]


def test_staff_see_proposals_and_approve_and_the_coordinator_is_told_in_their_language(
    client, staff, coordinator, locality, outbox
):
    coordinator.preferred_language = "sv"
    coordinator.save()
    issuer = services.partner_create(actor=coordinator, locality=locality, values=_issuer_values(locality))
    client.force_login(staff)
    assert "Uusi jakaja" in client.get(reverse("portal")).content.decode()
    page = client.get(reverse("networks:proposed-issuers"))
    assert page.status_code == 200 and "Uusi jakaja" in page.content.decode()
    response = client.post(
        reverse("networks:proposed-issuers"),
        {"issuer": issuer.pk, f"issuer-{issuer.pk}-decision": "approve", f"issuer-{issuer.pk}-reason": "Sovittu"},
    )
    assert response.status_code == 302
    issuer.refresh_from_db()
    assert issuer.approval == Approval.APPROVED
    record = issuer.history.latest()
    assert record.history_user == staff and record.history_change_reason == "issuer.approved: Sovittu"
    [message] = outbox.deliver()
    assert message.to == [coordinator.email] and "godkände" in message.subject
    html = client.get(reverse("localities:public-detail", kwargs={"slug": locality.slug})).content.decode()
    assert "Uusi jakaja" in html
    with pytest.raises(ValidationError, match="already been decided"):
        services.issuer_decide(actor=staff, partner=issuer, approve=False, reason="Myöhässä")


def test_rejecting_needs_a_reason_and_only_staff_decide(staff, coordinator, locality):
    issuer = services.partner_create(actor=coordinator, locality=locality, values=_issuer_values(locality))
    with pytest.raises(PermissionDenied):
        services.issuer_decide(actor=coordinator, partner=issuer, approve=True)
    with pytest.raises(ValidationError):
        services.issuer_decide(actor=staff, partner=issuer, approve=False, reason=" ")
    services.issuer_decide(actor=staff, partner=issuer, approve=False, reason="Ei kortinjakajaksi")
    issuer.refresh_from_db()
    assert issuer.approval == Approval.REJECTED
    assert not selectors.public_issuers(locality=locality).filter(pk=issuer.pk).exists()


def test_coordinators_do_not_see_the_staff_panel(client, coordinator, locality):
    CoordinatorFactory(locality=locality)
    services.partner_create(actor=coordinator, locality=locality, values=_issuer_values(locality))
    client.force_login(coordinator)
    assert "New issuers to discuss" not in client.get(reverse("portal")).content.decode()


def test_staff_front_page_leads_to_the_self_assessment_totals(client, staff):
    client.force_login(staff)
    html = client.get(reverse("portal")).content.decode()
    assert "Accessibility and equality" in html
    assert reverse("networks:self-assessment-totals") in html
