"""Scoped reads. Every query made for a coordinator passes through `localities.permissions` (the one
permission rule), so that an object outside the user's localities is never found and answers 404."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from localities.models import (
    AccessRequest,
    Coordinator,
    FeedbackMeeting,
    FollowUpAction,
    Locality,
    LocalityAgreement,
    Milestone,
    Municipality,
    Pilot,
    ProspectContact,
    Region,
    WellbeingServicesCounty,
)
from localities.permissions import acts_as_national_staff, get_scoped_or_404, localities_for, scoped


def coordinator_localities(*, user) -> QuerySet[Locality]:
    """The coordinator's own localities for the portal, with their municipalities and co-coordinators."""
    return (
        localities_for(user)
        .filter(pk__in=Coordinator.objects.active().filter(user=user).values("locality_id"))
        .prefetch_related("municipalities")
        .order_by("name_fi")
    )


def active_coordinators(*, locality: Locality) -> QuerySet[Coordinator]:
    return Coordinator.objects.active().filter(locality=locality).select_related("user").order_by("side")


# --- Pilots, meetings, agreements in the portal (always scoped) -------------------------------------------


def pilot_for(*, user, locality: Locality) -> Pilot | None:
    """The locality's pilot with its milestones in order, or None. `locality` comes from a scoped lookup."""
    return (
        scoped(Pilot.objects.all(), user=user)
        .filter(locality=locality)
        .prefetch_related(Prefetch("milestones", Milestone.objects.select_related("done_by").order_by("position")))
        .first()
    )


@dataclass(frozen=True)
class PilotProgress:
    milestones: list[Milestone]
    done_count: int
    overdue: list[Milestone]
    next_milestone: Milestone | None


def pilot_progress(pilot: Pilot | None, *, on: datetime.date | None = None) -> PilotProgress:
    """A pilot's checklist counted once for the portal's pages, from the milestones `pilot_for` loaded (the
    review board counts the same in SQL: `with_pilot_progress`)."""
    milestones = list(pilot.milestones.all()) if pilot else []
    on = on or timezone.localdate()
    return PilotProgress(
        milestones=milestones,
        done_count=sum(1 for milestone in milestones if milestone.done_on),
        overdue=[milestone for milestone in milestones if milestone.is_overdue(on)],
        next_milestone=next((milestone for milestone in milestones if not milestone.done_on), None),
    )


def milestone_for_user_or_404(*, user, slug: str, pk: int) -> Milestone:
    return get_scoped_or_404(
        Milestone.objects.select_related("pilot__locality", "done_by"),
        user=user,
        locality_path="pilot__locality",
        pilot__locality__slug=slug,
        pk=pk,
    )


def feedback_meetings_for(*, user, locality: Locality) -> QuerySet[FeedbackMeeting]:
    return (
        scoped(FeedbackMeeting.objects.all(), user=user)
        .filter(locality=locality)
        .prefetch_related(
            "kaikukeskus_participants",
            Prefetch("actions", FollowUpAction.objects.select_related("owner").order_by("due_on", "pk")),
        )
        .order_by("-held_on", "-pk")
    )


def feedback_meeting_for_user_or_404(*, user, slug: str, pk: int) -> FeedbackMeeting:
    return get_scoped_or_404(
        FeedbackMeeting.objects.select_related("locality").prefetch_related(
            "kaikukeskus_participants",
            "invited_staff",
            "guests",
            Prefetch("actions", FollowUpAction.objects.select_related("owner", "done_by").order_by("due_on", "pk")),
        ),
        user=user,
        locality__slug=slug,
        pk=pk,
    )


def follow_up_action_for_user_or_404(*, user, slug: str, pk: int) -> FollowUpAction:
    return get_scoped_or_404(
        FollowUpAction.objects.select_related("meeting__locality"),
        user=user,
        locality_path="meeting__locality",
        meeting__locality__slug=slug,
        pk=pk,
    )


