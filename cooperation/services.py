"""Writes of the working groups: staff keep the groups, their memberships, meetings, minutes, documents and action
items (in the admin, through these services); the periodic reminder of missing minutes runs with no person."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from cooperation.models import ActionItem, GroupMeeting, MeetingAttendee, MeetingDocument, Membership, WorkingGroup
from kaikukeskus import history, mail
from kaikukeskus.models import User
from kaikukeskus.uploads import validate_upload
from localities.permissions import require_staff

history.register_reasons(
    {
        "membership ended": _l("Membership ended"),
        "minutes written": _l("Minutes written"),
        "minutes reminder": _l("Reminded of missing minutes"),
        "done": _l("Marked done"),
    }
)

MINUTES_DUE_AFTER_DAYS = 7


class AlreadyDoneError(ValidationError):
    pass


# --- Groups ------------------------------------------------------------------------------------------------


@transaction.atomic
def group_save(*, actor: User | None, group: WorkingGroup, expected_version: int | None = None) -> WorkingGroup:
    require_staff(actor)
    history.save(group, actor=actor, reason="edited" if group.pk else "created", expected_version=expected_version)
    return group


# --- Memberships -------------------------------------------------------------------------------------------


def _same_person(membership: Membership) -> Q:
    if membership.user_id:
        return Q(user_id=membership.user_id)
    return Q(user__isnull=True, email__iexact=membership.email)


def _overlaps(a: Membership, b: Membership) -> bool:
    a_end, b_end = a.ended_on or datetime.date.max, b.ended_on or datetime.date.max
    return a.started_on <= b_end and b.started_on <= a_end


def _same(a: Membership, b: Membership) -> bool:
    if a.user_id or b.user_id:
        return a.user_id == b.user_id
    return a.email.strip().lower() == b.email.strip().lower()


def overlapping_period(membership: Membership, *, also: Iterable[Membership] = ()) -> Membership | None:
    """Another period of the same person in the group that shares a day with this one (an open end reaches
    forever): among the saved rows, and `also` (rows of the same form not saved yet, which replace their saved
    selves)."""
    if membership.started_on is None:
        return None
    pending = [other for other in also if other is not membership]
    pending_pks = {other.pk for other in pending if other.pk}
    saved = Membership.objects.filter(_same_person(membership), group_id=membership.group_id).exclude(
        pk__in={membership.pk, *pending_pks} - {None}
    )
    for other in [*saved, *pending]:
        if other.started_on and _same(membership, other) and _overlaps(membership, other):
            return other
    return None


def overlap_message(membership: Membership, clash: Membership) -> str:
    return _("%(person)s is a member of the group from %(start)s to %(end)s already: the periods would overlap.") % {
        "person": membership.person_name,
        "start": date_format(clash.started_on, "SHORT_DATE_FORMAT"),
        "end": date_format(clash.ended_on, "SHORT_DATE_FORMAT") if clash.ended_on else "…",
    }


@transaction.atomic
def membership_save(*, actor: User | None, membership: Membership) -> Membership:
    """Staff add a period or correct one. A period may not overlap another of the same person in the group: a
    person who left and rejoins gets a new period, the ended one stays as it was."""
    require_staff(actor)
    membership.email = membership.email.strip()
    membership.full_clean()
    # Lock the person's periods so that two saves at once cannot both pass the check below.
    list(
        Membership.objects.select_for_update()
        .filter(_same_person(membership), group_id=membership.group_id)
        .values_list("pk", flat=True)
    )
    clash = overlapping_period(membership)
    if clash is not None:
        raise ValidationError(overlap_message(membership, clash), code="overlap")
    history.save(membership, actor=actor, reason="edited" if membership.pk else "created", clean=False)
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, ended_on: datetime.date) -> Membership:
    """The person leaves the group on `ended_on`; the period stays in the history as it was."""
    require_staff(actor)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        raise ValidationError(_("This membership has ended already."), code="ended")
    membership.ended_on = ended_on
    history.save(membership, actor=actor, reason="membership ended")
    return membership


@transaction.atomic
def membership_rejoin(
    *, actor: User | None, membership: Membership, started_on: datetime.date, role: str | None = None
) -> Membership:
    """A person who left comes back: a new period beside the ended one, never the old one stretched."""
    require_staff(actor)
    rejoined = Membership(
        group_id=membership.group_id,
        user_id=membership.user_id,
        name=membership.name,
        organisation=membership.organisation,
        email=membership.email,
        role=role or membership.role,
        started_on=started_on,
    )
    return membership_save(actor=actor, membership=rejoined)


def membership_delete_check(membership: Membership) -> None:
    if MeetingAttendee.objects.filter(membership=membership).exists():
        raise ValidationError(
            _("%(person)s attended meetings as this member: end the membership instead of removing it.")
            % {"person": membership.person_name},
            code="attended",
        )


@transaction.atomic
def membership_delete(*, actor: User | None, membership: Membership) -> None:
    """Staff remove a period entered by mistake (an ended one is ended, not deleted); its history keeps it. A
    period somebody attended a meeting with stays: end it instead."""
    require_staff(actor)
    membership_delete_check(membership)
    history.delete(membership, actor=actor, reason="deleted")


def _recipients(group: WorkingGroup, on: datetime.date | None = None) -> list[tuple[str, str, str]]:
    """(address, language, name) of each current member with an address, once per address."""
    seen: set[str] = set()
    recipients = []
    for membership in group.memberships.current(on).select_related("user"):
        address = membership.address
        if not address or address.lower() in seen:
            continue
        if membership.user_id and not membership.user.is_active:
            continue
        seen.add(address.lower())
        language = mail.language_of(membership.user) if membership.user_id else group.language
        recipients.append((address, language, membership.person_name))
    return recipients


@transaction.atomic
def group_members_email(*, actor: User | None, group: WorkingGroup, subject: str, body: str) -> int:
    """Staff write to the group's current members: one message each (no one sees the others' addresses), in the
    member's own language, or the group's working language for an external member. Returns how many."""
    require_staff(actor)
    subject, body = " ".join(subject.split()), body.strip()
    if not subject or not body:
        raise ValidationError(_("Write a subject and a message."))
    recipients = _recipients(group)
    for address, language, name in recipients:
        mail.send_later(
            to=address,
            template="cooperation/email/members_message.txt",
            context={"group": group, "subject": subject, "body": body, "name": name, "sender": actor},
            language=language,
            headers={"Reply-To": actor.email} if actor is not None and actor.email else None,
        )
    return len(recipients)


# --- Meetings ----------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_save(*, actor: User | None, meeting: GroupMeeting, expected_version: int | None = None) -> GroupMeeting:
    """Staff plan a meeting or record how it went (state, minutes and who reads them)."""
    require_staff(actor)
    if meeting.pk is None and meeting.organiser_id is None and actor is not None and actor.is_authenticated:
        meeting.organiser = actor
    if meeting.state == GroupMeeting.State.PLANNED and meeting.minutes.strip():
        raise ValidationError({"state": _("A meeting with minutes has been held: mark it held.")})
    reason = "created"
    if meeting.pk:
        previous = GroupMeeting.objects.filter(pk=meeting.pk).values_list("minutes", flat=True).first()
        reason = "minutes written" if meeting.minutes and not previous else "edited"
    history.save(meeting, actor=actor, reason=reason, expected_version=expected_version)
    return meeting


@transaction.atomic
def meeting_delete(*, actor: User | None, meeting: GroupMeeting) -> None:
    require_staff(actor)
    for item in meeting.action_items.all():
        history.delete(item, actor=actor, reason="deleted")
    for attendee in meeting.attendees.all():
        history.delete(attendee, actor=actor, reason="deleted")
    for document in meeting.documents.all():
        document_delete(actor=actor, document=document)
    history.delete(meeting, actor=actor, reason="deleted")


@transaction.atomic
def attendee_save(*, actor: User | None, attendee: MeetingAttendee) -> MeetingAttendee:
    require_staff(actor)
    membership = attendee.membership
    if membership is not None and membership.group_id != attendee.meeting.group_id:
        raise ValidationError({"membership": _("The member belongs to another group.")})
    history.save(attendee, actor=actor, reason="edited" if attendee.pk else "created")
    return attendee


@transaction.atomic
def attendee_delete(*, actor: User | None, attendee: MeetingAttendee) -> None:
    require_staff(actor)
    history.delete(attendee, actor=actor, reason="deleted")


@transaction.atomic
def document_save(*, actor: User | None, document: MeetingDocument) -> MeetingDocument:
    """A new file is checked (type by content, size, archives) before it is stored."""
    require_staff(actor)
    file = document.file
    if file and not getattr(file, "_committed", True):
        validate_upload(file)
        document.original_filename = (file.name or "")[-200:]
        document.uploaded_by = actor if actor is not None and actor.is_authenticated else None
        document.uploaded_at = timezone.now()
    history.save(document, actor=actor, reason="edited" if document.pk else "created")
    return document


@transaction.atomic
def document_delete(*, actor: User | None, document: MeetingDocument) -> None:
    require_staff(actor)
    stored = document.file.name
    history.delete(document, actor=actor, reason="deleted")
    if stored:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(stored))


# --- Action items ------------------------------------------------------------------------------------------


@transaction.atomic
def action_item_save(*, actor: User | None, item: ActionItem) -> ActionItem:
    """Staff add an action item or change its description, owner or due date (done moves only through
    `action_item_mark_done`)."""
    require_staff(actor)
    history.save(item, actor=actor, reason="edited" if item.pk else "created")
    return item


@transaction.atomic
def action_item_delete(*, actor: User | None, item: ActionItem) -> None:
    require_staff(actor)
    history.delete(item, actor=actor, reason="deleted")


@transaction.atomic
def action_item_mark_done(*, actor: User | None, item: ActionItem, done_on: datetime.date | None = None) -> ActionItem:
    """Staff or the item's owner mark it done, once; a second time is refused with who did it."""
    item = ActionItem.objects.select_for_update(of=("self",)).select_related("done_by").get(pk=item.pk)
    if not (actor is not None and (item.owner_id == actor.pk)):
        require_staff(actor)
    if item.done_on is not None:
        raise AlreadyDoneError(
            _("%(person)s marked this done on %(date)s.")
            % {
                "person": item.done_by.display_name if item.done_by is not None else _("Somebody"),
                "date": date_format(item.done_on, "SHORT_DATE_FORMAT"),
            },
            code="done",
        )
    item.done_on = done_on or timezone.localdate()
    item.done_by = actor
    history.save(item, actor=actor, reason="done")
    return item


