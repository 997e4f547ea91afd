"""The partners' contact persons a coordinator can invite to the locality's feedback meeting (registered with
`localities.meeting_guests` in ready())."""

from django.utils import timezone

from localities.meeting_guests import Candidate
from localities.models import Locality
from networks.models import ContactPerson


def contact_persons(locality: Locality) -> list[Candidate]:
    contacts = (
        ContactPerson.objects.filter(partner__in=locality.partners.active_on(timezone.localdate()))
        .exclude(email="")
        .select_related("partner")
        .order_by("partner__name", "-is_primary", "name")
    )
    return [
        Candidate(name=contact.name, email=contact.email, organisation=contact.partner.name) for contact in contacts
    ]
