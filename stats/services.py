"""Writes for the statistics: reporting rounds and the reports' workflow. Every state change is a function here:
keyword-only, one transaction, `actor=` for the permission check and history, e-mail sent after commit.

The workflow (DESIGN §4):

    draft ──submit──▶ submitted ──approve──▶ approved ──reopen (until a day, with a reason)──▶ reopened
      ▲                   │                                                                    │
      └───── returned ◀──return (comment)                              submit ◀────────────────┘

Coordinators fill in and submit; only staff approve, return and reopen. What may still be edited is one rule,
`LocalityReport.editable_by_coordinators()`.
"""

import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history
from kaikukeskus.locking import check_and_bump
from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.models import User
from localities import selectors as locality_selectors
from localities.models import Locality
from localities.permissions import require_scope, require_staff
from networks.models import PartnerRole
from networks.selectors import partner_counts_for_localities
from stats import imports, validation
from stats.models import (
    EDITABLE_FIELDS,
    FIGURES,
    IssuerFigure,
    LocalityReport,
    ReportEvent,
    ReportingRound,
    ReportReminder,
    VenueFigure,
)
from stats.selectors import localities_expected, previous_figures, report_partners, reports_to_remind

ROUND_FIELDS = ("title", "period_start", "period_end", "opens_on", "due_on", "closes_on")

history.register_reasons(
    {
        "round.opened": _l("Round opened"),
        "round.imported": _l("Created by an import"),
        "report.saved": _l("Saved"),
        "report.submitted": _l("Submitted"),
        "report.approved": _l("Approved"),
        "report.returned": _l("Returned"),
        "report.reopened": _l("Reopened"),
    }
)


class ReportLockedError(ValidationError):
    """The report cannot be changed in its status (submitted, approved, a closed round, an ended exception)."""

    def __init__(self, report: LocalityReport):
        super().__init__(
            _("This report is %(status)s and can no longer be changed.") % {"status": report.get_status_display()},
            code="locked",
        )


class AlreadyReviewedError(ValidationError):
    """Someone reviewed the report first (a moment ago, or in another tab): nothing was overwritten."""

    def __init__(self, report: LocalityReport):
        params = {
            "name": report.reviewed_by.display_name if report.reviewed_by else _("Someone"),
            "date": formats.date_format(timezone.localtime(report.reviewed_at), "SHORT_DATE_FORMAT"),
        }
        if report.status == LocalityReport.Status.APPROVED:
            message = _("%(name)s already approved this report on %(date)s; nothing was changed.")
        else:
            message = _("%(name)s already returned this report on %(date)s; nothing was changed.")
        super().__init__(message % params, code="already_reviewed")


# --- Rounds -----------------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor: User | None,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    opens_on: datetime.date,
    due_on: datetime.date,
    closes_on: datetime.date,
    status: str = ReportingRound.Status.PLANNED,
    reason: str | None = None,
) -> ReportingRound:
    """Create a round: planned (opening it makes the reports), or as `status` says (an import's rounds are
    closed: their reports arrive approved). `reason` goes to the round's history. `actor` None: the system (an
    import run from the command line); otherwise national staff only."""
    if actor is not None:
        require_staff(actor)
    reporting_round = ReportingRound(
        title=title,
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        due_on=due_on,
        closes_on=closes_on,
        status=status,
        created_by=actor,
    )
    history.save(reporting_round, actor=actor, reason=reason or "created")
    return reporting_round


@transaction.atomic
def round_open(*, actor: User | None, reporting_round: ReportingRound) -> int:
    """Open the round: every locality running during the period gets a draft report, prefilled with its
    municipalities and its network at the period's end. Safe to run again (a locality that started since gets
    its report; existing reports are left as they are). Returns how many reports were created."""
    require_staff(actor)
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if reporting_round.status != ReportingRound.Status.OPEN:
        reporting_round.status = ReportingRound.Status.OPEN
        reporting_round.save(update_fields=["status"])
    return _create_missing_reports(reporting_round, actor=actor)


