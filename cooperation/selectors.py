"""Reads of the working groups, with who may see what:

- national staff see every group, meeting, minutes and document;
- a portal user sees the groups they are or have been a member of (a former member keeps seeing the group's
  record, as a coordinator keeps their trainings);
- minutes and documents have a visibility: `public` for anyone who sees the group, `members` for those who are
  members now or were on the day of the meeting, `staff` for staff only.
Anything else answers 404, like an object outside one's scope."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cooperation.models import (
    ActionItem,
    GroupMeeting,
    MeetingAttendee,
    MeetingDocument,
    Membership,
    Visibility,
    WorkingGroup,
)
from localities.permissions import acts_as_national_staff


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def groups_for(*, user) -> QuerySet[WorkingGroup]:
    """The groups the user sees, with their current member count and their next planned meeting's time."""
    if not _signed_in(user):
        return WorkingGroup.objects.none()
    groups = WorkingGroup.objects.all()
    if not acts_as_national_staff(user):
        groups = groups.filter(Exists(Membership.objects.filter(group=OuterRef("pk"), user=user)))
    today = timezone.localdate()
    current = Q(memberships__started_on__lte=today) & (
        Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gte=today)
    )
    return groups.annotate(
        member_count=Count("memberships", filter=current, distinct=True),
        meeting_count=Count("meetings", distinct=True),
        is_member_now=Exists(Membership.objects.current(today).filter(group=OuterRef("pk"), user=user)),
    ).order_by(F("active_until").desc(nulls_first=True), "name_fi")


def group_for_user_or_404(*, user, pk: int) -> WorkingGroup:
    return get_object_or_404(groups_for(user=user), pk=pk)


@dataclass
class Reader:
    """What one user may read in one group: worked out once from their periods, then asked per meeting."""

    is_staff: bool
    periods: list[Membership] = field(default_factory=list)

    @property
    def is_member_now(self) -> bool:
        return any(period.is_current() for period in self.periods)

    def was_member_on(self, day: datetime.date) -> bool:
        return any(period.covers(day) for period in self.periods)

    def may_read(self, visibility: str, meeting: GroupMeeting) -> bool:
        if self.is_staff or visibility == Visibility.PUBLIC:
            return True
        if visibility == Visibility.MEMBERS:
            return self.is_member_now or self.was_member_on(meeting.held_on)
        return False


def reader(*, user, group: WorkingGroup) -> Reader:
    if acts_as_national_staff(user):
        return Reader(is_staff=True)
    return Reader(is_staff=False, periods=list(Membership.objects.filter(group=group, user=user)))


def members_of(*, group: WorkingGroup, current: bool = True) -> QuerySet[Membership]:
    """The group's current members (or every period, the history, with `current=False`)."""
    memberships = group.memberships.select_related("user")
    if current:
        return memberships.current().order_by("role", "name", "user__last_name", "pk")
    return memberships.order_by("user__last_name", "name", "started_on", "pk")


@dataclass
class MeetingView:
    meeting: GroupMeeting
    minutes_visible: bool
    documents: list[MeetingDocument]


def meetings_for(*, user, group: WorkingGroup, pk: int | None = None) -> list[MeetingView]:
    """The group's meetings (or the one `pk`) with what the user may read of each: a fixed number of queries
    however many."""
    who = reader(user=user, group=group)
    meetings = group.meetings.select_related("organiser").prefetch_related(
        Prefetch("attendees", MeetingAttendee.objects.select_related("membership__user")),
        Prefetch("action_items", ActionItem.objects.select_related("owner")),
        "documents",
    )
    if pk is not None:
        meetings = meetings.filter(pk=pk)
    return [
        MeetingView(
            meeting=meeting,
            minutes_visible=bool(meeting.minutes) and who.may_read(meeting.minutes_visibility, meeting),
            documents=[doc for doc in meeting.documents.all() if who.may_read(doc.visibility, meeting)],
        )
        for meeting in meetings
    ]


def meeting_for_user_or_404(*, user, group: WorkingGroup, pk: int) -> MeetingView:
    found = meetings_for(user=user, group=group, pk=pk)
    if not found:
        raise Http404("no such meeting")
    return found[0]


def document_for_user_or_404(*, user, pk: int) -> MeetingDocument:
    """A document the user may read: in a group they see, with a visibility that lets them."""
    document = get_object_or_404(MeetingDocument.objects.select_related("meeting__group"), pk=pk)
    group = get_object_or_404(groups_for(user=user), pk=document.meeting.group_id)
    if not reader(user=user, group=group).may_read(document.visibility, document.meeting):
        raise Http404("not visible to this user")
    return document


def groups_met_in(*, year: int) -> QuerySet[WorkingGroup]:
    """For the annual report: the groups with a meeting held in `year`, with those meetings in order."""
    held = GroupMeeting.objects.filter(state=GroupMeeting.State.HELD, starts_at__year=year)
    return (
        WorkingGroup.objects.filter(Exists(held.filter(group=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "meetings",
                held.annotate(attendee_count=Count("attendees")).order_by("starts_at"),
                to_attr="meetings_in_year",
            )
        )
        .order_by("name_fi")
    )
