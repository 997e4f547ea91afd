"""Signed agreements between Kaikukeskus and a locality."""

import datetime

from django.db import transaction

from kaikukeskus import history
from kaikukeskus.models import User
from localities.models import (
    Locality,
    LocalityAgreement,
)
from localities.permissions import require_staff


@transaction.atomic
def agreement_create(
    *,
    actor: User | None,
    locality: Locality,
    signed_on: datetime.date,
    valid_from: datetime.date,
    document,
    valid_until: datetime.date | None = None,
    title: str = "",
) -> LocalityAgreement:
    """Staff file a signed agreement. The document is checked (extension, content, size) before it is stored
    in the private storage."""
    require_staff(actor)
    agreement = LocalityAgreement(
        locality=locality,
        title=title,
        signed_on=signed_on,
        valid_from=valid_from,
        valid_until=valid_until,
        document=document,
        original_filename=getattr(document, "name", "")[:200],
        uploaded_by=actor,
    )
    history.save(agreement, actor=actor, reason="created")
    return agreement


@transaction.atomic
def agreement_save(*, actor, agreement: LocalityAgreement) -> LocalityAgreement:
    """Staff correct a filed agreement's title and dates in the admin (its document is replaced by filing a new
    agreement, never overwritten)."""
    require_staff(actor)
    if agreement.pk is None:
        raise ValueError("an agreement is filed with agreement_create, which checks its document")
    history.save(agreement, actor=actor, reason="edited")
    return agreement


@transaction.atomic
def agreement_delete(*, actor: User | None, agreement: LocalityAgreement) -> None:
    """Staff remove an agreement filed by mistake in the admin; its history keeps it and who removed it."""
    require_staff(actor)
    history.delete(agreement, actor=actor, reason="deleted")
