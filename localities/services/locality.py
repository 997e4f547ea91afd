"""A locality's record and its lifecycle: the allowed moves between statuses and the dates each needs."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history
from kaikukeskus.models import User
from localities.models import (
    Locality,
    LocalityStatusChange,
    Pilot,
)
from localities.permissions import require_scope, require_staff
from localities.services.common import _refuse_unknown
from localities.services.pilots import pilot_create, pilot_reschedule

S = Locality.Status


def allowed_transitions(locality: Locality) -> list[str]:
    """The statuses the locality may move to, in the lifecycle's order."""
    allowed = Locality.ALLOWED_TRANSITIONS[locality.status]
    return [value for value in S.values if value in allowed]


# What staff edit on a locality besides its status, which moves only through `locality_transition`.
LOCALITY_FIELDS = frozenset(
    {
        "name_fi",
        "name_sv",
        "name_en",
        "slug",
        "kind",
        "county",
        "municipalities",
        *Locality.LIFECYCLE_DATES,
        "website",
        "feedback_email",
        *Locality.PUBLIC_FACT_FIELDS,
        "local_only_card",
        "staff_notes",
        "owner",
        "lost_reason",
    }
)


@transaction.atomic
def locality_update(
    *, actor: User | None, locality: Locality, expected_version: int | None = None, **changes
) -> Locality:
    """Staff create (a new locality starts as a prospect) or edit a locality: its names, municipalities, public
    facts, notes and dates. The dates are checked against each other as in the lifecycle; the status itself
    moves only through `locality_transition`. `expected_version` is the version the form was opened with:
    `StaleVersionError` and nothing written when someone saved the locality since (None overwrites knowingly)."""
    require_staff(actor)
    _refuse_unknown(changes, LOCALITY_FIELDS)
    municipalities = changes.pop("municipalities", None)
    if locality.pk is None:
        locality.status = S.PROSPECT
    for name, value in changes.items():
        setattr(locality, name, value)
    history.save(locality, actor=actor, reason="edited", expected_version=expected_version)
    if municipalities is not None:
        locality.municipalities.set(municipalities)
    return locality


history.register_reasons({"public facts": _l("Public facts edited")})


@transaction.atomic
def locality_public_facts_update(
    *, actor: User | None, locality: Locality, expected_version: int | None, **changes
) -> Locality:
    """A coordinator of the locality (or staff) keeps its public facts current: the description, the local web
    page, the feedback address and how to get the card here (`Locality.PUBLIC_FACT_FIELDS`), nothing else. The
    form's `expected_version` guards against saving over another coordinator's newer text."""
    require_scope(actor, locality)
    _refuse_unknown(changes, frozenset(Locality.PUBLIC_FACT_FIELDS))
    for name, value in changes.items():
        setattr(locality, name, value)
    history.save(
        locality,
        actor=actor,
        reason="public facts",
        expected_version=expected_version,
        update_fields=list(changes),
    )
    return locality


@transaction.atomic
def locality_transition(
    *,
    actor: User | None,
    locality: Locality,
    to_status: str,
    pilot_start_on: datetime.date | None = None,
    pilot_end_on: datetime.date | None = None,
    permanent_since: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    effective_on: datetime.date | None = None,
    note: str = "",
    reschedule_open_milestones: bool = False,
) -> LocalityStatusChange:
    """Move the locality in its lifecycle, enforcing the allowed moves and their dates, and log who did it.

    Preparing needs the planned pilot start and starts the pilot (its checklist is copied from the national
    template); piloting needs the pilot start; permanent needs the permanent-since date; ended needs the end
    date. Dates not given are taken from the locality when it has them already. With
    `reschedule_open_milestones`, a pilot that starts on another day than planned moves its open milestones'
    due dates by the difference."""
    require_staff(actor)
    locality = Locality.objects.select_for_update().get(pk=locality.pk)
    from_status = locality.status
    if to_status not in S.values:
        raise ValidationError({"to_status": _("Unknown status.")})
    if to_status == from_status:
        raise ValidationError(
            {"to_status": _("The locality is already in status “%(status)s”.") % {"status": S(to_status).label}}
        )
    if to_status not in Locality.ALLOWED_TRANSITIONS[from_status]:
        raise ValidationError(
            {
                "to_status": _("A locality cannot move from “%(from)s” to “%(to)s”.")
                % {"from": S(from_status).label, "to": S(to_status).label}
            }
        )

    errors: dict[str, str] = {}
    pilot_start_on = pilot_start_on or locality.pilot_start_on
    pilot_end_on = pilot_end_on or locality.pilot_end_on
    if to_status in (S.PREPARING, S.PILOTING) and pilot_start_on is None:
        errors["pilot_start_on"] = (
            _("Preparing a pilot needs its planned start date.")
            if to_status == S.PREPARING
            else _("A pilot needs its start date.")
        )
    if to_status == S.PERMANENT:
        permanent_since = permanent_since or locality.permanent_since
        if permanent_since is None:
            errors["permanent_since"] = _("Permanent use needs the date since when.")
    if to_status == S.ENDED:
        ended_on = ended_on or locality.ended_on
        if ended_on is None:
            errors["ended_on"] = _("Ending needs the date when Kaikukortti ended.")
    if errors:
        raise ValidationError(errors)

    locality.status = to_status
    locality.pilot_start_on = pilot_start_on
    locality.pilot_end_on = pilot_end_on
    if to_status == S.PERMANENT:
        locality.permanent_since = permanent_since
    if to_status == S.ENDED:
        locality.ended_on = ended_on
    elif from_status == S.ENDED:
        # Contacted again after ending: the end date belongs to the log now, not to the running record.
        locality.ended_on = None
    history.save(locality, actor=actor, reason=history.with_detail("status", note or f"{from_status} → {to_status}"))

    pilot = Pilot.objects.filter(locality=locality).first()
    if to_status in (S.PREPARING, S.PILOTING) and pilot is None and pilot_start_on is not None:
        pilot_create(actor=actor, locality=locality, planned_start_on=pilot_start_on)
    elif pilot and reschedule_open_milestones and pilot_start_on and pilot_start_on != pilot.planned_start_on:
        pilot_reschedule(actor=actor, pilot=pilot, planned_start_on=pilot_start_on)

    default_effective = {
        S.PILOTING: pilot_start_on,
        S.PERMANENT: permanent_since,
        S.ENDED: ended_on,
    }.get(S(to_status))
    change = LocalityStatusChange(
        locality=locality,
        from_status=from_status,
        to_status=to_status,
        effective_on=effective_on or default_effective or timezone.localdate(),
        note=note,
        changed_by=actor,
    )
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def locality_delete(*, actor: User | None, locality: Locality) -> None:
    """Staff remove a locality added by mistake. One with partners or reports is refused (they hold the
    network's history and the statistics): its status records that it ended instead."""
    require_staff(actor)
    if locality.partners.exists() or locality.reports.exists():
        raise ValidationError(
            _("%(locality)s has partners or reports and cannot be deleted. Move it to the status “%(ended)s” instead.")
            % {"locality": locality, "ended": S.ENDED.label}
        )
    history.delete(locality, actor=actor, reason="deleted")