def _create_missing_reports(reporting_round: ReportingRound, *, actor: User | None) -> int:
    missing = list(localities_expected(reporting_round).exclude(reports__round=reporting_round).order_by("pk"))
    if not missing:
        return 0
    reports = [LocalityReport(round=reporting_round, locality=locality) for locality in missing]
    prefill_network(reports, on=reporting_round.period_end)
    # The round's row is locked (select_for_update above), so two openings cannot both create a locality's report.
    history.bulk_create(reports, LocalityReport, actor=actor, reason="round.opened")
    return len(reports)


def prefill_network(reports: list[LocalityReport], *, on: datetime.date) -> None:
    """Municipalities, issuers and venues from the localities and their networks at `on` (a few queries for any
    number of reports)."""
    localities = [report.locality for report in reports]
    counts = partner_counts_for_localities(localities=localities, on=on)
    municipalities = dict(
        Locality.municipalities.through.objects.filter(locality__in=localities)
        .values_list("locality_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for report in reports:
        network = counts.get(report.locality_id)
        report.issuers = network.issuers if network else 0
        report.venues = network.venues if network else 0
        report.municipalities = municipalities.get(report.locality_id, 0)


@transaction.atomic
def round_close(*, actor: User | None, reporting_round: ReportingRound) -> ReportingRound:
    """Close the round: drafts can no longer be filled in (returned and reopened reports still can)."""
    require_staff(actor)
    reporting_round.status = ReportingRound.Status.CLOSED
    reporting_round.save(update_fields=["status"])
    return reporting_round


# --- Reports: the coordinators' side -----------------------------------------------------------------------


def _locked_for_update(report: LocalityReport) -> LocalityReport:
    return LocalityReport.objects.select_for_update(of=("self",)).select_related("round", "locality").get(pk=report.pk)


def _check_editable(actor: User | None, report: LocalityReport) -> None:
    require_scope(actor, report.locality)
    if not report.editable_by_coordinators():
        raise ReportLockedError(report)


@transaction.atomic
def report_save(
    *,
    actor: User | None,
    report: LocalityReport,
    data: Mapping[str, object],
    venue_rows: Iterable[validation.VenueRow] | None = None,
    issuer_rows: Iterable[validation.IssuerRow] | None = None,
    breakdown_partners: Collection[int] | None = None,
    explanations: Mapping[str, str] | None = None,
    expected_version: int | None,
) -> LocalityReport:
    """Save what the coordinator typed, as a draft: blanks are allowed, wrong values are not, and a breakdown
    need not add up yet (it is filled in page by page; a submission checks the sums). Breakdowns given replace
    the saved rows of `breakdown_partners` (the form's page; None: the whole breakdown) and keep the others;
    None leaves them. Raises `StaleVersionError` when someone saved in between."""
    saved, _network = _save(
        actor=actor,
        report=report,
        data=data,
        venue_rows=venue_rows,
        issuer_rows=issuer_rows,
        breakdown_partners=breakdown_partners,
        explanations=explanations,
        expected_version=expected_version,
    )
    return saved


def _save(
    *, actor: User | None, report, data, venue_rows, issuer_rows, breakdown_partners, explanations, expected_version
) -> tuple[LocalityReport, dict[str, set[int]]]:
    """`report_save`'s work; also returns the network it checked the breakdowns against, so that a submission
    checks the report against the same partners without reading them again."""
    current = _locked_for_update(report)
    _check_editable(actor, current)
    network = _network_of(current)
    venue_rows = None if venue_rows is None else list(venue_rows)
    issuer_rows = None if issuer_rows is None else list(issuer_rows)
    errors = validation.check_figures(
        data,
        required=False,
        venue_rows=venue_rows or (),
        issuer_rows=issuer_rows or (),
        **network,
    )
    if errors:
        # The None key (the whole report) is this app's: stats.views.portal._add_service_errors and the admin's
        # review place it on top of the form; Django's own ValidationError keys name fields.
        raise ValidationError(validation.Findings(errors=errors).error_dict())  # type: ignore[arg-type]
    check_and_bump(current, expected_version=expected_version)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    if explanations is not None:
        current.explanations = {code: text.strip() for code, text in explanations.items() if text and text.strip()}
    current.full_clean(exclude=["round", "locality"])
    history.save(current, actor=actor, reason="report.saved", clean=False)
    _replace_breakdowns(current, venue_rows=venue_rows, issuer_rows=issuer_rows, partners=breakdown_partners)
    return current, network


def _network_of(report: LocalityReport) -> dict[str, set[int]]:
    """The partner ids a breakdown may name (`selectors.report_partners`), as `validation.check_figures` takes
    them."""
    venues: set[int] = set()
    issuers: set[int] = set()
    for partner_id, role in report_partners(report).values_list("pk", "role"):
        (venues if role == PartnerRole.VENUE else issuers).add(partner_id)
    return {"allowed_venues": venues, "allowed_issuers": issuers}


def _replace_breakdowns(report, *, venue_rows, issuer_rows, partners: Collection[int] | None) -> None:
    """The rows given replace the saved rows of `partners` (None: all); a row of zeros is no row. Rows of
    partners no longer in the period's network go too: no page of the form shows them to be corrected."""
    network = report_partners(report).order_by().values("pk")
    if venue_rows is not None:
        _replaced(report.venue_figures, partners, network).delete()
        VenueFigure.objects.bulk_create(
            VenueFigure(report=report, partner_id=row.partner_id, sector=row.sector, adult=row.adult, child=row.child)
            for row in venue_rows
            if row.adult or row.child
        )
    if issuer_rows is not None:
        _replaced(report.issuer_figures, partners, network).delete()
        IssuerFigure.objects.bulk_create(
            IssuerFigure(report=report, partner_id=row.partner_id, cards_registered=row.cards_registered)
            for row in issuer_rows
            if row.cards_registered
        )


def _replaced(figures, partners: Collection[int] | None, network) -> QuerySet:
    if partners is None:
        return figures.all()
    return figures.filter(Q(partner_id__in=list(partners)) | ~Q(partner__in=network))


SAVED_PREVIOUS = object()  # `report_findings(previous=)`: read the report a year earlier from the database


def report_findings(
    report: LocalityReport,
    *,
    data: Mapping[str, object] | None = None,
    complete: bool = True,
    previous: "LocalityReport | object | None" = SAVED_PREVIOUS,
    network: dict[str, set[int]] | None = None,
) -> validation.Findings:
    """A report's errors and warnings, the one place that judges a report: the portal's page shows these
    warnings (and keeps the explanations of these), a submission is refused on these errors and unexplained
    warnings, the review lists them.

    `data`: what was posted (the values typed right, as `report_save` takes them), judged instead of what is
    saved. `complete`: judged as a submission must be (every figure given, the saved breakdowns add up to the
    totals and name only the network's partners); False: each value on its own, as a draft may be. `previous`:
    the report a year earlier when the caller has it already (None: there is none); `network`: the report's
    partners when the caller has them already."""
    values: Mapping[str, Any] = (
        data if data is not None else {name: getattr(report, name) for name in (*FIGURES, "venues")}
    )
    figures = {name: values.get(name) for name in FIGURES}
    if previous is SAVED_PREVIOUS:
        previous_values = previous_figures(report)
    else:
        previous_values = previous.figures() if isinstance(previous, LocalityReport) else None
    if complete:
        network = network if network is not None else _network_of(report)
        venue_rows = [
            validation.VenueRow(row.partner_id, row.sector, row.adult, row.child) for row in report.venue_figures.all()
        ]
        issuer_rows = [
            validation.IssuerRow(row.partner_id, row.cards_registered) for row in report.issuer_figures.all()
        ]
        errors = validation.check_figures(
            figures, required=True, venue_rows=venue_rows, issuer_rows=issuer_rows, **network
        )
    else:
        errors = validation.check_figures(figures, required=False)
    return validation.Findings(
        errors=errors,
        warnings=validation.check_warnings(figures, previous=previous_values, venues=values.get("venues")),
    )


@transaction.atomic
def report_submit(
    *,
    actor: User | None,
    report: LocalityReport,
    data: Mapping[str, object] | None = None,
    venue_rows: Iterable[validation.VenueRow] | None = None,
    issuer_rows: Iterable[validation.IssuerRow] | None = None,
    breakdown_partners: Collection[int] | None = None,
    explanations: Mapping[str, str] | None = None,
    unreadable: Collection[str] = (),
    expected_version: int | None,
) -> LocalityReport:
    """Save (as `report_save` does) and submit for review. Refused (a `ValidationError` by field with every
    problem at once, nothing changed) while a figure is missing or wrong, a breakdown does not add up, or a
    warning has no written explanation. `unreadable`: the fields the caller could not read from what was typed
    (left out of `data`; the caller says why): the submission is refused, and their own findings left out."""
    report, network = _save(
        actor=actor,
        report=report,
        data=data or {},
        venue_rows=venue_rows,
        issuer_rows=issuer_rows,
        breakdown_partners=breakdown_partners,
        explanations=explanations,
        expected_version=expected_version,
    )
    findings = report_findings(report, network=network)
    problems: dict = {field: errors for field, errors in findings.error_dict().items() if field not in unreadable}
    for warning in findings.unexplained(report.explanations):
        problems[f"explanation:{warning.code}"] = _("Explain this before submitting: %(warning)s") % {
            "warning": warning.message
        }
    if problems or unreadable:
        raise ValidationError(problems or _("Correct the values marked before submitting."))
    now = timezone.now()
    report.status = LocalityReport.Status.SUBMITTED
    report.submitted_at = now
    report.submitted_by = actor
    report.first_submitted_at = report.first_submitted_at or now
    report.reopened_until = None
    # The draft's save above took this submission's new version: one action, one version.
    history.save(report, actor=actor, reason="report.submitted", clean=False, claim_version=False)
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMITTED, actor=actor, at=now)
    return report


# --- Reports: review by staff ------------------------------------------------------------------------------


def _review_target(actor: User | None, report: LocalityReport, *, allowed: tuple[str, ...]) -> LocalityReport:
    require_staff(actor)
    current = _locked_for_update(report)
    if current.status not in allowed:
        if current.status in (LocalityReport.Status.APPROVED, LocalityReport.Status.RETURNED) and current.reviewed_at:
            raise AlreadyReviewedError(current)
        raise ValidationError(
            _("A report in status %(status)s cannot be reviewed.") % {"status": current.get_status_display()},
            code="wrong_status",
        )
    return current


def mark_approved(report: LocalityReport, *, actor: User | None, at) -> None:
    """What approving sets, by a review or an import: locked, reviewed by whom and when, any lock exception over."""
    report.status = LocalityReport.Status.APPROVED
    report.reviewed_at, report.reviewed_by = at, actor
    report.reopened_until, report.reopen_reason = None, ""


@transaction.atomic
def report_approve(*, actor: User | None, report: LocalityReport, comment: str = "") -> LocalityReport:
    """Approve a submitted report: it is locked and counts in the year's aggregation. A second approval (another
    tab, another reviewer) is refused and says who approved it."""
    current = _review_target(actor, report, allowed=LocalityReport.REVIEWABLE)
    now = timezone.now()
    mark_approved(current, actor=actor, at=now)
    check_and_bump(current, expected_version=None)
    history.save(current, actor=actor, reason="report.approved", clean=False)
    ReportEvent.objects.create(report=current, action=ReportEvent.Action.APPROVED, actor=actor, at=now, comment=comment)
    return current


@transaction.atomic
def report_return(*, actor: User | None, report: LocalityReport, comment: str, notify: bool = True) -> LocalityReport:
    """Return a submitted report to the coordinators with a comment; they are told by e-mail in their language
    (`notify=False`: nobody is, as when seed_demo writes the demo's history)."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should be fixed: the coordinators read this.")})
    current = _review_target(actor, report, allowed=LocalityReport.REVIEWABLE)
    now = timezone.now()
    current.status = LocalityReport.Status.RETURNED
    current.reviewed_at, current.reviewed_by = now, actor
    current.return_comment = comment
    check_and_bump(current, expected_version=None)
    history.save(current, actor=actor, reason=history.with_detail("report.returned", comment), clean=False)
    ReportEvent.objects.create(report=current, action=ReportEvent.Action.RETURNED, actor=actor, at=now, comment=comment)
    if notify:
        send_report_email(report=current, template="stats/email/report_returned.txt")
    return current


@transaction.atomic
def report_reopen(
    *, actor: User | None, report: LocalityReport, until: datetime.date, reason: str, notify: bool = True
) -> LocalityReport:
    """A lock exception: staff open an approved report for correction until `until`, with a reason. The
    coordinators edit and submit it again (told by e-mail unless `notify=False`); on `until` it locks again by
    itself. Until it is approved again it is out of the aggregation."""
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for reopening: it stays in the report's history.")
    if until is None or until < timezone.localdate():
        errors["until"] = _("The last day must be today or later.")
    if errors:
        raise ValidationError(errors)
    current = _review_target(actor, report, allowed=LocalityReport.REOPENABLE)
    current.status = LocalityReport.Status.REOPENED
    current.reopened_until, current.reopen_reason = until, reason
    check_and_bump(current, expected_version=None)
    history.save(current, actor=actor, reason=history.with_detail("report.reopened", reason), clean=False)
    ReportEvent.objects.create(report=current, action=ReportEvent.Action.REOPENED, actor=actor, comment=reason)
    if notify:
        send_report_email(report=current, template="stats/email/report_reopened.txt")
    return current


@transaction.atomic
def round_update(*, actor: User | None, reporting_round: ReportingRound, **fields) -> ReportingRound:
    """Change a round's title or dates (its status changes only by opening and closing it)."""
    require_staff(actor)
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"not a round field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(reporting_round, name, value)
    history.save(reporting_round, actor=actor, reason="edited")
    return reporting_round


# --- Import -----------------------------------------------------------------------------------------------


@transaction.atomic
def reports_import(*, actor: User | None, name: str, content: bytes) -> "imports.ImportPlan":
    """Import approved reports from a CSV or .xlsx file (`stats.imports` for the rules): all or nothing. The
    plan is returned; when it has errors nothing was written. `actor` None: the command line, run by the server's
    operator; otherwise national staff only."""
    if actor is not None:
        require_staff(actor)
    plan = imports.plan_import(name=name, content=content)
    if plan.errors:
        return plan
    # The reports a row replaces are locked, then checked again: one approved meanwhile is not overwritten.
    replaced = {
        report.pk: report
        for report in LocalityReport.objects.select_for_update(of=("self",)).filter(
            pk__in=[row.report.pk for row in plan.rows if row.report is not None]
        )
    }
    for row in plan.rows:
        if row.report is not None and replaced[row.report.pk].status == LocalityReport.Status.APPROVED:
            plan.errors.append(imports.Problem(row.line, _("The report was approved meanwhile; nothing was imported.")))
    if plan.errors:
        return plan
    now = timezone.now()
    rounds = {period: reporting_round for period, reporting_round in plan.rounds.items() if reporting_round}
    for period in plan.new_rounds:
        rounds[period] = _round_for_import(period, actor=actor)
    reason = history.with_detail("imported", name)
    new_reports: list[LocalityReport] = []
    changed: list[LocalityReport] = []
    for row in plan.rows:
        report = (
            replaced[row.report.pk]
            if row.report is not None
            else LocalityReport(round=rounds[row.period], locality=row.locality)
        )
        for figure, value in row.figures.items():
            setattr(report, figure, value)
        mark_approved(report, actor=actor, at=now)
        (changed if report.pk else new_reports).append(report)
    by_period: dict[datetime.date, list[LocalityReport]] = {}
    for report in new_reports:
        by_period.setdefault(report.round.period_end, []).append(report)
    for period_end, reports in by_period.items():
        prefill_network(reports, on=period_end)
    history.bulk_create(new_reports, LocalityReport, actor=actor, reason=reason)
    for report in changed:
        check_and_bump(report, expected_version=None)  # a coordinator's form opened before reports a conflict
        history.save(report, actor=actor, reason=reason, clean=False)
    created = {
        (report.round_id, report.locality_id): report
        for report in LocalityReport.objects.filter(
            round__in=list(rounds.values()), locality__in=[report.locality_id for report in new_reports]
        )
    }
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report=report if report.pk else created[(report.round.pk, report.locality_id)],
            action=ReportEvent.Action.IMPORTED,
            actor=actor,
            at=now,
            comment=reason,
        )
        for report in [*new_reports, *changed]
    )
    return plan