def agreements_for(*, user, locality: Locality) -> QuerySet[LocalityAgreement]:
    return scoped(LocalityAgreement.objects.all(), user=user).filter(locality=locality).order_by("-signed_on", "-pk")


def agreement_for_user_or_404(*, user, slug: str, pk: int) -> LocalityAgreement:
    return get_scoped_or_404(
        LocalityAgreement.objects.select_related("locality"), user=user, locality__slug=slug, pk=pk
    )


def former_coordinators(*, locality: Locality) -> QuerySet[Coordinator]:
    """Ended memberships: kept for history, shown as such."""
    today = timezone.localdate()
    return (
        Coordinator.objects.filter(locality=locality, ended_on__isnull=False, ended_on__lte=today)
        .select_related("user")
        .order_by("-ended_on")
    )


# --- Portal to-dos ----------------------------------------------------------------------------------------


def overdue_milestones_for(*, user, on: datetime.date | None = None) -> QuerySet[Milestone]:
    """Overdue milestones of running pilots in the user's localities (all localities for staff)."""
    return (
        scoped(Milestone.objects.overdue(on), user=user, locality_path="pilot__locality")
        .filter(pilot__locality__status__in=Locality.BOARD_STATUSES)
        .select_related("pilot__locality")
        .order_by("due_on", "pilot__locality__name_fi", "position")
    )


def overdue_actions_for(*, user, on: datetime.date | None = None) -> QuerySet[FollowUpAction]:
    return (
        scoped(FollowUpAction.objects.overdue(on), user=user, locality_path="meeting__locality")
        .select_related("meeting__locality", "owner")
        .order_by("due_on", "pk")
    )


def access_requests_for(*, user, since_days: int = 60) -> QuerySet[AccessRequest]:
    """The user's own pending requests and those decided lately: the portal tells the coordinator."""
    since = timezone.now() - datetime.timedelta(days=since_days)
    return (
        AccessRequest.objects.filter(user=user)
        .filter(Q(status=AccessRequest.Status.PENDING) | Q(decided_at__gte=since))
        .select_related("locality")
        .order_by("-created_at")
    )


def access_request_locality_choices(*, user) -> QuerySet[Locality]:
    """Localities a coordinator may ask to join: running or preparing ones that are not theirs already.
    Prospects stay staff's business and are never offered."""
    mine = Coordinator.objects.active().filter(user=user).values("locality_id")
    return Locality.objects.filter(status__in=Locality.ACCESS_REQUEST_STATUSES).exclude(pk__in=mine).order_by("name_fi")


# --- The pilot review board and the prospect pipeline (staff) ---------------------------------------------

BOARD_STATUSES = Locality.BOARD_STATUSES  # the admin's board filter reads it here


def _count(queryset: QuerySet, group_by: str):
    """A correlated COUNT subquery: one number per outer row, without multiplying joins."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def with_pilot_progress(queryset: QuerySet[Locality], *, on: datetime.date | None = None) -> QuerySet[Locality]:
    """Annotate localities with their pilot's progress, next milestone, overdue counts and last feedback
    meeting, all in the one query (the board makes the same number of queries for 5 and 500 rows)."""
    on = on or timezone.localdate()
    milestones = Milestone.objects.filter(pilot__locality=OuterRef("pk"))
    next_milestone = milestones.open().order_by("due_on", "position")
    actions = FollowUpAction.objects.filter(meeting__locality=OuterRef("pk"))
    return queryset.annotate(
        milestones_total=_count(milestones, "pilot__locality"),
        milestones_done=_count(milestones.done(), "pilot__locality"),
        milestones_overdue=_count(milestones.overdue(on), "pilot__locality"),
        actions_overdue=_count(actions.overdue(on), "meeting__locality"),
        next_milestone_title_fi=Subquery(next_milestone.values("title_fi")[:1]),
        next_milestone_title_sv=Subquery(next_milestone.values("title_sv")[:1]),
        next_milestone_title_en=Subquery(next_milestone.values("title_en")[:1]),
        next_milestone_due_on=Subquery(next_milestone.values("due_on")[:1]),
        last_feedback_meeting_on=Subquery(
            FeedbackMeeting.objects.filter(locality=OuterRef("pk"), held_on__lte=on, state=FeedbackMeeting.State.HELD)
            .order_by("-held_on")
            .values("held_on")[:1]
        ),
    )


def pilot_board(*, user, on: datetime.date | None = None, base: QuerySet | None = None) -> QuerySet[Locality]:
    """Every preparing or piloting locality with its progress (staff only; empty for anybody else). `base`
    lets the admin pass its proxy model's queryset."""
    base = Locality.objects.all() if base is None else base
    if not acts_as_national_staff(user):
        return base.none()
    return with_pilot_progress(base.filter(status__in=Locality.BOARD_STATUSES).select_related("county"), on=on)


