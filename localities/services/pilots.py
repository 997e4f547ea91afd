"""Pilots and their milestones: starting a pilot from the national template, moving its start, marking
steps done, correcting and reopening them."""

import datetime
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kaikukeskus import history
from kaikukeskus.models import User
from localities.models import (
    FollowUpAction,
    Locality,
    Milestone,
    MilestoneTemplate,
    Pilot,
)
from localities.permissions import require_scope, require_staff


@transaction.atomic
def pilot_create(*, actor: User | None, locality: Locality, planned_start_on: datetime.date) -> Pilot:
    """Start the locality's pilot: copy the national template's steps in use, each due its offset from the
    planned start. Later edits of the template leave this pilot alone."""
    require_staff(actor)
    if Pilot.objects.filter(locality=locality).exists():
        raise ValidationError(_("This locality has a pilot already."))
    pilot = Pilot(locality=locality, planned_start_on=planned_start_on, created_by=actor)
    pilot.full_clean()
    pilot.save()
    milestones = [
        Milestone.from_template(step, pilot=pilot)
        for step in MilestoneTemplate.objects.filter(is_active=True).order_by("position")
    ]
    for milestone in milestones:
        milestone.full_clean(exclude=["pilot"])
    Milestone.objects.bulk_create(milestones)
    return pilot


@transaction.atomic
def pilot_reschedule(
    *, actor: User | None, pilot: Pilot, planned_start_on: datetime.date, expected_version: int | None = None
) -> int:
    """Move the pilot's start: open milestones' due dates move by the same number of days; done ones keep
    theirs (they are history). Returns how many milestones moved. `StaleVersionError` when someone saved the
    pilot after the form at `expected_version` was opened (the status form passes None)."""
    require_staff(actor)
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    shift = planned_start_on - pilot.planned_start_on
    pilot.planned_start_on = planned_start_on
    history.save(pilot, actor=actor, reason="rescheduled", expected_version=expected_version)
    if not shift:
        return 0
    milestones = list(Milestone.objects.select_for_update().filter(pilot=pilot, done_on__isnull=True))
    for milestone in milestones:
        milestone.due_on += shift
    # One UPDATE batch plus one history row per milestone, so the timeline shows who moved the dates; a new
    # version each (the kernel's), so that a correction opened before reports a conflict.
    history.bulk_update(milestones, Milestone, ["due_on"], actor=actor, reason="pilot rescheduled")
    return len(milestones)


class AlreadyDoneError(ValidationError):
    """Someone marked it done first (a moment ago, or in another tab): nothing was overwritten."""

    def __init__(self, record: Milestone | FollowUpAction):
        when = formats.date_format(record.done_on) if record.done_on else "–"
        if record.done_by is None:
            message = _("This was marked done on %(date)s already; nothing was changed.") % {"date": when}
        else:
            message = _("%(name)s marked this done on %(date)s already; nothing was changed.") % {
                "name": record.done_by.display_name,
                "date": when,
            }
        super().__init__(message, code="already_done")


def _check_done_on(done_on: datetime.date) -> None:
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})


def _for_update(model, pk: int, *, actor: User | None, locality_path: str):
    """The row as it is now, locked until commit (so that two people marking it at once are told apart), if it
    lies in the actor's scope."""
    row = model.objects.select_for_update(of=("self",)).select_related(locality_path).get(pk=pk)
    require_scope(actor, attrgetter(locality_path.replace("__", "."))(row))
    return row


def _mark_done(row: Milestone | FollowUpAction, *, actor: User | None, done_on: datetime.date) -> None:
    """The first to mark it done keeps it: a row marked done already is refused with who did it and when."""
    if row.done_on is not None:
        raise AlreadyDoneError(row)
    _check_done_on(done_on)
    row.done_on = done_on
    row.done_by = actor


@transaction.atomic
def milestone_mark_done(
    *, actor: User | None, milestone: Milestone, done_on: datetime.date, note: str = ""
) -> Milestone:
    """A coordinator (or staff) marks an open milestone of their locality's pilot done. One marked done already
    is refused with who did it and when (`AlreadyDoneError`)."""
    milestone = _for_update(Milestone, milestone.pk, actor=actor, locality_path="pilot__locality")
    _mark_done(milestone, actor=actor, done_on=done_on)
    milestone.note = note
    history.save(milestone, actor=actor, reason="done")
    return milestone


@transaction.atomic
def milestone_correct(
    *,
    actor: User | None,
    milestone: Milestone,
    done_on: datetime.date,
    note: str = "",
    expected_version: int | None = None,
) -> Milestone:
    """Correct the date and note of a milestone marked done; who marked it done stays, history records who
    corrected it. `expected_version` is the version the correction form was opened with: `StaleVersionError` and
    nothing written when someone corrected, reopened or moved the milestone since (None overwrites knowingly)."""
    milestone = _for_update(Milestone, milestone.pk, actor=actor, locality_path="pilot__locality")
    if milestone.done_on is None:
        raise ValidationError(_("This milestone has been marked not done meanwhile; mark it done again if it is."))
    _check_done_on(done_on)
    milestone.done_on, milestone.note = done_on, note
    history.save(milestone, actor=actor, reason="corrected", expected_version=expected_version)
    return milestone


@transaction.atomic
def milestone_reopen(*, actor: User | None, milestone: Milestone) -> Milestone:
    """Undo a milestone marked done by mistake; its history keeps the earlier state."""
    milestone = _for_update(Milestone, milestone.pk, actor=actor, locality_path="pilot__locality")
    milestone.done_on = milestone.done_by = None
    history.save(milestone, actor=actor, reason="reopened")
    return milestone


@transaction.atomic
def milestone_delete(*, actor: User | None, milestone: Milestone) -> None:
    """Staff remove a milestone from a pilot in the admin; its history keeps it."""
    require_staff(actor)
    history.delete(milestone, actor=actor, reason="deleted")


@transaction.atomic
def milestone_save(*, actor: User | None, milestone: Milestone, expected_version: int | None = None) -> Milestone:
    """Staff change a milestone's position, titles or due date in the admin (whether it is done moves only
    through the services above). `StaleVersionError` when someone saved it after `expected_version`."""
    require_staff(actor)
    history.save(milestone, actor=actor, reason="edited", expected_version=expected_version)
    return milestone