def _round_for_import(period: tuple[datetime.date, datetime.date], *, actor: User | None) -> ReportingRound:
    """A closed round for a period that had none: its reports arrive approved, nobody fills anything in."""
    start, end = period
    title = imports.round_title(start, end)
    if ReportingRound.objects.filter(title=title).exists():
        title = f"{title} ({start.isoformat()} – {end.isoformat()})"
    opens_on = end + datetime.timedelta(days=1)
    return round_create(
        actor=actor,
        title=title,
        period_start=start,
        period_end=end,
        opens_on=opens_on,
        due_on=opens_on,
        closes_on=opens_on,
        status=ReportingRound.Status.CLOSED,
        reason="round.imported",
    )


# --- Reminders --------------------------------------------------------------------------------------------

REMINDER_DAYS = {ReportReminder.Kind.DUE_IN_14: 14, ReportReminder.Kind.DUE_IN_3: 3}


def reminder_kind(reporting_round: ReportingRound, *, on: datetime.date) -> str | None:
    """The scheduled reminder a round's missing reports are due on `on`: 14 days before the due date (from 14
    days down to 4), 3 days before (3 down to the due date itself), overdue (after it), else none. Windows, not
    single days, so that a day the task did not run loses nothing; each kind still goes once per report."""
    days_left = (reporting_round.due_on - on).days
    if days_left < 0:
        return ReportReminder.Kind.OVERDUE
    if days_left <= REMINDER_DAYS[ReportReminder.Kind.DUE_IN_3]:
        return ReportReminder.Kind.DUE_IN_3
    if days_left <= REMINDER_DAYS[ReportReminder.Kind.DUE_IN_14]:
        return ReportReminder.Kind.DUE_IN_14
    return None


