"""The coordinators' statistics pages in the portal: a locality's reports, and one report (the form while the
coordinators may still change it, a read-only page once it is locked). Thin views: the report comes through
the scoping selector (another locality's report answers 404), the form reads, one service writes."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaikukeskus.forms import add_service_errors
from kaikukeskus.locking import StaleVersionError
from localities.permissions import locality_for_user_or_404
from stats import selectors, services, validation
from stats.forms import BreakdownForms, ReportForm, explanation_field, posted_partner_ids
from stats.models import FIGURES, NETWORK_FIELDS, LocalityReport

EXPLANATION = "explanation:"
BREAKDOWN_ROWS = "breakdown"  # what `report_submit(unreadable=)` is told when a breakdown row is typed wrong


@login_required
@require_GET
def report_list(request, slug: str):
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    reports = selectors.locality_reports(user=request.user, locality=locality)
    return render(request, "stats/portal_report_list.html", {"locality": locality, "reports": reports})


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, slug: str, pk: int):
    report = selectors.report_for_user_or_404(user=request.user, locality_slug=slug, pk=pk)
    previous = selectors.previous_report(report)
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, report=report, previous=previous)
    if not report.editable_by_coordinators():
        return _locked(request, report, previous, form)
    pages = _breakdown_pages(request)
    posted = posted_partner_ids(request.POST) if data is not None else {"venue": None, "issuer": None}
    breakdown = BreakdownForms(
        data,
        breakdown=selectors.report_breakdown(report, **pages, venue_ids=posted["venue"], issuer_ids=posted["issuer"]),
    )
    if data is None:
        findings, status = services.report_findings(report, complete=False, previous=previous), 200
    else:
        outcome = _save_posted(request, report, previous, form, breakdown)
        if isinstance(outcome, HttpResponse):
            return outcome
        findings, status = outcome
    return render(
        request,
        "stats/portal_report_form.html",
        {
            "locality": report.locality,
            "report": report,
            "previous": previous,
            "form": form,
            "breakdown": breakdown,
            "warnings": [(warning, form.explanation_of(warning.code)) for warning in findings.warnings],
            "events": selectors.report_events(report),
            "breakdown_checks": breakdown.checks(form),
            "row_errors": breakdown.error_links(),
        },
        status=status,
    )


def _save_posted(
    request, report: LocalityReport, previous: LocalityReport | None, form: ReportForm, breakdown: BreakdownForms
) -> HttpResponse | tuple[validation.Findings, int]:
    """Save or submit what was posted: where it leads (the report saved: to the same page), or the findings to
    show on the form again and the page's status. A draft saves every value typed right and keeps the rest as
    typed, with their problems; a submission is all or nothing, with every problem at once (what was typed
    wrong, and the report's own)."""
    form.is_valid()
    rows_valid = breakdown.is_valid()
    # The warnings of what was typed: the page shows them, and a save keeps their explanations.
    findings = services.report_findings(report, data=form.values(), complete=False, previous=previous)
    submitting = "submit" in request.POST
    unreadable = form.unreadable() + ([] if rows_valid else [BREAKDOWN_ROWS])
    changes = {
        "actor": request.user,
        "report": report,
        "data": form.values(),
        "venue_rows": breakdown.venue_rows(),
        "issuer_rows": breakdown.issuer_rows(),
        "breakdown_partners": breakdown.partner_ids(),
        "explanations": form.explanations(warning.code for warning in findings.warnings),
        "expected_version": form.expected_version,
    }
    try:
        if submitting:
            saved = services.report_submit(**changes, unreadable=unreadable)
        else:
            saved = services.report_save(**changes)
    except StaleVersionError as error:
        # Someone saved the report meanwhile: the page keeps what this person typed and shows what the other
        # saved beside it; saving again overwrites knowingly.
        form.show_conflict(error)
        return findings, 409
    except services.ReportLockedError:
        report.refresh_from_db()
        return _locked(request, report, previous, form)
    except ValidationError as error:
        _add_service_errors(form, error)
        return findings, 400
    if unreadable:
        messages.warning(
            request, _("The draft was saved, except the values marked below: they are shown as you typed them.")
        )
        form.based_on(saved)
        return findings, 200
    if submitting:
        messages.success(request, _("The report was submitted. Kaikukeskus will review it."))
    else:
        messages.success(request, _("The draft was saved."))
    return redirect(_with_pages(request.path, _breakdown_pages(request, moving=True)))


PAGE_PARAMETERS = ("venue_page", "issuer_page")


def _breakdown_pages(request, *, moving: bool = False) -> dict[str, str]:
    """The breakdowns' pages the form shows: from the address, or from the form posted (its hidden fields say
    which pages it showed). `moving`: a pager's button was pressed ("Save and show the next venues"): the page
    it leads to, after the save."""
    source = request.POST if request.method == "POST" else request.GET
    pages = {name: _page_number(source.get(name)) for name in PAGE_PARAMETERS}
    if moving:
        pages.update(
            {
                name: _page_number(request.POST[f"show_{name}"])
                for name in PAGE_PARAMETERS
                if f"show_{name}" in request.POST
            }
        )
    return pages


def _page_number(value: str | None) -> str:
    """A page's number as typed into an address, or 1 (the paginator gives the last page for one too large)."""
    return value if value and value.isdecimal() and len(value) <= 6 else "1"


def _with_pages(path: str, pages: dict[str, str]) -> str:
    query = urlencode({name: number for name, number in pages.items() if number not in ("", "1")})
    return f"{path}?{query}" if query else path


def _add_service_errors(form: ReportForm, error: ValidationError) -> None:
    """A service's errors beside their fields: a figure's on the figure, a warning's on its explanation
    (`explanation:<code>`), the rest on top of the form."""

    def field_of(name):
        return explanation_field(name.removeprefix(EXPLANATION)) if name and name.startswith(EXPLANATION) else name

    if hasattr(error, "error_dict"):
        # A field the form found wrong already says why; the report's other problems go beside theirs.
        error = ValidationError(
            {
                field_of(name): errors
                for name, errors in error.error_dict.items()
                if field_of(name) is None or field_of(name) not in form.errors
            }
        )
    elif form.errors:
        return  # the service's "correct the values marked": the form marks them already
    add_service_errors(form, error)


def _locked(request, report: LocalityReport, previous: LocalityReport | None, form: ReportForm):
    """The read-only report. A post to it changes nothing: a second click of "Submit" (or a submit from a tab
    opened before) leads to the submitted report; any other post is refused with what the person typed beside
    what is saved."""
    conflict_rows = []
    status = 200
    venue_figures, issuer_figures = selectors.report_figures(report)
    if request.method == "POST":
        if "submit" in request.POST and report.status == LocalityReport.Status.SUBMITTED:
            messages.info(request, _("The report has been submitted."))
            return redirect(request.path)
        status = 409
        messages.error(request, str(services.ReportLockedError(report).message))
        if form.is_valid():
            conflict_rows = form.differences(report)
    return render(
        request,
        "stats/portal_report_detail.html",
        {
            "locality": report.locality,
            "report": report,
            "previous": previous,
            "rows": _figure_rows(report, previous),
            "warnings": [
                (warning, report.explanations.get(warning.code, ""))
                for warning in services.report_findings(report, complete=False, previous=previous).warnings
            ],
            "events": selectors.report_events(report),
            "venue_figures": venue_figures,
            "issuer_figures": issuer_figures,
            "conflict_rows": conflict_rows,
        },
        status=status,
    )


def _figure_rows(report: LocalityReport, previous: LocalityReport | None) -> list[tuple[str, int | None, int | None]]:
    return [
        (
            LocalityReport._meta.get_field(name).verbose_name,
            getattr(report, name),
            getattr(previous, name) if previous else None,
        )
        for name in (*FIGURES, *NETWORK_FIELDS)
    ]
