"""Feedback meetings and their follow-up actions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history, ics, mail
from kaikukeskus.models import User
from localities import selectors
from localities.models import (
    FeedbackMeeting,
    FeedbackMeetingGuest,
    FollowUpAction,
    Locality,
)
from localities.permissions import require_scope, require_staff
from localities.services.pilots import _for_update, _mark_done

history.register_reasons(
    {
        "planned": _l("Planned"),
        "invited": _l("Invited"),
        "recorded": _l("Recorded"),
        "reminded": _l("Reminded"),
        "feedback_meeting.moved": _l("Moved"),
        "feedback_meeting.cancelled": _l("Cancelled"),
    }
)


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


# --- Planned meetings: invitations and reminders -----------------------------------------------------------

INVITATION = "localities/email/feedback_meeting_invitation.txt"
REMINDER = "localities/email/feedback_meeting_reminder.txt"
MOVED = "localities/email/feedback_meeting_moved.txt"
CANCELLED = "localities/email/feedback_meeting_cancelled.txt"
REMIND_HOURS_BEFORE = 24


def _event_uid(meeting: FeedbackMeeting, who: str) -> str:
    return ics.uid(f"feedback-meeting-{meeting.pk}-{who}")


def _calendar(meeting: FeedbackMeeting, *, who: str, language: str) -> mail.Attachment:
    """The meeting's event for one person: the same UID in every file about it, its `sequence` raised when it
    moves, and a cancelled meeting's file cancels the event (METHOD:CANCEL, STATUS:CANCELLED)."""
    if meeting.starts_at is None:
        raise ValueError("a planned meeting has a start")
    cancelled = meeting.state == FeedbackMeeting.State.CANCELLED
    with translation.override(language):
        summary = _("Kaikukortti feedback meeting, %(locality)s") % {"locality": meeting.locality.name}
    content = ics.event_calendar(
        uid=_event_uid(meeting, who),
        start=meeting.starts_at,
        end=meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=2),
        summary=summary,
        description=meeting.agenda,
        location=meeting.where,
        cancelled=cancelled,
        sequence=meeting.sequence,
    )
    return ics.attachment(content, cancelled=cancelled)


def _invitees(meeting: FeedbackMeeting) -> list[tuple[str, str, str]]:
    """(who, address, language) of the portal users a planned meeting invites: the locality's active
    coordinators and the staff chosen, once each; then the guests invited by e-mail."""
    users = {user.pk: user for user in selectors.coordinators_to_tell(locality=meeting.locality)}
    for user in meeting.invited_staff.all():
        users.setdefault(user.pk, user)
    people = [(f"user-{user.pk}", user.email, mail.language_of(user)) for user in users.values() if user.is_active]
    people += [(f"guest-{guest.pk}", guest.email, guest.language) for guest in meeting.guests.all()]
    return people


def _send(meeting: FeedbackMeeting, *, template: str, who: str, to: str, language: str, **extra) -> None:
    mail.send_later(
        to=to,
        template=template,
        context={
            **extra,
            "meeting": meeting,
            "locality": meeting.locality,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
            # Guests have no account: only portal users get the link to the meeting's page.
            "url": mail.site_url(
                "localities:meeting-detail",
                language=language,
                kwargs={"slug": meeting.locality.slug, "pk": meeting.pk},
            )
            if who.startswith("user-")
            else "",
        },
        language=language,
        attachments=[_calendar(meeting, who=who, language=language)],
    )


