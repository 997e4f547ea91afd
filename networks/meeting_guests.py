"""The partners' contact persons (registered with `localities.meeting_guests` in ready()): those with an e-mail
address a coordinator can invite to the locality's feedback meeting; every one's name is kept out of texts made
public."""

from django.utils import timezone

from localities.meeting_guests import Candidate
from localities.models import Locality
from networks.models import ContactPerson


def contact_persons(locality: Locality) -> list[Candidate]:
    contacts = (
        ContactPerson.objects.filter(partner__in=locality.partners.active_on(timezone.localdate()))
        .select_related("partner")
        .order_by("partner__name", "-is_primary", "name")
    )
    return [
        Candidate(name=contact.name, email=contact.email, organisation=contact.partner.name) for contact in contacts
    ]
