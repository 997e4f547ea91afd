"""Reads for the statistics, scoped through `localities/permissions.py`: a coordinator's query never reaches
another locality's report."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Func, OuterRef, Q, QuerySet, Subquery, Sum, When

from localities.models import Locality
from localities.permissions import get_scoped_or_404, scoped
from networks.models import Partner, PartnerRole
from stats.models import (
    FIGURES,
    USE_FIELDS,
    IssuerFigure,
    LocalityReport,
    LocalityReportQuerySet,
    LocalityYear,
    NationalYear,
    ReportEvent,
    ReportingRound,
    VenueFigure,
)


def reports_for(*, user) -> LocalityReportQuerySet:
    """The reports the user may see: their localities' (every locality for staff)."""
    return scoped(LocalityReport.objects.select_related("round", "locality"), user=user)


def report_for_user_or_404(*, user, locality_slug: str, pk: int) -> LocalityReport:
    return get_scoped_or_404(
        LocalityReport.objects.select_related("round", "locality"), user=user, pk=pk, locality__slug=locality_slug
    )


def previous_report(report: LocalityReport) -> LocalityReport | None:
    """The locality's approved report for the same period a year earlier (what every figure is compared with)."""
    start, end = report.round.previous_period()
    return (
        LocalityReport.objects.approved()
        .filter(locality_id=report.locality_id, round__period_start=start, round__period_end=end)
        .first()
    )


def previous_figures(report: LocalityReport) -> dict[str, int | None] | None:
    previous = previous_report(report)
    return None if previous is None else {name: getattr(previous, name) for name in FIGURES}


def locality_reports(*, user, locality) -> QuerySet[LocalityReport]:
    """The locality's reports, newest round first (the portal's report list: the same queries for any number)."""
    return reports_for(user=user).filter(locality=locality).order_by("-round__period_start", "-round__period_end")


def reports_to_do(*, user, today=None) -> QuerySet[LocalityReport]:
    """What the user's localities still have to fill in or fix, the earliest due first (the to-do panel)."""
    return reports_for(user=user).editable_by_coordinators(today).order_by("round__due_on", "locality__name_fi")


def report_events(report: LocalityReport) -> list[ReportEvent]:
    return list(report.events.select_related("actor"))


BREAKDOWN_PAGE_SIZE = 50


@dataclass(frozen=True)
class BreakdownPage:
    """One page of a breakdown (the venues' or the issuers'): its partners, each with what the report says of it
    (None when nothing yet), Django's `Page` for the pager, and `rest`: the sums of the saved rows of the
    partners on the other pages, by figure (`adult_culture`, ..., `cards_registered`). A page of any network is a
    few queries and `BREAKDOWN_PAGE_SIZE` rows, so that a locality of 10,000 partners opens its report as fast
    as one of 10, and its post stays far under Django's limit on the number of fields."""

    rows: list[tuple[Partner, VenueFigure | IssuerFigure | None]]
    page: Page
    rest: dict[str, int]

    @property
    def partner_ids(self) -> list[int]:
        return [partner.pk for partner, _row in self.rows]


@dataclass(frozen=True)
class Breakdown:
    venues: BreakdownPage
    issuers: BreakdownPage


def report_partners(report: LocalityReport) -> QuerySet[Partner]:
    """The partners a report's breakdowns may name: the locality's venues and issuers active at some point of
    the round's period. An issuer still proposed (or rejected) by Kaikukeskus issues no cards: it is not named."""
    return (
        Partner.objects.filter(locality_id=report.locality_id)
        .approved()
        .active_during(report.round.period_start, report.round.period_end)
    )


def report_breakdown(
    report: LocalityReport,
    *,
    venue_page: int | str = 1,
    issuer_page: int | str = 1,
    venue_ids: Iterable[int] | None = None,
    issuer_ids: Iterable[int] | None = None,
) -> Breakdown:
    """The breakdowns' pages the report form shows: page `venue_page` of the venues and `issuer_page` of the
    issuers, by name (a page number out of range gives the nearest page). `*_ids`: the partners whose rows were
    posted instead, those of the network among them (a partner added meanwhile does not shift a posted row onto
    another partner's)."""
    return Breakdown(
        venues=_breakdown_page(report, role=PartnerRole.VENUE, number=venue_page, partner_ids=venue_ids),
        issuers=_breakdown_page(report, role=PartnerRole.ISSUER, number=issuer_page, partner_ids=issuer_ids),
    )