@dataclass(frozen=True)
class Reminded:
    reports: int  # reports whose coordinators were reminded now
    emails: int
    without_coordinators: tuple[str, ...] = ()  # localities with no active coordinator to remind


@transaction.atomic
def reminders_send(*, on: datetime.date | None = None) -> Reminded:
    """The daily reminders (Celery beat): the coordinators of every report of an open round that is still with
    them (`selectors.reports_to_remind`) get the reminder of the day's kind, in their own language, once per
    report and kind (a `ReportReminder` row records it), so the task can run twice or miss a day without harm.
    A locality without an active coordinator is reminded when it has one."""
    on = on or timezone.localdate()
    # The open rounds are locked, so that two runs at once do not both send.
    rounds = list(ReportingRound.objects.open().select_for_update().order_by("pk"))
    kinds = {reporting_round.pk: kind for reporting_round in rounds if (kind := reminder_kind(reporting_round, on=on))}
    if not kinds:
        return Reminded(reports=0, emails=0)
    reports = list(reports_to_remind().filter(round_id__in=kinds).order_by("pk"))
    already = set(
        ReportReminder.objects.filter(report__in=reports, kind__in=set(kinds.values())).values_list("report_id", "kind")
    )
    due = [(report, kinds[report.round_id]) for report in reports if (report.pk, kinds[report.round_id]) not in already]
    return _remind(due, on=on, actor=None)