@transaction.atomic
def feedback_meeting_plan(
    *,
    actor: User | None,
    locality: Locality,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    online_link: str = "",
    agenda: str = "",
    staff=(),
) -> FeedbackMeeting:
    """Staff or one of the locality's coordinators propose a feedback meeting. The locality's coordinators and
    the staff chosen are invited by e-mail, each in their language, with the event as an .ics file."""
    require_scope(actor, locality)
    staff = list(staff)
    if any(not person.is_national_staff for person in staff):
        raise ValidationError({"staff": _("Invite Kaikukeskus staff here; partners are invited by e-mail.")})
    if not place.strip() and not online_link.strip():
        raise ValidationError(_("Give a place or an online meeting link."))
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A planned meeting starts in the future.")})
    meeting = FeedbackMeeting(
        locality=locality,
        state=FeedbackMeeting.State.PLANNED,
        held_on=timezone.localdate(starts_at),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_link=online_link.strip(),
        agenda=agenda.strip(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    history.save(meeting, actor=actor, reason="planned")
    meeting.invited_staff.set(staff)
    for who, address, language in _invitees(meeting):
        _send(meeting, template=INVITATION, who=who, to=address, language=language)
    return meeting


def _planned_ahead_for_update(*, actor: User | None, meeting: FeedbackMeeting) -> FeedbackMeeting:
    """The meeting, locked, if it may still change: planned and not yet begun (a held one has its record)."""
    meeting = FeedbackMeeting.objects.select_for_update().select_related("locality").get(pk=meeting.pk)
    require_scope(actor, meeting.locality)
    if not meeting.is_planned or meeting.starts_at is None or meeting.starts_at <= timezone.now():
        raise ValidationError(_("Only a planned meeting that is still ahead can be moved or cancelled."))
    return meeting


@transaction.atomic
def feedback_meeting_move(
    *,
    actor: User | None,
    meeting: FeedbackMeeting,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
) -> FeedbackMeeting:
    """Staff or the locality's coordinator move a planned meeting to a new time. Everyone invited is told in
    their language, with the calendar file that replaces the event (same UID, a higher SEQUENCE); the
    reminder is sent again before the new time."""
    meeting = _planned_ahead_for_update(actor=actor, meeting=meeting)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A planned meeting starts in the future.")})
    previous = timezone.localtime(meeting.starts_at)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.held_on = timezone.localdate(starts_at)
    meeting.sequence += 1
    meeting.reminder_sent_at = None
    history.save(meeting, actor=actor, reason="feedback_meeting.moved")
    for who, address, language in _invitees(meeting):
        _send(meeting, template=MOVED, who=who, to=address, language=language, previous_starts_at=previous)
    return meeting


@transaction.atomic
def feedback_meeting_cancel(*, actor: User | None, meeting: FeedbackMeeting, reason: str = "") -> FeedbackMeeting:
    """Staff or the locality's coordinator cancel a planned meeting. Everyone invited is told in their language,
    with the calendar file that removes the event (METHOD:CANCEL); nobody is reminded of it any more."""
    meeting = _planned_ahead_for_update(actor=actor, meeting=meeting)
    reason = reason.strip()
    meeting.state = FeedbackMeeting.State.CANCELLED
    history.save(meeting, actor=actor, reason=history.with_detail("feedback_meeting.cancelled", reason))
    for who, address, language in _invitees(meeting):
        _send(meeting, template=CANCELLED, who=who, to=address, language=language, reason=reason)
    return meeting


@transaction.atomic
def feedback_meeting_invite_guests(
    *, actor: User | None, meeting: FeedbackMeeting, addresses: list[tuple[str, str]], language: str
) -> int:
    """The coordinator (or staff) invite local partners' contact persons, `(name, address)` each, by e-mail in
    `language`. An address invited already is not invited twice. Returns how many were invited now."""
    meeting = FeedbackMeeting.objects.select_for_update().select_related("locality").get(pk=meeting.pk)
    require_scope(actor, meeting.locality)
    if not meeting.is_planned or meeting.starts_at is None or meeting.starts_at <= timezone.now():
        raise ValidationError(_("Guests are invited to a meeting that is still ahead."))
    invited = {email.lower() for email in meeting.guests.values_list("email", flat=True)}
    count = 0
    for name, address in addresses:
        address = address.strip()
        if not address or address.lower() in invited:
            continue
        invited.add(address.lower())
        guest = FeedbackMeetingGuest(
            meeting=meeting,
            name=name.strip()[:150],
            email=address,
            language=language,
            invited_by=actor if actor is not None and actor.is_authenticated else None,
        )
        history.save(guest, actor=actor, reason="invited")
        _send(meeting, template=INVITATION, who=f"guest-{guest.pk}", to=guest.email, language=guest.language)
        count += 1
    return count


@transaction.atomic
def feedback_meeting_record(
    *,
    actor: User | None,
    meeting: FeedbackMeeting,
    participants=(),
    attendance: str = "",
    attendee_count: int | None = None,
    summary: str = "",
    action: dict | None = None,
) -> FeedbackMeeting:
    """After the meeting, staff or the locality's coordinator fill in its record from the meeting's page: it is
    held, with its Kaikukeskus participants, attendance, summary and a new follow-up action if one is given
    (`{"description", "due_on", "owner_name"}`)."""
    meeting = FeedbackMeeting.objects.select_for_update().select_related("locality").get(pk=meeting.pk)
    require_scope(actor, meeting.locality)
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting has no record."))
    if meeting.starts_at is not None and meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting is recorded once it has begun."))
    participants = list(participants)
    if any(not participant.is_national_staff for participant in participants):
        raise ValidationError({"participants": _("Participants must be Kaikukeskus staff.")})
    meeting.state = FeedbackMeeting.State.HELD
    meeting.attendance, meeting.attendee_count, meeting.summary = attendance.strip(), attendee_count, summary.strip()
    history.save(meeting, actor=actor, reason="recorded")
    meeting.kaikukeskus_participants.set(participants)
    if action:
        history.save(FollowUpAction(meeting=meeting, **action), actor=actor, reason="created")
    return meeting


@transaction.atomic
def feedback_meeting_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone invited to a planned meeting that begins within a day, once (`reminder_sent_at`): safe
    to run twice. Returns how many meetings."""
    now = now or timezone.now()
    meetings = list(
        FeedbackMeeting.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            state=FeedbackMeeting.State.PLANNED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(hours=REMIND_HOURS_BEFORE),
        )
        .select_related("locality")
    )
    for meeting in meetings:
        meeting.reminder_sent_at = now
        history.save(meeting, actor=None, reason="reminded", update_fields=["reminder_sent_at"], clean=False)
        for who, address, language in _invitees(meeting):
            _send(meeting, template=REMINDER, who=who, to=address, language=language)
    return len(meetings)