def _breakdown_page(report: LocalityReport, *, role: str, number, partner_ids) -> BreakdownPage:
    partners = report_partners(report).filter(role=role).order_by("name", "pk")
    page = Paginator(partners, BREAKDOWN_PAGE_SIZE).get_page(number)
    shown = list(page.object_list if partner_ids is None else partners.filter(pk__in=list(partner_ids)))
    ids = [partner.pk for partner in shown]
    saved: dict[int, VenueFigure | IssuerFigure]
    if role == PartnerRole.VENUE:
        figures = report.venue_figures.all()
        saved = {row.partner_id: row for row in figures.filter(partner_id__in=ids)}
        rest = dict.fromkeys(USE_FIELDS, 0)
        others = figures.exclude(partner_id__in=ids).filter(partner__in=partners.order_by().values("pk"))
        for sector, adult, child in (
            others.order_by()
            .values("sector")
            .annotate(Sum("adult"), Sum("child"))
            .values_list("sector", "adult__sum", "child__sum")
        ):
            rest[f"adult_{sector}"], rest[f"child_{sector}"] = adult or 0, child or 0
    else:
        issuer_figures = report.issuer_figures.all()
        saved = {row.partner_id: row for row in issuer_figures.filter(partner_id__in=ids)}
        other_issuers = issuer_figures.exclude(partner_id__in=ids).filter(partner__in=partners.order_by().values("pk"))
        rest = {"cards_registered": other_issuers.aggregate(total=Sum("cards_registered"))["total"] or 0}
    return BreakdownPage(rows=[(partner, saved.get(partner.pk)) for partner in shown], page=page, rest=rest)


def report_figures(
    report: LocalityReport,
) -> tuple[list[tuple[Partner, VenueFigure]], list[tuple[Partner, IssuerFigure]]]:
    """The breakdowns' saved rows with their partners, by name (the read-only report: only the rows given)."""
    venues = report.venue_figures.select_related("partner").order_by("partner__name", "partner_id")
    issuers = report.issuer_figures.select_related("partner").order_by("partner__name", "partner_id")
    return [(row.partner, row) for row in venues], [(row.partner, row) for row in issuers]


# --- Public -----------------------------------------------------------------------------------------------


def published_years() -> QuerySet[NationalYear]:
    """The years visitors see (aggregated and published, or the published history), oldest first: the pages, the
    downloads, the open data and the annual report. One year: `published_years().get(year=...)`, which raises
    `NationalYear.DoesNotExist` for a year that is not published."""
    return NationalYear.objects.published().order_by("year")


def published_locality_years(*, year: int | None = None) -> QuerySet[LocalityYear]:
    """The localities' rows of the published years (what the aggregation wrote from approved reports: never a
    draft or a report under review), with their years and localities, by year and the locality's Finnish name;
    only `year`'s when given."""
    years = published_years() if year is None else published_years().filter(year=year)
    return (
        LocalityYear.objects.filter(national_year__in=years.order_by().values("pk"))
        .select_related("national_year", "locality")
        .order_by("national_year__year", "locality__name_fi", "locality_id")
    )


# --- Completeness and timeliness of a round ----------------------------------------------------------------

# Whether a report came on time is judged by its first submission (a report returned for a fix and sent again
# keeps its first date), as a date in the site's time zone, against the round's due date: the SQL twin of
# `LocalityReport.is_submitted_on_time`. A report imported by staff arrives approved without a submission: it
# counts as reported, neither on time nor late.
NOT_APPROVED = [status for status in LocalityReport.Status.values if status != LocalityReport.Status.APPROVED]


TIMELINESS = ("on_time", "late", "imported", "missing")


