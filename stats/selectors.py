"""Reads for the statistics, scoped through `localities/permissions.py`: a coordinator's query never reaches
another locality's report."""

from dataclasses import dataclass

from django.db.models import QuerySet

from localities.permissions import get_scoped_or_404, scoped
from networks.models import Partner, PartnerRole
from stats.models import FIGURES, IssuerFigure, LocalityReport, LocalityYear, NationalYear, ReportEvent, VenueFigure


def reports_for(*, user) -> QuerySet[LocalityReport]:
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


@dataclass(frozen=True)
class Breakdown:
    """The rows a report's breakdowns offer: the locality's venues and issuers in the network on some day of the
    period, each with what the report says of it (None when nothing yet)."""

    venues: list[tuple[Partner, VenueFigure | None]]
    issuers: list[tuple[Partner, IssuerFigure | None]]


def report_breakdown(report: LocalityReport) -> Breakdown:
    partners = (
        Partner.objects.filter(locality_id=report.locality_id)
        .active_during(report.round.period_start, report.round.period_end)
        .order_by("name", "pk")
    )
    venue_figures = {row.partner_id: row for row in report.venue_figures.all()}
    issuer_figures = {row.partner_id: row for row in report.issuer_figures.all()}
    venues, issuers = [], []
    for partner in partners:
        if partner.role == PartnerRole.VENUE:
            venues.append((partner, venue_figures.get(partner.pk)))
        else:
            issuers.append((partner, issuer_figures.get(partner.pk)))
    return Breakdown(venues=venues, issuers=issuers)


# --- Public -----------------------------------------------------------------------------------------------


def published_year(*, year: int) -> NationalYear:
    """A year the public may see: published (aggregated and published, or the published history).
    `NationalYear.DoesNotExist` for any other."""
    return NationalYear.objects.published().get(year=year)


def locality_years(national_year: NationalYear) -> QuerySet[LocalityYear]:
    """The year's per-locality rows, with their localities, in the order of the localities' Finnish names."""
    return national_year.locality_years.select_related("locality").order_by("locality__name_fi", "locality_id")


def published_years() -> QuerySet[NationalYear]:
    """The years visitors see, oldest first."""
    return NationalYear.objects.published().order_by("year")


def published_locality_years(*, year: int | None = None) -> QuerySet[LocalityYear]:
    """The localities' rows of the published years (what the aggregation wrote from approved reports: never a
    draft or a report under review), by year and the locality's Finnish name."""
    queryset = LocalityYear.objects.filter(national_year__published_at__isnull=False).select_related(
        "national_year", "locality"
    )
    if year is not None:
        queryset = queryset.filter(national_year__year=year)
    return queryset.order_by("national_year__year", "locality__name_fi", "locality_id")