@transaction.atomic
def reminders_send_missing(*, actor: User | None, reporting_round: ReportingRound) -> Reminded:
    """Staff's button: remind now the coordinators of the round's reports still with them, at most once per
    report and day."""
    require_staff(actor)
    reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if reporting_round.status != ReportingRound.Status.OPEN:
        raise ValidationError(_("Only an open round's coordinators can be reminded."), code="round_not_open")
    on = timezone.localdate()
    reports = list(reports_to_remind(reporting_round).order_by("pk"))
    already = set(
        ReportReminder.objects.filter(report__in=reports, kind=ReportReminder.Kind.MANUAL, sent_on=on).values_list(
            "report_id", flat=True
        )
    )
    due = [(report, ReportReminder.Kind.MANUAL) for report in reports if report.pk not in already]
    return _remind(due, on=on, actor=actor)


def _remind(due: Sequence[tuple[LocalityReport, str]], *, on: datetime.date, actor: User | None) -> Reminded:
    users_by_locality: dict[int, list] = {}
    memberships = locality_selectors.coordinator_memberships_to_tell(
        localities={report.locality_id for report, _kind in due}, on=on
    )
    for membership in memberships:
        users = users_by_locality.setdefault(membership.locality_id, [])
        if membership.user not in users:
            users.append(membership.user)
    sendable = [(report, kind) for report, kind in due if users_by_locality.get(report.locality_id)]
    ReportReminder.objects.bulk_create(
        ReportReminder(
            report=report, kind=kind, sent_on=on, sent_by=actor, recipients=len(users_by_locality[report.locality_id])
        )
        for report, kind in sendable
    )
    for report, kind in sendable:
        overdue = on > report.round.due_on
        send_report_email(
            report=report,
            template="stats/email/reminder_overdue.txt" if overdue else "stats/email/reminder_due.txt",
            users=users_by_locality[report.locality_id],
            context={
                "days_left": (report.round.due_on - on).days,
                "kind": kind,
                "accepts_late": on <= report.round.closes_on,
            },
        )
    without = sorted({str(report.locality) for report, _kind in due if not users_by_locality.get(report.locality_id)})
    return Reminded(
        reports=len(sendable),
        emails=sum(len(users_by_locality[report.locality_id]) for report, _kind in sendable),
        without_coordinators=tuple(without),
    )


# --- E-mail -----------------------------------------------------------------------------------------------


def report_recipients(report: LocalityReport):
    """The locality's coordinators to e-mail (each gets it in their own language)."""
    return locality_selectors.coordinators_to_tell(locality=report.locality_id)


def report_link(report: LocalityReport, *, language: str) -> str:
    return site_url("stats:report-edit", language=language, kwargs={"slug": report.locality.slug, "pk": report.pk})


def send_report_email(*, report: LocalityReport, template: str, users=None, context: Mapping | None = None) -> int:
    """Queue one e-mail per coordinator, in their language, in the caller's transaction. `context` adds to the
    template's (report, user, link)."""
    sent = 0
    for user in users if users is not None else report_recipients(report):
        language = language_of(user)
        values = {**(context or {}), "report": report, "user": user, "link": report_link(report, language=language)}
        send_later(to=user.email, template=template, context=values, language=language)
        sent += 1
    return sent
