"""Scoped reads. Every query made for a coordinator passes through `localities.permissions` (the one
permission rule), so that an object outside the user's localities is never found and answers 404."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaikukeskus.models import User
from localities.models import (
    AccessRequest,
    Coordinator,
    FeedbackMeeting,
    FollowUpAction,
    InterestSubmission,
    Locality,
    LocalityAgreement,
    LocalityStatusChange,
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


def coordinator_memberships_to_tell(*, localities, on: datetime.date | None = None) -> QuerySet[Coordinator]:
    """The one rule of who gets a locality's e-mail: the memberships active `on` (today) of `localities` (an
    iterable or a queryset of localities or their ids) whose users' accounts are active and have an address, with
    the user, by user."""
    return (
        Coordinator.objects.active(on)
        .filter(locality__in=localities, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "pk")
    )


def coordinators_to_tell(*, locality: Locality | int, on: datetime.date | None = None) -> list[User]:
    """`coordinator_memberships_to_tell` of one locality (or its id): its coordinators to e-mail, each once, by
    pk."""
    users: dict[int, User] = {}
    for membership in coordinator_memberships_to_tell(localities=[locality], on=on):
        users.setdefault(membership.user_id, membership.user)
    return list(users.values())


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


def pending_access_requests(*, user) -> QuerySet[AccessRequest]:
    """Staff's to-do: the access requests waiting for a decision, the oldest first (the workspace's list and the
    count on its front page). Nobody else decides them: empty for everybody else."""
    if not acts_as_national_staff(user):
        return AccessRequest.objects.none()
    return (
        AccessRequest.objects.filter(status=AccessRequest.Status.PENDING)
        .select_related("user", "locality")
        .order_by("created_at", "pk")
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


# --- Outreach: the join page and the prospect pipeline ---------------------------------------------------


def running_by_region() -> list[tuple[str, list[Locality]]]:
    """The localities that run the card (what `/localities/` shows), grouped by the regions of their
    municipalities (a locality of several regions under each); a county-wide locality without municipalities
    listed under its county's regions. Three queries."""
    localities = list(
        Locality.objects.public()
        .select_related("county")
        .prefetch_related(Prefetch("municipalities", Municipality.objects.select_related("region")))
        .order_by("name_fi")
    )
    county_regions: dict[int, set] = {}
    for county_id, region_name in Municipality.objects.values_list("county_id", "region__name_fi"):
        county_regions.setdefault(county_id, set()).add(region_name)
    regions = {region.name_fi: region for region in Region.objects.all()}
    grouped: dict[str, list[Locality]] = {}
    for locality in localities:
        names = {m.region.name_fi for m in locality.municipalities.all()}
        if not names and locality.county_id:
            names = county_regions.get(locality.county_id, set())
        for name in names:
            grouped.setdefault(name, []).append(locality)
    return [(regions[name].name, grouped[name]) for name in sorted(grouped) if name in regions]


def municipality_names() -> list[str]:
    """Every municipality's Finnish and Swedish name, for the interest form's suggestions."""
    names = set()
    for name_fi, name_sv in Municipality.objects.values_list("name_fi", "name_sv"):
        names.add(name_fi)
        if name_sv:
            names.add(name_sv)
    return sorted(names, key=fold)


PIPELINE_STATUSES = (Locality.Status.PROSPECT, Locality.Status.PREPARING)


@dataclass
class PipelineRow:
    locality: Locality
    days_since_contact: int | None
    stale: bool
    next_step_overdue: bool


def pipeline(*, user, on: datetime.date | None = None, stale_after_days: int = 30) -> list[PipelineRow]:
    """Staff's pipeline: prospects and localities preparing a pilot with their owner, last contact, days since it,
    a flag when there was none for `stale_after_days`, and the next step (overdue when its day has passed, the
    overdue rule of `DueWorkQuerySet`: due before today, not today). One query, whatever the number of rows."""
    if not acts_as_national_staff(user):
        return []
    on = on or timezone.localdate()
    localities = (
        with_next_step(Locality.objects.filter(status__in=PIPELINE_STATUSES))
        .select_related("owner", "county")
        .order_by(F("next_step_on").asc(nulls_last=True), "name_fi")
    )
    rows = []
    for locality in localities:
        last_contact_on, next_step_on = (
            getattr(locality, "last_contact_on", None),
            getattr(locality, "next_step_on", None),
        )
        days = (on - last_contact_on).days if last_contact_on else None
        rows.append(
            PipelineRow(
                locality=locality,
                days_since_contact=days,
                stale=days is None or days > stale_after_days,
                next_step_overdue=bool(next_step_on and next_step_on < on),
            )
        )
    return rows


def lost_prospects(*, user) -> QuerySet[Locality]:
    """Prospects that ended without a pilot, with the reason staff gave."""
    if not acts_as_national_staff(user):
        return Locality.objects.none()
    return (
        Locality.objects.filter(status=Locality.Status.ENDED)
        .exclude(lost_reason="")
        .select_related("owner")
        .order_by("-ended_on", "name_fi")
    )


def pipeline_by_stage_and_owner(*, user) -> list[dict]:
    """How many localities of the pipeline each owner has in each stage: one query."""
    if not acts_as_national_staff(user):
        return []
    rows = (
        Locality.objects.filter(status__in=PIPELINE_STATUSES)
        .values("owner_id", "owner__first_name", "owner__last_name", "owner__email")
        .annotate(
            prospects=Count("pk", filter=Q(status=Locality.Status.PROSPECT)),
            preparing=Count("pk", filter=Q(status=Locality.Status.PREPARING)),
            total=Count("pk"),
        )
        .order_by("owner__last_name", "owner__first_name", "owner__email")
    )
    result = []
    for row in rows:
        full = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
        result.append({**row, "owner_name": full or row["owner__email"] or ""})
    return result


