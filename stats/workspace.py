"""What the staff workspace's statistics pages read (the rounds' completeness, a report's review, a year before
publishing) and the small forms its buttons post. Nothing here writes: the buttons go to `stats.services` and
`stats.aggregation`, and a report is judged by `services.report_findings` only."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaikukeskus.forms import ReasonableDateField
from localities.models import Locality
from localities.sections import Section
from stats import aggregation, selectors, services
from stats.models import FIGURES, NETWORK_FIELDS, LocalityReport, NationalYear, ReportingRound

# --- Forms of the buttons ---------------------------------------------------------------------------------------


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be fixed"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The coordinators get this by e-mail, each in their own language's message."),
        error_messages={"required": _("Say what should be fixed: the coordinators read this.")},
    )


class ReopenForm(forms.Form):
    until = ReasonableDateField(
        label=_("Open for correction until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("On the day after, the report locks again by itself."),
    )
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for reopening: it stays in the report's history.")},
    )


REVIEW_FORMS: dict[str, type[forms.Form]] = {"approve": ApproveForm, "return": ReturnForm, "reopen": ReopenForm}
# A reopened report is open until a day: the form proposes two weeks.
REOPEN_DAYS = 14


def review_actions(report: LocalityReport) -> list[str]:
    """The review buttons the report's status allows, here and in the admin: a submitted report is approved or
    returned, an approved (or already reopened) one reopened for correction (`services.report_reopen`)."""
    if report.status in LocalityReport.REVIEWABLE:
        return ["approve", "return"]
    if report.status in LocalityReport.REOPENABLE:
        return ["reopen"]
    return []


def review_forms(report: LocalityReport, *, bound: tuple[str, forms.Form] | None = None) -> dict[str, forms.Form]:
    """The forms of `review_actions`, empty except the one posted (`bound`: its action and form)."""
    result = {action: REVIEW_FORMS[action](prefix=action) for action in review_actions(report)}
    if "reopen" in result:
        result["reopen"].initial = {
            "until": report.reopened_until or timezone.localdate() + datetime.timedelta(days=REOPEN_DAYS)
        }
    if bound is not None:
        result[bound[0]] = bound[1]
    return result


class PublishForm(forms.Form):
    """The confirmation: the person has read which localities have not reported."""

    confirm = forms.BooleanField(
        label=_("I have checked the localities that have not reported, and the year can be published."),
        error_messages={"required": _("Confirm that the year can be published.")},
    )


# --- Rounds -----------------------------------------------------------------------------------------------------


def rounds() -> QuerySet[ReportingRound]:
    """Every round with its completeness (`expected`, `on_time`, `late`, `imported`, `missing`) and `returned`
    and `awaiting` counts: one query for any number of rounds."""
    return (
        selectors.rounds_with_completeness(ReportingRound.objects.all())
        .annotate(
            returned=Count("reports__pk", filter=Q(reports__status=LocalityReport.Status.RETURNED), distinct=True),
            awaiting=Count("reports__pk", filter=Q(reports__status__in=LocalityReport.REVIEWABLE), distinct=True),
        )
        .order_by("-period_start", "period_end")
    )


def round_reports(reporting_round: ReportingRound) -> QuerySet[LocalityReport]:
    """The round's reports, those awaiting review first, with what the list shows (no query per row)."""
    return (
        reporting_round.reports.select_related("round", "locality", "reviewed_by")
        .annotate(
            queue=Case(
                When(status__in=LocalityReport.REVIEWABLE, then=Value(0)),
                When(status=LocalityReport.Status.RETURNED, then=Value(1)),
                When(status=LocalityReport.Status.APPROVED, then=Value(3)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("queue", "locality__name_fi")
    )


# --- A report's review ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    name: str
    label: str
    value: int | None
    previous: int | None
    change: int | None
    flagged: bool


@dataclass
class Review:
    report: LocalityReport
    previous: LocalityReport | None
    rows: list[FigureRow]
    warnings: list[dict[str, Any]]
    errors: list
    venues: list
    issuers: list
    actions: list[str] = field(default_factory=list)


def report_review(report: LocalityReport) -> Review:
    """The report beside the same period a year earlier, its warnings (judged by `services.report_findings`)
    with the coordinators' explanations, its breakdowns, and the review actions its status allows."""
    previous = selectors.previous_report(report)
    findings = services.report_findings(report, previous=previous)
    flagged = {finding.field for finding in findings.warnings}
    rows = []
    for name in (*FIGURES, "uses_total", *NETWORK_FIELDS):
        now = getattr(report, name)
        before = getattr(previous, name) if previous is not None else None
        if name == "uses_total":
            label = gettext("Uses in total")
        else:
            label = getattr(LocalityReport._meta.get_field(name), "verbose_name", name)
        rows.append(
            FigureRow(
                name=name,
                label=str(label),
                value=now,
                previous=before,
                change=now - before if now is not None and before is not None else None,
                flagged=name in flagged,
            )
        )
    explanations = report.explanations or {}
    venues, issuers = selectors.report_figures(report)
    return Review(
        report=report,
        previous=previous,
        rows=rows,
        warnings=[
            {"finding": warning, "explanation": explanations.get(warning.code, "")} for warning in findings.warnings
        ],
        errors=findings.errors,
        venues=venues,
        issuers=issuers,
        actions=review_actions(report),
    )


def report_for_review_or_404(pk: int) -> LocalityReport:
    return get_object_or_404(
        LocalityReport.objects.select_related("round", "locality", "submitted_by", "reviewed_by"), pk=pk
    )


def next_awaiting(report: LocalityReport) -> LocalityReport | None:
    """The next report of the same round waiting for review (by locality name), for "review the next"."""
    return (
        report.round.reports.awaiting_review()
        .exclude(pk=report.pk)
        .select_related("locality")
        .order_by("locality__name_fi")
        .first()
    )


def report_history(report: LocalityReport):
    """The report's saved versions, newest first, with who saved them and why (`|history_reason`)."""
    return report.history.select_related("history_user").order_by("-history_date", "-history_id")


# --- Years ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearStatus:
    year: int
    national_year: NationalYear | None
    rounds: list[ReportingRound]
    expected: int
    approved: int
    awaiting: int
    not_reported: list[Locality]
    # Localities with a report of the year approved after the year was last aggregated: its figures miss them.
    approved_since_aggregated: list[Locality] = field(default_factory=list)

    @property
    def reported_share(self) -> float | None:
        return 100 * self.approved / self.expected if self.expected else None

    @property
    def is_history(self) -> bool:
        return self.national_year is not None and self.national_year.source == NationalYear.Source.PUBLISHED


def years() -> list[dict[str, Any]]:
    """The years with a reporting round or a national year, newest first, each with its national year (or None):
    two queries."""
    national = {row.year: row for row in NationalYear.objects.all()}
    round_years = {start.year for start in ReportingRound.objects.values_list("period_start", flat=True)}
    return [{"year": year, "national_year": national.get(year)} for year in sorted(set(national) | round_years)[::-1]]


def year_status(year: int) -> YearStatus:
    """A year before aggregating or publishing: the localities expected to report (running during the year),
    how many have an approved report within it, how many wait for review, by name those without an approved
    report, and those whose report was approved after the year was last aggregated (its figures miss them until
    it is aggregated again). A fixed number of queries."""
    start, end = aggregation.year_bounds(year)
    approved = LocalityReport.objects.approved().within_year(year)
    # The aggregation's rule (aggregation._localities_and_municipalities): a locality that reported was expected.
    expected = Locality.objects.filter(
        Q(pk__in=approved.values("locality_id")) | Q(pk__in=Locality.objects.running_during(start, end))
    )
    has_approved = approved.filter(locality_id=OuterRef("pk"))
    rows = list(expected.annotate(has_approved=Exists(has_approved)).order_by("name_fi"))
    national_year = NationalYear.objects.filter(year=year).first()
    approved_since: list[Locality] = []
    if national_year is not None and national_year.generated_at is not None:
        approved_since = list(
            Locality.objects.filter(
                pk__in=approved.filter(reviewed_at__gt=national_year.generated_at).values("locality_id")
            ).order_by("name_fi")
        )
    return YearStatus(
        year=year,
        national_year=national_year,
        rounds=list(
            ReportingRound.objects.filter(period_start__gte=start, period_end__lte=end).order_by("period_start")
        ),
        expected=len(rows),
        approved=sum(1 for row in rows if row.has_approved),
        awaiting=LocalityReport.objects.awaiting_review().within_year(year).count(),
        not_reported=[row for row in rows if not row.has_approved],
        approved_since_aggregated=approved_since,
    )


def valid_year_or_404(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404("no such year")
    return year


# --- The locality's page in the staff workspace (localities.workspace registry) ---------------------------------


def locality_sections(request, locality: Locality) -> list[Section]:
    """The locality's reports, newest round first, each linked to its review: one query."""
    reports = list(
        locality.reports.select_related("round").order_by("-round__period_start", "-round__period_end", "-pk")
    )
    return [Section(template="stats/staff/locality_reports.html", context={"reports": reports})]
