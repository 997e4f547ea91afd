"""Feedback meetings and their follow-up actions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaikukeskus import history
from kaikukeskus.models import User
from localities.models import (
    FeedbackMeeting,
    FollowUpAction,
    Locality,
)
from localities.permissions import require_staff
from localities.services.pilots import _for_update, _mark_done


@transaction.atomic
def feedback_meeting_save(*, actor: User | None, meeting: FeedbackMeeting) -> FeedbackMeeting:
    """Staff record (or correct) a feedback meeting. Its participants and actions are saved by the caller's
    forms after this, inside the same request transaction."""
    require_staff(actor)
    reason = "edited" if meeting.pk else "created"
    if meeting.pk is None:
        meeting.created_by = actor
    history.save(meeting, actor=actor, reason=reason)
    return meeting


@transaction.atomic
def feedback_meeting_create(
    *,
    actor: User | None,
    locality: Locality,
    held_on: datetime.date,
    participants=(),
    attendance: str = "",
    attendee_count: int | None = None,
    summary: str = "",
    actions: list[dict] | None = None,
) -> FeedbackMeeting:
    """Staff record a meeting with its Kaikukeskus participants and follow-up actions
    (`{"description", "due_on", "owner" or "owner_name"}`)."""
    meeting = FeedbackMeeting(
        locality=locality, held_on=held_on, attendance=attendance, attendee_count=attendee_count, summary=summary
    )
    feedback_meeting_save(actor=actor, meeting=meeting)
    participants = list(participants)
    if any(not participant.is_national_staff for participant in participants):
        raise ValidationError({"kaikukeskus_participants": _("Participants must be Kaikukeskus staff.")})
    meeting.kaikukeskus_participants.set(participants)
    for values in actions or []:
        follow_up_action_save(actor=actor, action=FollowUpAction(meeting=meeting, **values))
    return meeting


@transaction.atomic
def feedback_meeting_delete(*, actor: User | None, meeting: FeedbackMeeting) -> None:
    """Staff remove a meeting recorded by mistake, with its follow-up actions; the history keeps each with who
    removed it."""
    require_staff(actor)
    for action in meeting.actions.all():
        history.delete(action, actor=actor, reason="deleted")
    history.delete(meeting, actor=actor, reason="deleted")


@transaction.atomic
def follow_up_action_save(*, actor, action: FollowUpAction) -> FollowUpAction:
    """Staff add a follow-up action to a meeting or change its description, owner or due date (whether it is
    done moves only through `follow_up_action_mark_done`)."""
    require_staff(actor)
    history.save(action, actor=actor, reason="edited" if action.pk else "created")
    return action


@transaction.atomic
def follow_up_action_delete(*, actor, action: FollowUpAction) -> None:
    """Staff remove a follow-up action recorded by mistake; its history keeps it."""
    require_staff(actor)
    history.delete(action, actor=actor, reason="deleted")


@transaction.atomic
def follow_up_action_mark_done(
    *, actor: User | None, action: FollowUpAction, done_on: datetime.date | None = None
) -> FollowUpAction:
    """Mark an open follow-up action done (today unless said). One marked done already is refused with who did
    it and when (`AlreadyDoneError`)."""
    action = _for_update(FollowUpAction, action.pk, actor=actor, locality_path="meeting__locality")
    _mark_done(action, actor=actor, done_on=done_on or timezone.localdate())
    history.save(action, actor=actor, reason="done")
    return action
