import datetime

import factory

from localities.models import Municipality
from networks.models import ContactPerson, IssuerKind, Partner, PartnerRole, Sector, VenueCategory
from tests.localities.factories import LocalityFactory


def _municipality_of(partner) -> Municipality:
    municipality = partner.locality.municipalities.order_by("code").first()
    if municipality is None:
        municipality = Municipality.objects.get(code="205")  # Kajaani
        partner.locality.municipalities.add(municipality)
    return municipality


class PartnerFactory(factory.django.DjangoModelFactory):
    """A venue of a locality; the municipality is the locality's first (Kajaani if it has none)."""

    class Meta:
        model = Partner

    locality = factory.SubFactory(LocalityFactory)
    role = PartnerRole.VENUE
    name = factory.Sequence(lambda n: f"Kohde {n}")
    parent_organisation = factory.Faker("company", locale="fi_FI")
    municipality = factory.LazyAttribute(_municipality_of)
    address = factory.Faker("street_address", locale="fi_FI")
    website = factory.Sequence(lambda n: f"https://kohde{n}.example.fi")
    sector = Sector.CULTURE
    category = VenueCategory.THEATRE
    offer_fi = "Vapaalippu lippukassalta."
    offer_sv = "Fribiljett i biljettkassan."
    offer_en = "Free ticket at the box office."
    listed_publicly = True
    issuer_kind = ""
    joined_on = datetime.date(2024, 1, 1)


class IssuerFactory(PartnerFactory):
    role = PartnerRole.ISSUER
    name = factory.Sequence(lambda n: f"Kortinjakaja {n}")
    sector = ""
    category = ""
    offer_fi = offer_sv = offer_en = ""
    listed_publicly = False
    issuer_kind = IssuerKind.SOCIAL_SERVICES


def create_partners(locality, count: int, *, role: str = PartnerRole.VENUE, first: int = 0) -> None:
    """`count` venues (or issuers) of `locality` in one insert, for tests of large networks: the factory's
    values, named `<role> <number>` from `first` on, so that they sort in creation order."""
    template = (PartnerFactory if role == PartnerRole.VENUE else IssuerFactory).build(locality=locality)
    fields = {
        field.attname: getattr(template, field.attname)
        for field in Partner._meta.concrete_fields
        if field.attname not in ("id", "name", "website")
    }
    Partner.objects.bulk_create(
        Partner(**fields, name=f"{role} {number:05}", website=f"https://{role}{number}.example.fi")
        for number in range(first, first + count)
    )


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name", locale="fi_FI")
    title = factory.Faker("job", locale="fi_FI")
    email = factory.Sequence(lambda n: f"yhteys{n}@example.fi")
    phone = "040 123 4567"
    is_primary = True
