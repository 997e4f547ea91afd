"""The review queue of the localities' reports, their workflow log and the reminders sent."""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import WithoutViewsMixin, object_view_url
from kaikukeskus.admin_spreadsheets import SpreadsheetAdminMixin
from localities.permissions import scoped
from stats import selectors, services, workspace
from stats.admin.imports import ReportImportMixin
from stats.models import (
    FIGURES,
    NETWORK_FIELDS,
    LocalityReport,
    ReportEvent,
    ReportReminder,
)
from stats.resources import ReportResource

# --- Locality reports: the review queue -------------------------------------------------------------------


class QueueFilter(admin.SimpleListFilter):
    """The report's own vocabulary (`LocalityReportQuerySet`)."""

    title = _("review")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("review", _("Awaiting review")),
            ("coordinators", _("With the coordinators")),
            ("approved", _("Approved")),
        ]

    def queryset(self, request, queryset):
        choices = {
            "review": queryset.awaiting_review,
            "coordinators": queryset.not_submitted,
            "approved": queryset.approved,
        }
        return choices[self.value()]() if self.value() in choices else queryset


class TimelinessFilter(admin.SimpleListFilter):
    title = _("timeliness")
    parameter_name = "timeliness"

    def lookups(self, request, model_admin):
        return [
            ("on_time", _("On time")),
            ("late", _("Late")),
            ("imported", _("Imported")),
            ("missing", _("Missing")),
        ]

    def queryset(self, request, queryset):
        if self.value() in selectors.TIMELINESS:
            return selectors.reports_by_timeliness(queryset, self.value())
        return queryset


# The review's forms and the buttons a status allows are the staff workspace's (stats.workspace): one rule.
REVIEW_FORMS = workspace.REVIEW_FORMS


@admin.register(LocalityReport)
class LocalityReportAdmin(ReportImportMixin, WithoutViewsMixin, SpreadsheetAdminMixin, ExportMixin, SimpleHistoryAdmin):
    # Reports are made by opening a round or by an import, changed by the coordinators and by the review
    # services; here they are read (and the history keeps every version).
    without_views = ("add", "change", "delete")
    resource_classes = [ReportResource]
    change_form_template = "admin/stats/localityreport/change_form.html"
    import_export_change_list_template = "admin/stats/localityreport/change_list.html"
    list_display = ["locality", "round", "status", "first_submitted_at", "timeliness", "reviewed_by", "reviewed_at"]
    list_filter = [QueueFilter, "round", "status", TimelinessFilter, "locality__status"]
    list_select_related = ["round", "locality", "reviewed_by"]
    search_fields = ["locality__name_fi", "locality__name_sv", "locality__slug", "round__title"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["round", "locality", "status"]}),
        (
            _("Workflow"),
            {
                "fields": [
                    "first_submitted_at",
                    "submitted_at",
                    "submitted_by",
                    "reviewed_at",
                    "reviewed_by",
                    "return_comment",
                    "reopened_until",
                    "reopen_reason",
                    "version",
                ]
            },
        ),
        (_("Highlights and challenges"), {"fields": ["highlights", "challenges"]}),
    ]

    class Media:
        css = {"all": ["localities/admin.css"]}

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), user=request.user)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("round", "locality")

    @admin.display(description=_("on time"), boolean=True)
    def timeliness(self, report):
        return report.is_submitted_on_time

    # --- The review: figures beside last year's, warnings and explanations, events, the three forms ---------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        if report is not None:
            extra_context = {**self._review_context(request, report, bound=None), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def _review_context(self, request, report, *, bound: tuple[str, forms.Form] | None) -> dict:
        previous = selectors.previous_report(report)
        findings = services.report_findings(report)
        rows = []
        for name in (*FIGURES, "uses_total", *NETWORK_FIELDS):
            now = getattr(report, name)
            before = getattr(previous, name) if previous is not None else None
            label = (
                gettext("Uses in total") if name == "uses_total" else LocalityReport._meta.get_field(name).verbose_name
            )
            rows.append(
                {
                    "name": name,
                    "label": label,
                    "value": now,
                    "previous": before,
                    "change": now - before if now is not None and before is not None else None,
                    "flagged": any(finding.field == name for finding in findings.warnings),
                }
            )
        warnings = [
            {"finding": warning, "explanation": (report.explanations or {}).get(warning.code, "")}
            for warning in findings.warnings
        ]
        review_forms = workspace.review_forms(report, bound=bound)
        return {
            "report": report,
            "previous_report": previous,
            "figure_rows": rows,
            "review_warnings": warnings,
            "review_errors": findings.errors,
            "events": report.events.select_related("actor"),
            "reminders": report.reminders.select_related("sent_by"),
            "review_forms": review_forms,
            "review_url": reverse("admin:stats_localityreport_review", args=[report.pk]),
            "bound_action": bound[0] if bound else None,
        }

    def review_view(self, request, object_id):
        """POST one of the review forms (`action`): the service decides; a refused form is shown again with
        its errors beside the fields, another reviewer's earlier decision as a message."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = self.get_object(request, object_id)
        if report is None:
            raise Http404
        action = request.POST.get("action")
        if action not in REVIEW_FORMS:
            raise Http404
        form = REVIEW_FORMS[action](request.POST, prefix=action)
        if form.is_valid():
            try:
                self._review(request, report, action, form.cleaned_data)
            except services.AlreadyReviewedError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect("admin:stats_localityreport_change", report.pk)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                return redirect(self._after_review_url(report))
        # Shown again as the report's page, with the bound form.
        page_request = copy.copy(request)
        page_request.method, page_request.POST = "GET", QueryDict()
        context = self._review_context(request, report, bound=(action, form))
        return self.change_view(page_request, object_id, extra_context=context)

    def _review(self, request, report, action: str, data: dict) -> None:
        if action == "approve":
            services.report_approve(actor=request.user, report=report, comment=data["comment"])
            message = gettext("The report of %(report)s is approved.")
        elif action == "return":
            services.report_return(actor=request.user, report=report, comment=data["comment"])
            message = gettext("The report of %(report)s is returned to the coordinators, who are told by e-mail.")
        else:
            services.report_reopen(actor=request.user, report=report, until=data["until"], reason=data["reason"])
            message = gettext("The report of %(report)s is open for correction until %(date)s.")
        self.message_user(
            request,
            message % {"report": report, "date": date_format(data.get("until") or timezone.localdate())},
            messages.SUCCESS,
        )

    def _after_review_url(self, report) -> str:
        """Back to the queue of the report's round, to the next one waiting."""
        queue = reverse("admin:stats_localityreport_changelist")
        return f"{queue}?queue=review&round__id__exact={report.round_id}"

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            object_view_url(self, "review", self.review_view),
            *super().get_urls(),
        ]


@admin.register(ReportEvent)
class ReportEventAdmin(WithoutViewsMixin, admin.ModelAdmin):
    """The reports' workflow log: read only, written by the services."""

    without_views = ("add", "change", "delete")
    list_display = ["report", "action", "actor", "at"]
    list_filter = ["action", "report__round"]
    list_select_related = ["report__round", "report__locality", "actor"]
    search_fields = ["report__locality__name_fi", "comment"]


@admin.register(ReportReminder)
class ReportReminderAdmin(WithoutViewsMixin, admin.ModelAdmin):
    without_views = ("add", "change", "delete")
    list_display = ["report", "kind", "sent_on", "sent_by", "recipients"]
    list_filter = ["kind", "report__round"]
    list_select_related = ["report__round", "report__locality", "sent_by"]