def conversion_by_year(*, user) -> list[dict]:
    """Per year: new prospects (first contact that year), pilots prepared and started, permanent decisions, and
    prospects lost, from the lifecycle's status changes. Two queries."""
    if not acts_as_national_staff(user):
        return []
    years: dict[int, dict] = {}

    def row(year: int) -> dict:
        return years.setdefault(
            year, {"year": year, "prospects": 0, "preparing": 0, "piloting": 0, "permanent": 0, "lost": 0}
        )

    for first in Locality.objects.filter(first_contact_on__isnull=False).values_list("first_contact_on", flat=True):
        row(first.year)["prospects"] += 1
    changes = LocalityStatusChange.objects.filter(
        to_status__in=[Locality.Status.PREPARING, Locality.Status.PILOTING, Locality.Status.PERMANENT]
    ).values_list("effective_on", "to_status", "locality_id")
    seen: set[tuple[int, str]] = set()
    for effective_on, to_status, locality_id in changes.order_by("effective_on"):
        if (locality_id, to_status) not in seen:  # a pilot paused and resumed counts once
            seen.add((locality_id, to_status))
            row(effective_on.year)[to_status] += 1
    for ended_on in lost_prospects(user=user).values_list("ended_on", flat=True):
        if ended_on is not None:
            row(ended_on.year)["lost"] += 1
    result = [years[year] for year in sorted(years)]
    for item in result:
        item["to_pilot"] = round(100 * item["piloting"] / item["prospects"]) if item["prospects"] else None
    return result


COVERAGE_STAGES = (
    Locality.Status.PERMANENT,
    Locality.Status.PILOTING,
    Locality.Status.PREPARING,
    Locality.Status.PROSPECT,
)


@dataclass
class CoverageCell:
    municipalities: int = 0
    population: int = 0
    share: float = 0.0  # of the row's population, 0–100


@dataclass
class CoverageRow:
    label: str
    cells: dict[str, CoverageCell]
    municipalities: int
    population: int

    @property
    def ordered(self) -> list[CoverageCell]:
        return [self.cells[stage] for stage in [*COVERAGE_STAGES, "none"]]


def coverage(*, user) -> tuple[list[CoverageRow], CoverageRow | None]:
    """Each municipality's furthest stage (permanent, piloting, preparing, prospect; "none" for those no locality
    covers, or whose locality paused or ended), counted by region and for the whole country, in municipalities
    and in population. A county-wide locality without municipalities covers its county's. Three queries."""
    if not acts_as_national_staff(user):
        return [], None
    rank: dict[str, int] = {stage: len(COVERAGE_STAGES) - index for index, stage in enumerate(COVERAGE_STAGES)}
    municipalities = list(Municipality.objects.select_related("region").order_by("region__name_fi", "name_fi"))
    stage_of: dict[int, str] = {}

    def cover(municipality_id: int, status: str) -> None:
        current = stage_of.get(municipality_id)
        if status in rank and (current is None or rank[status] > rank[current]):
            stage_of[municipality_id] = status

    for municipality_id, status in Locality.municipalities.through.objects.values_list(
        "municipality_id", "locality__status"
    ):
        cover(municipality_id, status)
    county_wide = dict(
        Locality.objects.filter(kind=Locality.Kind.COUNTY, municipalities__isnull=True, county__isnull=False)
        .values_list("county_id", "status")
        .order_by()
    )
    by_region: dict[str, list[Municipality]] = {}
    for municipality in municipalities:
        if municipality.county_id in county_wide:
            cover(municipality.pk, county_wide[municipality.county_id])
        by_region.setdefault(municipality.region.name, []).append(municipality)

    def summarise(label: str, members: list[Municipality]) -> CoverageRow:
        cells = {stage: CoverageCell() for stage in [*COVERAGE_STAGES, "none"]}
        total = sum(m.population or 0 for m in members)
        for m in members:
            cell = cells[stage_of.get(m.pk, "none")]
            cell.municipalities += 1
            cell.population += m.population or 0
        for cell in cells.values():
            cell.share = round(100 * cell.population / total, 1) if total else 0.0
        return CoverageRow(label=label, cells=cells, municipalities=len(members), population=total)

    rows = [summarise(label, members) for label, members in sorted(by_region.items(), key=lambda item: fold(item[0]))]
    return rows, summarise(_("Whole country"), municipalities)


def overdue_prospects_for(*, user, on: datetime.date | None = None) -> list[Locality]:
    """Staff's to-do: localities in the pipeline whose next step's day has passed (the overdue rule: due before
    today), the oldest first. One query."""
    if not acts_as_national_staff(user):
        return []
    on = on or timezone.localdate()
    return list(
        with_next_step(Locality.objects.filter(status__in=PIPELINE_STATUSES))
        .filter(next_step_on__lt=on)  # type: ignore[misc]  # the annotation of with_next_step
        .select_related("owner")
        .order_by("next_step_on", "name_fi")
    )


def own_interest_submission(*, pk) -> InterestSubmission | None:
    """The submission the visitor's session remembers (see `views.join_sent`)."""
    if not isinstance(pk, int):
        return None
    return InterestSubmission.objects.select_related("locality", "municipality", "county").filter(pk=pk).first()
