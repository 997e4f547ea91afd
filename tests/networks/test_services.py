import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from networks import services
from networks.models import ContactPerson, Partner
from networks.services import ContactChange
from tests.networks.factories import ContactPersonFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def venue_values(municipality, **overrides):
    values = {
        "role": "venue",
        "name": "Kajaanin kaupunginteatteri",
        "parent_organisation": "Kajaanin kaupunki",
        "municipality": municipality,
        "address": "Pohjolankatu 13",
        "website": "https://teatteri.example.fi",
        "sector": "culture",
        "category": "theatre",
        "issuer_kind": "",
        "offer_fi": "Vapaalippu lippukassalta.",
        "offer_sv": "",
        "offer_en": "",
        "listed_publicly": True,
        "joined_on": datetime.date(2025, 1, 1),
        "left_on": None,
        "commitment_acknowledged_on": datetime.date(2024, 12, 1),
        "commitment_kind": "permanent",
    }
    return {**values, **overrides}


def test_create_records_who_created_the_partner_and_its_contacts(coordinator, locality, kajaani):
    partner = services.partner_create(
        actor=coordinator,
        locality=locality,
        values=venue_values(kajaani),
        contacts=[
            ContactChange(
                values={"name": "Maija", "title": "", "email": "maija@example.fi", "phone": "", "is_primary": True}
            )
        ],
    )
    assert partner.history.get().history_user == coordinator
    assert ContactPerson.history.get().history_user == coordinator
    assert partner.contacts.get().is_primary


def test_update_keeps_every_version_in_history(coordinator, locality, kajaani):
    partner = services.partner_create(actor=coordinator, locality=locality, values=venue_values(kajaani))
    services.partner_update(actor=coordinator, partner=partner, values={"name": "Kajaanin teatteri"})
    assert [record.name for record in partner.history.order_by("history_date")] == [
        "Kajaanin kaupunginteatteri",
        "Kajaanin teatteri",
    ]


def test_ending_a_partnership_keeps_the_row_and_its_history(coordinator, locality):
    partner = PartnerFactory(locality=locality, joined_on=datetime.date(2024, 1, 1))
    services.partner_end(actor=coordinator, partner=partner, left_on=datetime.date(2025, 6, 30))
    partner.refresh_from_db()
    assert partner.left_on == datetime.date(2025, 6, 30)
    assert partner.history.latest().history_user == coordinator
    with pytest.raises(ValidationError):
        services.partner_end(actor=coordinator, partner=partner)


@pytest.mark.parametrize("joined_on", [datetime.date(1, 1, 1), datetime.date(1999, 12, 31), datetime.date(9999, 1, 1)])
def test_a_join_date_outside_the_portals_years_is_refused_at_the_field(coordinator, locality, kajaani, joined_on):
    values = venue_values(kajaani, joined_on=joined_on)
    with translation.override("fi"):
        with pytest.raises(ValidationError) as error:
            services.partner_create(actor=coordinator, locality=locality, values=values)
        [message] = error.value.message_dict["joined_on"]
        assert message.startswith("Tarkista päivämäärä: sen pitää olla välillä 1.1.2000–")
    assert not Partner.objects.exists()


def test_end_before_joining_is_refused(coordinator, locality):
    partner = PartnerFactory(locality=locality, joined_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.partner_end(actor=coordinator, partner=partner, left_on=datetime.date(2023, 1, 1))


def test_coordinator_cannot_change_another_localitys_partner_through_services(coordinator, other_locality, tornio):
    partner = PartnerFactory(locality=other_locality)
    with pytest.raises(PermissionDenied):
        services.partner_update(actor=coordinator, partner=partner, values={"name": "Kaapattu"})
    with pytest.raises(PermissionDenied):
        services.partner_end(actor=coordinator, partner=partner)
    with pytest.raises(PermissionDenied):
        services.partner_create(actor=coordinator, locality=other_locality, values=venue_values(tornio))
    assert Partner.objects.get(pk=partner.pk).name != "Kaapattu"


def test_another_partners_contact_cannot_be_edited_through_this_partner(coordinator, locality, other_locality):
    mine = PartnerFactory(locality=locality)
    foreign = ContactPersonFactory(partner__locality=other_locality, name="Vieras")
    with pytest.raises(ValidationError):
        services.partner_update(
            actor=coordinator,
            partner=mine,
            values={},
            contacts=[ContactChange(pk=foreign.pk, values={"name": "Muutettu", "email": "x@example.fi"})],
        )
    assert ContactPerson.objects.get(pk=foreign.pk).name == "Vieras"


def test_primary_contact_can_move_from_one_person_to_another(coordinator, locality):
    partner = PartnerFactory(locality=locality)
    first = ContactPersonFactory(partner=partner, is_primary=True)
    second = ContactPersonFactory(partner=partner, is_primary=False)
    services.partner_update(
        actor=coordinator,
        partner=partner,
        values={},
        contacts=[
            ContactChange(pk=second.pk, values={"is_primary": True}),
            ContactChange(pk=first.pk, values={"is_primary": False}),
        ],
    )
    assert partner.contacts.get(is_primary=True) == second


def test_two_primary_contacts_are_refused(coordinator, locality):
    partner = PartnerFactory(locality=locality)
    with pytest.raises(ValidationError):
        services.partner_update(
            actor=coordinator,
            partner=partner,
            values={},
            contacts=[
                ContactChange(values={"name": "A", "email": "a@example.fi", "is_primary": True}),
                ContactChange(values={"name": "B", "email": "b@example.fi", "is_primary": True}),
            ],
        )
    assert not partner.contacts.exists()


def test_deleted_contact_stays_in_history(coordinator, locality):
    contact = ContactPersonFactory(partner__locality=locality)
    services.partner_update(
        actor=coordinator, partner=contact.partner, values={}, contacts=[ContactChange(pk=contact.pk, delete=True)]
    )
    assert not ContactPerson.objects.exists()
    assert ContactPerson.history.filter(id=contact.pk, history_type="-").get().history_user == coordinator


def test_old_uploads_are_purged(coordinator, locality):
    from django.utils import timezone

    from networks.models import PartnerImport
    from networks.tasks import purge_partner_imports

    old = services.partner_import_create(
        actor=coordinator, locality=locality, file_name="k.csv", content=b"role;name;municipality\nvenue;A;205\n"
    )
    PartnerImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    fresh = services.partner_import_create(
        actor=coordinator, locality=locality, file_name="k.csv", content=b"role;name;municipality\nvenue;B;205\n"
    )
    assert purge_partner_imports.delay().get() == 1
    assert list(PartnerImport.objects.all()) == [fresh]


def test_expired_preview_cannot_be_applied(coordinator, locality):
    from django.utils import timezone

    from networks.models import PartnerImport

    upload = services.partner_import_create(
        actor=coordinator, locality=locality, file_name="k.csv", content=b"role;name;municipality\nvenue;A;205\n"
    )
    PartnerImport.objects.filter(pk=upload.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    upload.refresh_from_db()
    with pytest.raises(services.ImportRefusedError):
        services.partner_import_apply(actor=coordinator, upload=upload, sha256=upload.sha256)
    assert not Partner.objects.exists()