# --- Periodic jobs (no person acts) ------------------------------------------------------------------------


def meetings_missing_minutes(*, now: datetime.datetime | None = None):
    """Held meetings whose minutes are still unwritten a week after they began and whose organiser has not been
    reminded yet."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=MINUTES_DUE_AFTER_DAYS)
    return GroupMeeting.objects.filter(
        state=GroupMeeting.State.HELD,
        minutes="",
        starts_at__lte=cutoff,
        minutes_reminder_sent_at__isnull=True,
        organiser__isnull=False,
        organiser__is_active=True,
    )


@transaction.atomic
def minutes_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind each organiser once (`minutes_reminder_sent_at`): safe to run twice, and two runs at once lock the
    same rows in turn."""
    now = now or timezone.now()
    meetings = list(
        meetings_missing_minutes(now=now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("group", "organiser")
    )
    for meeting in meetings:
        meeting.minutes_reminder_sent_at = now
        # A field no person edits: no new version, so that a form open on the meeting still saves.
        history.save(
            meeting,
            actor=None,
            reason="minutes reminder",
            update_fields=["minutes_reminder_sent_at"],
            clean=False,
            claim_version=False,
        )
        language = mail.language_of(meeting.organiser)
        mail.send_later(
            to=meeting.organiser.email,
            template="cooperation/email/minutes_reminder.txt",
            context={
                "meeting": meeting,
                "group": meeting.group,
                "url": mail.site_url(
                    "admin:cooperation_groupmeeting_change", language=language, kwargs={"object_id": meeting.pk}
                ),
            },
            language=language,
        )
    return len(meetings)
