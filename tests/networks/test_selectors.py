import datetime

import pytest

from networks import selectors
from tests.networks.factories import ContactPersonFactory, IssuerFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_counts_for_past_dates_come_from_joining_and_leaving_dates(locality, other_locality):
    PartnerFactory(locality=locality, joined_on=datetime.date(2019, 1, 1), left_on=datetime.date(2021, 1, 1))
    PartnerFactory(locality=locality, joined_on=datetime.date(2020, 6, 1))
    IssuerFactory(locality=locality, joined_on=datetime.date(2018, 1, 1), left_on=datetime.date(2020, 1, 1))
    IssuerFactory(locality=locality, joined_on=datetime.date(2020, 12, 31))
    PartnerFactory(locality=other_locality, joined_on=datetime.date(2015, 1, 1))

    def counts(day):
        result = selectors.partner_counts_for_localities(localities=[locality], on=day).get(locality.pk)
        return (result.issuers, result.venues) if result else (0, 0)

    assert counts(datetime.date(2017, 12, 31)) == (0, 0)
    assert counts(datetime.date(2019, 12, 31)) == (1, 1)
    assert counts(datetime.date(2020, 12, 31)) == (1, 2)
    assert counts(datetime.date(2021, 12, 31)) == (1, 1)


def test_counts_for_many_localities_take_one_query(locality, other_locality, django_assert_num_queries):
    PartnerFactory(locality=locality)
    IssuerFactory(locality=other_locality)
    with django_assert_num_queries(1):
        counts = selectors.partner_counts_for_localities(
            localities=[locality, other_locality], on=datetime.date(2025, 1, 1)
        )
    assert counts[locality.pk].venues == 1 and counts[other_locality.pk].issuers == 1


def test_missing_primary_contacts_are_those_of_active_partners_of_own_localities(coordinator, locality, other_locality):
    lacking = PartnerFactory(locality=locality, name="Ilman yhteyshenkilöä")
    ContactPersonFactory(partner__locality=locality, is_primary=True)
    ContactPersonFactory(partner__locality=locality, partner__name="Vain varahenkilö", is_primary=False)
    PartnerFactory(locality=locality, left_on=datetime.date(2025, 1, 1))
    PartnerFactory(locality=other_locality)
    partners, total = selectors.partners_missing_primary_contact(user=coordinator)
    assert total == 2
    assert [partner.name for partner in partners] == [lacking.name, "Vain varahenkilö"]


def test_public_venues_are_grouped_by_sector_in_the_national_order(locality):
    PartnerFactory(locality=locality, name="Uimahalli", sector="sports", category="sports_venue")
    PartnerFactory(locality=locality, name="Teatteri", sector="culture")
    PartnerFactory(locality=locality, name="Museo", sector="culture", category="museum")
    PartnerFactory(locality=locality, name="Opisto", sector="education", category="adult_education")
    groups = selectors.by_sector(selectors.public_venues_of_locality(locality=locality))
    assert [(group.sector, [venue.name for venue in group.venues]) for group in groups] == [
        ("culture", ["Museo", "Teatteri"]),
        ("education", ["Opisto"]),
        ("sports", ["Uimahalli"]),
    ]


def test_a_prospect_locality_shows_no_venues(locality):
    PartnerFactory(locality=locality)
    locality.status = "prospect"
    locality.save()
    assert list(selectors.public_venues_of_locality(locality=locality)) == []
    assert list(selectors.public_issuers(locality=locality)) == []