def with_next_step(queryset: QuerySet[Locality]) -> QuerySet[Locality]:
    """Annotate prospects with their latest contact and the next step it named."""
    contacts = ProspectContact.objects.filter(locality=OuterRef("pk")).order_by("-contacted_on", "-pk")
    planned = ProspectContact.objects.filter(locality=OuterRef("pk"), next_step_on__isnull=False).order_by(
        "-contacted_on", "-pk"
    )
    return queryset.annotate(
        last_contact_on=Subquery(contacts.values("contacted_on")[:1]),
        last_contact_channel=Subquery(contacts.values("channel")[:1]),
        next_step=Subquery(planned.values("next_step")[:1]),
        next_step_on=Subquery(planned.values("next_step_on")[:1]),
        contact_count=_count(ProspectContact.objects.filter(locality=OuterRef("pk")), "locality"),
    )


def prospect_pipeline(*, user, base: QuerySet | None = None) -> QuerySet[Locality]:
    """Prospects ordered by their next step: the soonest first, those with no next step last."""
    base = Locality.objects.all() if base is None else base
    if not acts_as_national_staff(user):
        return base.none()
    return with_next_step(base.filter(status=Locality.Status.PROSPECT).select_related("county")).order_by(
        F("next_step_on").asc(nulls_last=True), "name_fi"
    )


def locality_timeline(*, user, locality: Locality) -> list[dict]:
    """Everything that happened to a locality, oldest first: status changes, milestones (done or due), feedback
    meetings and their actions, agreements, prospect contacts and coordinators' memberships. A fixed number of
    queries, whatever the length of the history."""
    locality = get_object_or_404(localities_for(user), pk=locality.pk)
    today = timezone.localdate()
    events: list[dict] = []

    def add(date, kind, text, *, detail="", overdue=False, done=None):
        if date is not None:
            events.append(
                {"date": date, "kind": kind, "text": text, "detail": detail, "overdue": overdue, "done": done}
            )

    for change in locality.status_changes.select_related("changed_by").order_by("effective_on", "changed_at"):
        add(
            change.effective_on,
            "status",
            _("Status: %(from)s → %(to)s")
            % {"from": change.get_from_status_display(), "to": change.get_to_status_display()},
            detail=" – ".join(filter(None, [str(change.changed_by or ""), change.note])),
        )
    for milestone in Milestone.objects.filter(pilot__locality=locality).select_related("done_by"):
        if milestone.done_on:
            add(milestone.done_on, "milestone", milestone.title, detail=milestone.note, done=True)
        else:
            add(milestone.due_on, "milestone", milestone.title, overdue=milestone.is_overdue(today), done=False)
    for meeting in locality.feedback_meetings.prefetch_related("actions"):
        add(meeting.held_on, "meeting", _("Feedback meeting"), detail=meeting.summary)
        for action in meeting.actions.all():
            add(
                action.done_on or action.due_on,
                "action",
                action.description,
                overdue=action.is_overdue(today),
                done=action.done_on is not None,
            )
    for agreement in locality.agreements.all():
        add(agreement.signed_on, "agreement", _("Agreement signed"), detail=agreement.title)
    for contact in locality.prospect_contacts.all():
        add(contact.contacted_on, "contact", contact.get_channel_display(), detail=contact.summary)
    for membership in locality.coordinators.select_related("user"):
        name = membership.user.display_name
        add(membership.started_on, "coordinator", _("%(name)s began coordinating") % {"name": name})
        add(membership.ended_on, "coordinator", _("%(name)s stopped coordinating") % {"name": name})
    return sorted(events, key=lambda event: event["date"])


