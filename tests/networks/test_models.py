import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from networks.models import ContactPerson, Partner, validate_phone
from tests.networks.factories import ContactPersonFactory, IssuerFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "number",
    [
        "040 123 4567",
        "0401234567",
        "040-123 4567",
        "09 123 4567",
        "+358 40 123 4567",
        "+358 (0)40 123 4567",
        "00358 40 123 4567",
        "+46 8 123 456 78",
        "(09) 123 4567",
    ],
)
def test_phone_numbers_in_finnish_and_international_forms_are_accepted(number):
    validate_phone(number)


@pytest.mark.parametrize("number", ["123", "abc 123 4567", "+0 40 123", "40 123 4567", "0401234567890123", "+358"])
def test_malformed_phone_numbers_are_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_phone(number)
    assert "040 123 4567" in error.value.messages[0]


def test_left_date_before_joined_date_is_refused_by_clean_and_by_the_database(locality, kajaani):
    partner = PartnerFactory.build(
        locality=locality,
        municipality=kajaani,
        joined_on=datetime.date(2025, 1, 1),
        left_on=datetime.date(2024, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "left_on" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        partner.save()


def test_name_is_unique_within_locality_and_role_ignoring_case(locality, other_locality, kajaani, tornio):
    PartnerFactory(locality=locality, name="Kajaanin Teatteri")
    duplicate = PartnerFactory.build(locality=locality, municipality=kajaani, name="kajaanin teatteri")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict["name"] == ["The locality already has a partner of this role with this name."]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Another role or another locality may use the name.
    IssuerFactory.build(locality=locality, municipality=kajaani, name="Kajaanin teatteri").full_clean()
    PartnerFactory.build(locality=other_locality, municipality=tornio, name="Kajaanin teatteri").full_clean()


def test_municipality_must_be_one_of_the_localitys(locality, tornio):
    partner = PartnerFactory.build(locality=locality, municipality=tornio)
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert error.value.message_dict["municipality"] == ["Choose one of the locality's municipalities."]


def test_venue_needs_a_sector_and_issuer_needs_a_kind(locality, kajaani):
    with pytest.raises(ValidationError) as error:
        PartnerFactory.build(locality=locality, municipality=kajaani, sector="").full_clean()
    assert "sector" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        IssuerFactory.build(locality=locality, municipality=kajaani, issuer_kind="").full_clean()
    assert "issuer_kind" in error.value.message_dict


def test_issuer_never_keeps_venue_only_fields(locality, kajaani):
    issuer = IssuerFactory.build(locality=locality, municipality=kajaani, offer_fi="Salainen", listed_publicly=True)
    issuer.full_clean()
    assert issuer.offer_fi == "" and issuer.listed_publicly is False


def test_commitment_date_and_kind_go_together(locality, kajaani):
    partner = PartnerFactory.build(
        locality=locality, municipality=kajaani, commitment_acknowledged_on=datetime.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "commitment_kind" in error.value.message_dict


def test_active_on_counts_joining_day_in_and_leaving_day_out(locality):
    partner = PartnerFactory(locality=locality, joined_on=datetime.date(2024, 3, 1), left_on=datetime.date(2025, 3, 1))
    active_on = lambda day: list(Partner.objects.active_on(day))  # noqa: E731
    assert active_on(datetime.date(2024, 2, 29)) == []
    assert active_on(datetime.date(2024, 3, 1)) == [partner]
    assert active_on(datetime.date(2025, 2, 28)) == [partner]
    assert active_on(datetime.date(2025, 3, 1)) == []


def test_one_partners_state_today_agrees_with_the_querysets(locality):
    from django.utils import timezone

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    left_today = PartnerFactory(locality=locality, joined_on=today - 30 * day, left_on=today)
    joins_tomorrow = PartnerFactory(locality=locality, joined_on=today + day)
    leaves_tomorrow = PartnerFactory(locality=locality, joined_on=today, left_on=today + day)
    assert (left_today.has_left, left_today.is_upcoming) == (True, False)
    assert (joins_tomorrow.has_left, joins_tomorrow.is_upcoming) == (False, True)
    assert (leaves_tomorrow.has_left, leaves_tomorrow.is_upcoming) == (False, False)
    assert list(Partner.objects.active()) == [leaves_tomorrow]  # neither left nor upcoming


def test_public_venues_are_listed_active_venues_of_public_localities(locality, other_locality):
    shown = PartnerFactory(locality=locality)
    PartnerFactory(locality=locality, listed_publicly=False)
    PartnerFactory(locality=locality, left_on=datetime.date(2025, 1, 1))
    IssuerFactory(locality=locality)
    other_locality.status = "prospect"
    other_locality.save()
    PartnerFactory(locality=other_locality)
    assert list(Partner.objects.public()) == [shown]


def test_one_primary_contact_per_partner_and_email_or_phone_required(locality):
    partner = PartnerFactory(locality=locality)
    ContactPersonFactory(partner=partner, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPersonFactory(partner=partner, is_primary=True)
    contact = ContactPerson(partner=partner, name="Ei yhteystietoja")
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert error.value.message_dict["email"] == ["Give an e-mail address or a phone number."]


def test_offer_is_in_the_active_language_with_finnish_fallback(locality):
    from django.utils import translation

    partner = PartnerFactory(locality=locality, offer_fi="Suomeksi", offer_sv="", offer_en="In English")
    with translation.override("en"):
        assert partner.offer == "In English"
    with translation.override("sv"):
        assert partner.offer == "Suomeksi"


def test_name_rule_knows_finnish_letters_on_every_database(locality, kajaani):
    PartnerFactory(locality=locality, name="Äänekosken kesäteatteri")
    duplicate = PartnerFactory.build(locality=locality, municipality=kajaani, name="ÄÄNEKOSKEN KESÄTEATTERI")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "name" in error.value.message_dict