def _timeliness_conditions(*, reports: str = "", due_on: str = "round__due_on") -> dict[str, Q]:
    """The four kinds as conditions; `reports` is the path to the reports ("" from reports, "reports__" from
    rounds), `due_on` the path to the round's due date."""
    first = f"{reports}first_submitted_at"
    return {
        "on_time": Q(**{f"{first}__date__lte": F(due_on)}),
        "late": Q(**{f"{first}__date__gt": F(due_on)}),
        "imported": Q(**{f"{first}__isnull": True, f"{reports}status": LocalityReport.Status.APPROVED}),
        "missing": Q(**{f"{first}__isnull": True, f"{reports}status__in": NOT_APPROVED}),
    }


def reports_by_timeliness(reports: QuerySet[LocalityReport], kind: str) -> QuerySet[LocalityReport]:
    """The reports of one kind of `TIMELINESS` (the review queue's filter; the same rule as the counts)."""
    return reports.filter(_timeliness_conditions()[kind])


def localities_expected(reporting_round: ReportingRound) -> QuerySet[Locality]:
    """The localities expected to report for the round: those running at some point of its period. Opening the
    round makes a report for each of them."""
    return Locality.objects.running_during(reporting_round.period_start, reporting_round.period_end)


@dataclass(frozen=True)
class Completeness:
    """A round's reports: expected (one per locality running in the period, made when the round opens),
    reported on time, late, imported (approved without a submission) and missing (never submitted). A planned
    round has no reports yet: its `expected` are the localities that opening it will ask to report."""

    expected: int
    on_time: int
    late: int
    imported: int
    missing: int
    planned: bool = False

    @property
    def reported(self) -> int:
        return self.on_time + self.late + self.imported


def rounds_with_completeness(rounds: QuerySet[ReportingRound] | None = None) -> QuerySet[ReportingRound]:
    """Rounds annotated with `expected`, `on_time`, `late`, `imported` and `missing`: one query for any number
    of rounds (the rounds' admin list). An opened round expects the reports its opening made; a planned round
    the localities `localities_expected` would give it (the same rule, run for each round in the query)."""
    rounds = ReportingRound.objects.all() if rounds is None else rounds
    conditions = _timeliness_conditions(reports="reports__", due_on="due_on")
    running = (
        Locality.objects.running_during(OuterRef("period_start"), OuterRef("period_end"))
        .order_by()
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    return rounds.annotate(
        expected=Case(
            When(status=ReportingRound.Status.PLANNED, then=Subquery(running)),
            default=Count("reports__pk"),
        ),
        **{name: Count("reports__pk", filter=condition) for name, condition in conditions.items()},
    )


def round_completeness(reporting_round: ReportingRound) -> Completeness:
    """One round's completeness and timeliness (one query): `rounds_with_completeness` for this round."""
    counts = (
        rounds_with_completeness(ReportingRound.objects.filter(pk=reporting_round.pk))
        .values("expected", *TIMELINESS)
        .get()
    )
    return Completeness(**counts, planned=reporting_round.status == ReportingRound.Status.PLANNED)


def reports_to_remind(reporting_round: ReportingRound | None = None) -> QuerySet[LocalityReport]:
    """Reports of open rounds still with the coordinators that they are reminded of: drafts and returned
    reports. A report reopened after approval has its own last day and was e-mailed when it was reopened."""
    reports = (
        LocalityReport.objects.not_submitted()
        .exclude(status=LocalityReport.Status.REOPENED)
        .filter(round__status=ReportingRound.Status.OPEN)
    )
    if reporting_round is not None:
        reports = reports.filter(round=reporting_round)
    return reports.select_related("round", "locality")


def rounds_awaiting_review() -> QuerySet[ReportingRound]:
    """Rounds with submitted reports, each with `awaiting` (how many): staff's review to-do. One query."""
    return (
        ReportingRound.objects.annotate(
            awaiting=Count("reports", filter=Q(reports__in=LocalityReport.objects.awaiting_review().values("pk")))
        )
        .filter(awaiting__gt=0)
        .order_by("-period_start", "period_end")
    )