# --- Public pages and the open data API -------------------------------------------------------------------


def fold(text: str) -> str:
    """Case-insensitive matching that also folds Ä, Ö and Å (SQLite's LIKE folds ASCII only)."""
    return " ".join(text.casefold().split())


def municipalities_matching(query: str) -> list[Municipality]:
    """Municipalities whose Finnish or Swedish name contains the query (exact names first). One query over the
    309 reference rows, matched in Python so that every database folds case alike."""
    needle = fold(query)
    if not needle:
        return []
    if needle.isdigit() and len(needle) == 3:
        return list(Municipality.objects.filter(code=needle))  # a municipality code works too
    matches = [
        municipality
        for municipality in Municipality.objects.only("pk", "code", "name_fi", "name_sv")
        if needle in fold(municipality.name_fi) or needle in fold(municipality.name_sv)
    ]
    return sorted(matches, key=lambda m: (needle not in (fold(m.name_fi), fold(m.name_sv)), m.name_fi))


def public_locality_list(
    *, region: Region | None = None, county: WellbeingServicesCounty | None = None, query: str = ""
) -> tuple[QuerySet[Locality], list[Municipality]]:
    """Piloting and permanent localities, filtered by region, county and a municipality (or locality) name.
    Returns the localities and the municipalities the query matched."""
    localities = Locality.objects.public()
    if region is not None:
        localities = localities.filter(pk__in=Locality.objects.filter(municipalities__region=region).values("pk"))
    if county is not None:
        localities = localities.filter(
            Q(county=county) | Q(pk__in=Locality.objects.filter(municipalities__county=county).values("pk"))
        )
    matched: list[Municipality] = []
    if query.strip():
        matched = municipalities_matching(query)
        needle = fold(query)
        by_name = [
            pk
            for pk, *names in Locality.objects.public().values_list("pk", "name_fi", "name_sv", "name_en")
            if any(needle in fold(name) for name in names if name)
        ]
        localities = localities.filter(
            Q(pk__in=by_name)
            | Q(pk__in=Locality.objects.filter(municipalities__in=[m.pk for m in matched]).values("pk"))
        )
    localities = localities.select_related("county").prefetch_related(
        Prefetch("municipalities", Municipality.objects.order_by("name_fi"))
    )
    return localities.order_by("name_fi"), matched


def municipality_coverage(
    *, localities: list[Locality], municipalities: list[Municipality]
) -> tuple[list[tuple[Municipality, Locality]], list[Municipality]]:
    """The answer to "is Kaikukortti in my municipality?": each matched municipality with the listed locality
    that covers it, and those no listed locality covers (yet). Uses the localities' prefetched municipalities."""
    locality_of = {m.pk: locality for locality in localities for m in locality.municipalities.all()}
    covered = [(m, locality_of[m.pk]) for m in municipalities if m.pk in locality_of]
    return covered, [m for m in municipalities if m.pk not in locality_of]


def public_localities_with_codes() -> QuerySet[Locality]:
    """The localities of the open data API (DESIGN §6): what `/localities/` shows, by slug, with municipality
    codes in one more query."""
    return (
        Locality.objects.public()
        .prefetch_related(Prefetch("municipalities", Municipality.objects.only("pk", "code").order_by("code")))
        .order_by("slug")
    )
