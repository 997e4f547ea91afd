"""Writes for localities. Every state change is a function here: keyword-only, one transaction, `actor=` for
checks and history, e-mail sent after commit."""

import datetime
import hashlib
import secrets
from operator import attrgetter

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history
from kaikukeskus.mail import language_of, send_later, site_url
from localities.models import (
    AccessRequest,
    Coordinator,
    FeedbackMeeting,
    FollowUpAction,
    Invitation,
    Locality,
    LocalityAgreement,
    LocalityStatusChange,
    Milestone,
    MilestoneTemplate,
    OverdueReminder,
    Pilot,
    ProspectContact,
    Side,
)
from localities.permissions import require_scope, require_staff

User = get_user_model()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str, *, language: str) -> str:
    return site_url("localities:invitation-accept", language=language, kwargs={"token": token})


@transaction.atomic
def invitation_create(
    *, actor, email: str, locality: Locality, side: str, language: str = "fi"
) -> tuple[Invitation, str]:
    """Staff invite a coordinator. Returns the invitation and the raw token (only its hash is stored); the
    e-mail with the single-use link leaves after commit, in the invitee's language."""
    require_staff(actor)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=User.objects.normalize_email(email).lower(),
        locality=locality,
        side=side,
        language=language,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    send_later(
        to=invitation.email,
        template="localities/email/invitation.txt",
        context={
            "invitation": invitation,
            "link": invitation_link(token, language=language),
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
        language=invitation.language,
    )
    return invitation, token


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation if the token is known, unused and not expired; else None (all three look alike)."""
    invitation = Invitation.objects.select_related("locality").filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str | None, user=None):
    """Accept an invitation: create the user (or use the logged-in user whose e-mail it was sent to), set the
    password, mark the e-mail verified and open the coordinator membership. Single use: the row is locked."""
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).select_related("locality").first()
    )
    if invitation is None or not invitation.is_usable:
        raise ValidationError(_("This invitation link is not valid any more. Ask Kaikukeskus for a new one."))
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None and user.has_usable_password():
            raise ValidationError(_("You already have an account. Log in first, then open the link again."))
        if user is None:
            user = User(email=invitation.email, preferred_language=invitation.language)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from error
        user.set_password(password)
        user.save()
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    coordinator_start(user=user, locality=invitation.locality, side=invitation.side)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def coordinator_start(*, user, locality: Locality, side: str) -> Coordinator:
    """Open a membership unless one is open already (then its side is updated)."""
    coordinator = Coordinator.objects.filter(user=user, locality=locality, ended_on__isnull=True).first()
    if coordinator is None:
        coordinator = Coordinator(user=user, locality=locality, side=Side(side))
    coordinator.side = side
    coordinator.full_clean()
    coordinator.save()
    return coordinator


@transaction.atomic
def coordinator_end(*, actor, coordinator: Coordinator, ended_on: datetime.date | None = None) -> Coordinator:
    """End a membership; the row stays for history."""
    require_staff(actor)
    coordinator.ended_on = ended_on or timezone.localdate()
    coordinator.full_clean()
    coordinator.save(update_fields=["ended_on"])
    return coordinator


@transaction.atomic
def invitations_purge_expired(*, older_than_days: int = 30) -> int:
    """Forget unaccepted invitations (an e-mail address is personal data) a while after they expired."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _per_model = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted


# --- Lifecycle --------------------------------------------------------------------------------------------

S = Locality.Status

# The allowed moves. A prospect prepares a pilot, pilots and becomes permanent; any running locality may pause
# or end; a paused one resumes where it makes sense; an ended one may become a prospect again.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROSPECT: frozenset({S.PREPARING, S.ENDED}),
    S.PREPARING: frozenset({S.PROSPECT, S.PILOTING, S.PAUSED, S.ENDED}),
    S.PILOTING: frozenset({S.PERMANENT, S.PAUSED, S.ENDED}),
    S.PERMANENT: frozenset({S.PAUSED, S.ENDED}),
    S.PAUSED: frozenset({S.PREPARING, S.PILOTING, S.PERMANENT, S.ENDED}),
    S.ENDED: frozenset({S.PROSPECT}),
}


