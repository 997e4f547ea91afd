"""The staff workspace's statistics pages (national staff only, `staff_page`): the rounds and their completeness,
one round's reports with the reminder button, a report's review with approve and return (and reopen once it is
approved), and a year's aggregation and publishing after a confirmation that names the localities that have not
reported. Thin views: `stats.workspace` reads, `stats.services` and `stats.aggregation` write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaikukeskus.forms import add_service_errors
from localities.permissions import staff_page
from stats import aggregation, selectors, services, workspace
from stats.models import ReportingRound


@staff_page
@require_GET
def round_list(request):
    return render(request, "stats/staff/round_list.html", {"rounds": list(workspace.rounds())})


@staff_page
@require_GET
def round_detail(request, pk: int):
    reporting_round = get_object_or_404(workspace.rounds(), pk=pk)
    return render(
        request,
        "stats/staff/round_detail.html",
        {
            "round": reporting_round,
            "completeness": selectors.round_completeness(reporting_round),
            "reports": list(workspace.round_reports(reporting_round)),
            "to_remind": (
                selectors.reports_to_remind(reporting_round).count()
                if reporting_round.status == ReportingRound.Status.OPEN
                else 0
            ),
        },
    )


@staff_page
@require_POST
def round_remind(request, pk: int):
    reporting_round = get_object_or_404(ReportingRound, pk=pk)
    try:
        reminded = services.reminders_send_missing(actor=request.user, reporting_round=reporting_round)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "The coordinators of %(count)d report not submitted were reminded (%(emails)d e-mails).",
                "The coordinators of %(count)d reports not submitted were reminded (%(emails)d e-mails).",
                reminded.reports,
            )
            % {"count": reminded.reports, "emails": reminded.emails},
        )
        if reminded.without_coordinators:
            messages.warning(
                request,
                _("No active coordinator to remind in: %(localities)s")
                % {"localities": ", ".join(reminded.without_coordinators)},
            )
    return redirect("stats:staff-round", pk=reporting_round.pk)


@staff_page
@require_http_methods(["GET", "POST"])
def report_review(request, pk: int):
    report = workspace.report_for_review_or_404(pk)
    review = workspace.report_review(report)
    review_forms = workspace.review_forms(report)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in review_forms:
            messages.error(request, _("This report cannot be reviewed in its status."))
            return redirect("stats:staff-report", pk=report.pk)
        form = review_forms[action] = workspace.REVIEW_FORMS[action](request.POST, prefix=action)
        if form.is_valid():
            try:
                _review(request, report, action, form.cleaned_data)
            except services.AlreadyReviewedError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("stats:staff-report", pk=report.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if action == "reopen":  # back to the report, now open for its coordinators
                    return redirect("stats:staff-report", pk=report.pk)
                following = workspace.next_awaiting(report)
                if following is not None:
                    return redirect("stats:staff-report", pk=following.pk)
                return redirect("stats:staff-round", pk=report.round_id)
        status = 400
    return render(
        request,
        "stats/staff/report_review.html",
        {
            "report": report,
            "review": review,
            "review_forms": review_forms,
            "events": selectors.report_events(report),
            "history": workspace.report_history(report),
        },
        status=status,
    )


def _review(request, report, action: str, data: dict) -> None:
    """One review action through its service, and the message that confirms it."""
    if action == "approve":
        services.report_approve(actor=request.user, report=report, comment=data["comment"])
        messages.success(request, _("The report of %(report)s is approved.") % {"report": report})
    elif action == "return":
        services.report_return(actor=request.user, report=report, comment=data["comment"])
        messages.success(
            request,
            _("The report of %(report)s is returned to the coordinators, who are told by e-mail.") % {"report": report},
        )
    else:
        services.report_reopen(actor=request.user, report=report, until=data["until"], reason=data["reason"])
        messages.success(
            request,
            _("The report of %(report)s is open for correction until %(date)s.")
            % {"report": report, "date": date_format(data["until"])},
        )


@staff_page
@require_GET
def year_list(request):
    return render(request, "stats/staff/year_list.html", {"years": workspace.years()})


@staff_page
@require_GET
def year_detail(request, year: int):
    status = workspace.year_status(workspace.valid_year_or_404(year))
    return render(request, "stats/staff/year_detail.html", {"status": status, "publish_form": workspace.PublishForm()})


@staff_page
@require_POST
def year_aggregate(request, year: int):
    year = workspace.valid_year_or_404(year)
    try:
        result = aggregation.aggregate_year(year=year, actor=request.user)
    except aggregation.HistoryYearError as error:
        messages.error(request, " ".join(error.messages))
    else:
        national_year = result.national_year
        messages.success(
            request,
            _("%(year)s aggregated: %(reporting)s of %(expected)s localities reporting.")
            % {"year": year, "reporting": national_year.localities, "expected": national_year.localities_expected},
        )
    return redirect("stats:staff-year", year=year)


@staff_page
@require_http_methods(["GET", "POST"])
def year_publish(request, year: int):
    """The confirmation step: the localities without an approved report by name, then the button."""
    status = workspace.year_status(workspace.valid_year_or_404(year))
    form = workspace.PublishForm(request.POST if request.method == "POST" else None)
    if status.national_year is None:
        messages.error(request, _("Aggregate the year before publishing it."))
        return redirect("stats:staff-year", year=year)
    if request.method == "POST" and form.is_valid():
        try:
            aggregation.year_publish(year=year, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(year)s is published.") % {"year": year})
            return redirect("stats:staff-year", year=year)
    return render(
        request,
        "stats/staff/year_publish.html",
        {"status": status, "form": form},
        status=400 if form.is_bound else 200,
    )
