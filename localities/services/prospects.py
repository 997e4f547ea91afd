"""The contact log of localities that do not run Kaikukortti yet."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaikukeskus import history
from localities.models import (
    Locality,
    ProspectContact,
)
from localities.permissions import require_staff
from localities.services.common import _refuse_unknown
from localities.services.locality import locality_update

PROSPECT_CONTACT_FIELDS = frozenset({"contacted_on", "channel", "summary", "next_step", "next_step_on"})


@transaction.atomic
def prospect_contact_log(*, actor, locality: Locality, **values) -> ProspectContact:
    """Staff log a contact with a locality that does not run the card: `contacted_on`, `channel`, `summary` and
    perhaps `next_step` and `next_step_on` (see `PROSPECT_CONTACT_FIELDS`). The first contact dates the
    locality."""
    require_staff(actor)
    _refuse_unknown(values, PROSPECT_CONTACT_FIELDS)
    if locality.status not in Locality.PROSPECT_CONTACT_STATUSES:
        raise ValidationError(_("The contact log is for localities that do not run Kaikukortti yet."))
    contact = ProspectContact(locality=locality, logged_by=actor, **values)
    _prospect_contact_save(actor=actor, contact=contact)
    return contact


@transaction.atomic
def prospect_contact_update(*, actor, contact: ProspectContact, **changes) -> ProspectContact:
    """Staff correct a logged contact; a date earlier than the locality's first contact dates it anew."""
    require_staff(actor)
    _refuse_unknown(changes, PROSPECT_CONTACT_FIELDS)
    for name, value in changes.items():
        setattr(contact, name, value)
    _prospect_contact_save(actor=actor, contact=contact)
    return contact


@transaction.atomic
def prospect_contact_delete(*, actor, contact: ProspectContact) -> None:
    """Staff remove a contact logged by mistake; its history keeps who removed it."""
    require_staff(actor)
    history.delete(contact, actor=actor, reason="deleted")


def _prospect_contact_save(*, actor, contact: ProspectContact) -> None:
    if contact.next_step_on and not contact.next_step:
        raise ValidationError({"next_step": _("Say what the next step is.")})
    history.save(contact, actor=actor, reason="logged" if contact.pk is None else "corrected")
    locality = contact.locality
    if locality.first_contact_on is None or contact.contacted_on < locality.first_contact_on:
        locality_update(actor=actor, locality=locality, first_contact_on=contact.contacted_on)