def allowed_transitions(locality: Locality) -> list[str]:
    """The statuses the locality may move to, in the lifecycle's order."""
    allowed = ALLOWED_TRANSITIONS[locality.status]
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
        "local_only_card",
        "staff_notes",
    }
)


def _refuse_unknown(values: dict, allowed: frozenset[str]) -> None:
    """A service that takes a row's fields as keywords writes only those it names (never a status or who)."""
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"cannot write {', '.join(sorted(unknown))}")


history.register_reasons(
    {
        "status": _l("Status changed"),
        "done": _l("Marked done"),
        "corrected": _l("Corrected"),
        "reopened": _l("Reopened"),
        "logged": _l("Logged"),
        "message written": _l("Message written"),
        "approved": _l("Approved"),
        "declined": _l("Declined"),
        "pilot rescheduled": _l("Pilot rescheduled"),
        "rescheduled": _l("Rescheduled"),
    }
)


@transaction.atomic
def locality_update(*, actor, locality: Locality, expected_version: int | None = None, **changes) -> Locality:
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


@transaction.atomic
def locality_transition(
    *,
    actor,
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
    if to_status not in ALLOWED_TRANSITIONS[from_status]:
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
    if to_status in (S.PREPARING, S.PILOTING) and pilot is None:
        pilot_create(actor=actor, locality=locality, planned_start_on=pilot_start_on)
    elif pilot and reschedule_open_milestones and pilot_start_on and pilot_start_on != pilot.planned_start_on:
        pilot_reschedule(actor=actor, pilot=pilot, planned_start_on=pilot_start_on)

    default_effective = {
        S.PILOTING: pilot_start_on,
        S.PERMANENT: permanent_since,
        S.ENDED: ended_on,
    }.get(to_status)
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


# --- Pilots -----------------------------------------------------------------------------------------------


@transaction.atomic
def pilot_create(*, actor, locality: Locality, planned_start_on: datetime.date) -> Pilot:
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
    *, actor, pilot: Pilot, planned_start_on: datetime.date, expected_version: int | None = None
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
        when = formats.date_format(record.done_on)
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


def _for_update(model, pk: int, *, actor, locality_path: str):
    """The row as it is now, locked until commit (so that two people marking it at once are told apart), if it
    lies in the actor's scope."""
    row = model.objects.select_for_update(of=("self",)).select_related(locality_path).get(pk=pk)
    require_scope(actor, attrgetter(locality_path.replace("__", "."))(row))
    return row


def _mark_done(row: Milestone | FollowUpAction, *, actor, done_on: datetime.date) -> None:
    """The first to mark it done keeps it: a row marked done already is refused with who did it and when."""
    if row.done_on is not None:
        raise AlreadyDoneError(row)
    _check_done_on(done_on)
    row.done_on = done_on
    row.done_by = actor


@transaction.atomic
def milestone_mark_done(*, actor, milestone: Milestone, done_on: datetime.date, note: str = "") -> Milestone:
    """A coordinator (or staff) marks an open milestone of their locality's pilot done. One marked done already
    is refused with who did it and when (`AlreadyDoneError`)."""
    milestone = _for_update(Milestone, milestone.pk, actor=actor, locality_path="pilot__locality")
    _mark_done(milestone, actor=actor, done_on=done_on)
    milestone.note = note
    history.save(milestone, actor=actor, reason="done")
    return milestone


@transaction.atomic
def milestone_correct(
    *, actor, milestone: Milestone, done_on: datetime.date, note: str = "", expected_version: int | None = None
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
def milestone_reopen(*, actor, milestone: Milestone) -> Milestone:
    """Undo a milestone marked done by mistake; its history keeps the earlier state."""
    milestone = _for_update(Milestone, milestone.pk, actor=actor, locality_path="pilot__locality")
    milestone.done_on = milestone.done_by = None
    history.save(milestone, actor=actor, reason="reopened")
    return milestone


@transaction.atomic
def milestone_save(*, actor, milestone: Milestone, expected_version: int | None = None) -> Milestone:
    """Staff change a milestone's position, titles or due date in the admin (whether it is done moves only
    through the services above). `StaleVersionError` when someone saved it after `expected_version`."""
    require_staff(actor)
    history.save(milestone, actor=actor, reason="edited", expected_version=expected_version)
    return milestone


# --- Feedback meetings ------------------------------------------------------------------------------------


@transaction.atomic
def feedback_meeting_save(*, actor, meeting: FeedbackMeeting) -> FeedbackMeeting:
    """Staff record (or correct) a feedback meeting. Its participants and actions are saved by the caller's
    forms after this, inside the same request transaction."""
    require_staff(actor)
    if meeting.pk is None:
        meeting.created_by = actor
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def feedback_meeting_create(
    *,
    actor,
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
        action = FollowUpAction(meeting=meeting, **values)
        action.full_clean()
        action.save()
    return meeting


@transaction.atomic
def follow_up_action_mark_done(
    *, actor, action: FollowUpAction, done_on: datetime.date | None = None
) -> FollowUpAction:
    """Mark an open follow-up action done (today unless said). One marked done already is refused with who did
    it and when (`AlreadyDoneError`)."""
    action = _for_update(FollowUpAction, action.pk, actor=actor, locality_path="meeting__locality")
    _mark_done(action, actor=actor, done_on=done_on or timezone.localdate())
    history.save(action, actor=actor, reason="done")
    return action


# --- Agreements -------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor,
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
    agreement.full_clean()
    agreement.save()
    return agreement


# --- Prospects --------------------------------------------------------------------------------------------

PROSPECT_CONTACT_STATUSES = (S.PROSPECT, S.PREPARING, S.PAUSED, S.ENDED)
PROSPECT_CONTACT_FIELDS = frozenset({"contacted_on", "channel", "summary", "next_step", "next_step_on"})


@transaction.atomic
def prospect_contact_log(*, actor, locality: Locality, **values) -> ProspectContact:
    """Staff log a contact with a locality that does not run the card: `contacted_on`, `channel`, `summary` and
    perhaps `next_step` and `next_step_on` (see `PROSPECT_CONTACT_FIELDS`). The first contact dates the
    locality."""
    require_staff(actor)
    _refuse_unknown(values, PROSPECT_CONTACT_FIELDS)
    if locality.status not in PROSPECT_CONTACT_STATUSES:
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


# --- Access requests --------------------------------------------------------------------------------------

ACCESS_REQUEST_STATUSES = (S.PREPARING, S.PILOTING, S.PERMANENT, S.PAUSED)


@transaction.atomic
def access_request_create(*, actor, locality: Locality, side: str, reason: str = "") -> AccessRequest:
    """A coordinator asks to coordinate a further locality. Staff see it in the administration."""
    if not Coordinator.objects.active().filter(user=actor).exists():
        raise PermissionDenied(_("Only coordinators can ask for access to a further locality."))
    if locality.status not in ACCESS_REQUEST_STATUSES:
        raise ValidationError({"locality": _("Choose a locality that prepares or runs Kaikukortti.")})
    if Coordinator.objects.active().filter(user=actor, locality=locality).exists():
        raise ValidationError({"locality": _("You coordinate this locality already.")})
    if AccessRequest.objects.filter(user=actor, locality=locality, status=AccessRequest.Status.PENDING).exists():
        raise ValidationError({"locality": _("You have asked for this locality already; Kaikukeskus will answer.")})
    access_request = AccessRequest(user=actor, locality=locality, side=side, reason=reason)
    access_request.full_clean()
    access_request.save()
    return access_request


def _pending_for_update(access_request: AccessRequest) -> AccessRequest:
    """The request, locked; only a pending one may change (the decision has been sent)."""
    access_request = (
        AccessRequest.objects.select_for_update().select_related("user", "locality").get(pk=access_request.pk)
    )
    if access_request.status != AccessRequest.Status.PENDING:
        raise ValidationError(_("This request has been decided already."))
    return access_request


@transaction.atomic
def access_request_note_update(*, actor, access_request: AccessRequest, note: str) -> AccessRequest:
    """Staff write the message to the coordinator before deciding; it is sent with the decision."""
    require_staff(actor)
    access_request = _pending_for_update(access_request)
    access_request.decision_note = note
    history.save(access_request, actor=actor, reason="message written")
    return access_request


def _decide(*, actor, access_request: AccessRequest, status: str, note: str | None) -> AccessRequest:
    """`note` None sends the message staff wrote before deciding (`access_request_note_update`)."""
    require_staff(actor)
    access_request = _pending_for_update(access_request)
    access_request.status = status
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    if note is not None:
        access_request.decision_note = note
    history.save(access_request, actor=actor, reason=status)
    _send_access_request_decision(access_request=access_request)
    return access_request


@transaction.atomic
def access_request_approve(*, actor, access_request: AccessRequest, note: str | None = None) -> AccessRequest:
    """Approve: the membership opens at once; the coordinator is told by e-mail and on the portal."""
    access_request = _decide(
        actor=actor, access_request=access_request, status=AccessRequest.Status.APPROVED, note=note
    )
    coordinator_start(user=access_request.user, locality=access_request.locality, side=access_request.side)
    return access_request


@transaction.atomic
def access_request_decline(*, actor, access_request: AccessRequest, note: str | None = None) -> AccessRequest:
    return _decide(actor=actor, access_request=access_request, status=AccessRequest.Status.DECLINED, note=note)


def _send_access_request_decision(*, access_request: AccessRequest) -> None:
    user = access_request.user
    language = language_of(user)
    send_later(
        to=user.email,
        template="localities/email/access_request_decided.txt",
        context={
            "access_request": access_request,
            "approved": access_request.status == AccessRequest.Status.APPROVED,
            "portal_link": site_url("portal", language=language),
        },
        language=language,
    )


# --- Overdue reminders ------------------------------------------------------------------------------------


@transaction.atomic
def overdue_reminders_send(*, on: datetime.date | None = None) -> int:
    """E-mail every active coordinator the overdue milestones and follow-up actions of their localities, and
    every national staff member the same across all localities, in each one's own language. One e-mail per
    user and day at most (an `OverdueReminder` row records it), so the task can run twice without harm.
    A fixed number of queries: everything is read in bulk and grouped here."""
    from localities.selectors import BOARD_STATUSES

    on = on or timezone.localdate()
    milestones = list(
        Milestone.objects.overdue(on)
        .filter(pilot__locality__status__in=BOARD_STATUSES)
        .select_related("pilot__locality")
        .order_by("pilot__locality__name_fi", "due_on", "position")
    )
    actions = list(
        FollowUpAction.objects.overdue(on)
        .select_related("meeting__locality")
        .order_by("meeting__locality__name_fi", "due_on", "pk")
    )
    if not milestones and not actions:
        return 0
    by_locality: dict[int, dict[str, list]] = {}
    for milestone in milestones:
        by_locality.setdefault(milestone.pilot.locality_id, {"milestones": [], "actions": []})["milestones"].append(
            milestone
        )
    for action in actions:
        by_locality.setdefault(action.meeting.locality_id, {"milestones": [], "actions": []})["actions"].append(action)

    recipients: dict[int, dict] = {}
    memberships = (
        Coordinator.objects.active(on)
        .filter(locality_id__in=by_locality, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "locality__name_fi")
    )
    for membership in memberships:
        entry = recipients.setdefault(membership.user_id, {"user": membership.user, "localities": []})
        entry["localities"].append(membership.locality_id)
    staff_users = User.objects.national_staff()
    for user in staff_users:
        recipients[user.pk] = {"user": user, "localities": list(by_locality)}

    already = set(OverdueReminder.objects.filter(sent_on=on, user_id__in=recipients).values_list("user_id", flat=True))
    reminders = []
    outgoing = []
    for user_id, entry in recipients.items():
        if user_id in already:
            continue
        own_milestones = [m for locality_id in entry["localities"] for m in by_locality[locality_id]["milestones"]]
        own_actions = [a for locality_id in entry["localities"] for a in by_locality[locality_id]["actions"]]
        if not own_milestones and not own_actions:
            continue
        reminders.append(
            OverdueReminder(user=entry["user"], sent_on=on, milestones=len(own_milestones), actions=len(own_actions))
        )
        outgoing.append((entry["user"], own_milestones, own_actions))
    OverdueReminder.objects.bulk_create(reminders)
    for message in outgoing:
        _send_overdue_reminder(*message, on=on)
    return len(reminders)


def _send_overdue_reminder(user, milestones: list, actions: list, *, on: datetime.date) -> None:
    language = language_of(user)
    send_later(
        to=user.email,
        template="localities/email/overdue_reminder.txt",
        context={
            "milestones": milestones,
            "actions": actions,
            "on": on,
            "portal_link": site_url("portal", language=language),
        },
        language=language,
    )
