"""Length limits and NUL bytes: a megabyte text or a NUL byte in any partner or contact field is
a field error, in the form and in the import, never a 500 and never stored. (A NUL byte posted to the portal
is refused earlier still, for every view, by `kaikukeskus.middleware.reject_nul_bytes`: the forms' own check
serves the admin, the import and any caller without that middleware.)"""

import pytest
from django.core.exceptions import ValidationError

from networks import imports
from networks.forms import ContactForm, PartnerForm
from networks.models import OFFER_MAX_LENGTH, PARTNER_FIELDS, ContactPerson, Partner
from tests.networks.test_views import create_url, form_data

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * 1_000_000

VENUE_FIELDS = [field for field in PARTNER_FIELDS if field != "issuer_kind"]
VENUE_FIELDS.remove("listed_publicly")  # a checkbox: any posted value means "checked" (tested below)
CONTACT_FIELDS = ["name", "title", "email", "phone"]


def post_partner(client, locality, kajaani, *, field, value, role="venue"):
    data = form_data(kajaani)
    if role == "issuer":
        data.update({"partner-role": "issuer", "partner-issuer_kind": "ngo", "partner-sector": ""})
    data[f"partner-{field}"] = value
    return client.post(create_url(locality), data)


def partner_form(locality, kajaani, *, field, value, role="venue"):
    data = form_data(kajaani)
    if role == "issuer":
        data.update({"partner-role": "issuer", "partner-issuer_kind": "ngo", "partner-sector": ""})
    data[f"partner-{field}"] = value
    return PartnerForm(data, instance=Partner(locality=locality), locality=locality, prefix="partner")


@pytest.mark.parametrize("field", VENUE_FIELDS)
def test_every_partner_field_refuses_a_megabyte_with_a_field_error(coordinator_client, locality, kajaani, field):
    response = post_partner(coordinator_client, locality, kajaani, field=field, value=MEGABYTE)
    assert response.status_code == 400
    assert response.context["form"].errors[field], response.context["form"].errors
    assert not Partner.objects.exists()


@pytest.mark.parametrize("field", [*VENUE_FIELDS, "issuer_kind"])
def test_every_partner_field_refuses_a_nul_with_a_field_error(locality, kajaani, field):
    form = partner_form(
        locality, kajaani, field=field, value="ngo\x00", role="issuer" if field == "issuer_kind" else "venue"
    )
    assert not form.is_valid()
    assert form.errors[field], form.errors


def test_a_nul_posted_to_the_portal_is_refused_before_the_view(coordinator_client, locality, kajaani):
    response = post_partner(coordinator_client, locality, kajaani, field="offer_fi", value="Vapaalippu\x00")
    assert response.status_code == 400
    assert not Partner.objects.exists()


def test_the_listed_publicly_checkbox_reads_any_value_as_checked(coordinator_client, locality, kajaani):
    response = post_partner(coordinator_client, locality, kajaani, field="listed_publicly", value=MEGABYTE)
    assert response.status_code == 302
    assert Partner.objects.get().listed_publicly is True


def test_the_issuer_kind_refuses_a_megabyte(coordinator_client, locality, kajaani):
    response = post_partner(coordinator_client, locality, kajaani, field="issuer_kind", value=MEGABYTE, role="issuer")
    assert response.status_code == 400
    assert response.context["form"].errors["issuer_kind"]
    assert not Partner.objects.exists()


def contact(**changes):
    return {"name": "Maija", "title": "", "email": "maija@example.fi", "phone": "040 123 4567", **changes}


@pytest.mark.parametrize("field", CONTACT_FIELDS)
def test_every_contact_field_refuses_a_megabyte_with_a_field_error(coordinator_client, locality, kajaani, field):
    response = coordinator_client.post(
        create_url(locality), form_data(kajaani, contacts=[contact(**{field: MEGABYTE})])
    )
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors[field]
    assert not Partner.objects.exists() and not ContactPerson.objects.exists()


@pytest.mark.parametrize("field", CONTACT_FIELDS)
def test_every_contact_field_refuses_a_nul_with_a_field_error(field):
    form = ContactForm(contact(**{field: "maija\x00@example.fi"}))
    assert not form.is_valid()
    assert form.errors[field]


def test_an_offer_of_the_limit_is_kept_and_one_character_more_is_refused(coordinator_client, locality, kajaani):
    response = post_partner(coordinator_client, locality, kajaani, field="offer_fi", value="x" * (OFFER_MAX_LENGTH + 1))
    assert response.status_code == 400
    assert "at most 2000 characters" in response.context["form"].errors["offer_fi"][0]
    response = post_partner(coordinator_client, locality, kajaani, field="offer_fi", value="x" * OFFER_MAX_LENGTH)
    assert response.status_code == 302
    assert len(Partner.objects.get().offer_fi) == OFFER_MAX_LENGTH


def test_the_model_refuses_long_offers_and_nul_bytes_for_every_writer(locality, kajaani):
    partner = Partner(locality=locality, role="venue", name="Kohde", municipality=kajaani, sector="culture")
    partner.offer_sv = "x" * (OFFER_MAX_LENGTH + 1)
    partner.address = "Katu\x00 1"
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert {"offer_sv", "address"} <= set(error.value.message_dict)


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("offer_fi", "x" * (OFFER_MAX_LENGTH + 1), "Offer in Finnish: Ensure this value has at most 2000 characters"),
        ("address", "x" * 201, "Address: Ensure this value has at most 200 characters"),
        # An .xlsx cell can hold a NUL that the CSV reader refuses for the whole file: the row rules catch it.
        ("parent_organisation", "Kaupunki\x00", "Parent organisation: Null characters are not allowed."),
        ("contact_title", "x" * 151, "Ensure this value has at most 150 characters"),
    ],
)
def test_the_import_gives_the_same_limits_per_row(locality, column, cell, message):
    header = ["role", "name", "municipality", "sector", "contact_name", "contact_email", column]
    row = ["venue", "Kohde", "Kajaani", "culture", "Maija", "maija@example.fi", cell]
    plan = imports.partner_import_plan(locality=locality, header=header, rows=[(2, row)])
    assert plan.rows[0].status == imports.ERROR
    assert any(message in text for text in plan.rows[0].messages), plan.rows[0].messages
