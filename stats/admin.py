"""Staff's side of the statistics: reporting rounds with their completeness and timeliness, and the review queue
of the localities' reports. Every change goes through `stats.services` (opening, closing, reminding, approving,
returning, reopening, importing); the reports themselves are read-only here: coordinators fill them in, staff
return or reopen them."""

import copy
import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import WithoutViewsMixin, object_view_url
from kaikukeskus.admin_spreadsheets import SpreadsheetAdminMixin
from kaikukeskus.forms import ReasonableDateField
from kaikukeskus.spreadsheet_reader import MAX_UPLOAD_BYTES, validate_upload
from localities.permissions import scoped
from stats import aggregation, imports, selectors, services
from stats.models import (
    FIGURES,
    NETWORK_FIELDS,
    LocalityReport,
    NationalYear,
    ReportEvent,
    ReportingRound,
    ReportReminder,
)
from stats.resources import ReportResource

# --- Reporting rounds -------------------------------------------------------------------------------------


@admin.register(ReportingRound)
class ReportingRoundAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("delete",)  # a round's reports are history
    list_display = [
        "title",
        "period_start",
        "period_end",
        "due_on",
        "status",
        "expected",
        "on_time",
        "late",
        "missing",
    ]
    list_filter = ["status"]
    search_fields = ["title"]
    date_hierarchy = None
    actions = ["open_rounds", "close_rounds"]
    change_form_template = "admin/stats/reportinground/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "period_start", "period_end"]}),
        (_("Dates"), {"fields": ["opens_on", "due_on", "closes_on"]}),
        (_("Status"), {"fields": ["status", "completeness", "created_by", "created_at"]}),
    ]

    def get_queryset(self, request):
        return selectors.rounds_with_completeness(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fixed = ["status", "completeness", "created_by", "created_at"]
        # Reports belong to the period: once the round exists, its period stays.
        return [*fixed, "period_start", "period_end"] if obj is not None else fixed

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in services.ROUND_FIELDS if name in form.cleaned_data}
        if change:
            services.round_update(actor=request.user, reporting_round=obj, **values)
        else:
            created = services.round_create(actor=request.user, **values)
            obj.pk, obj._state.adding = created.pk, False

    @admin.display(description=_("expected"), ordering="expected")
    def expected(self, reporting_round):
        return reporting_round.expected

    @admin.display(description=_("on time"), ordering="on_time")
    def on_time(self, reporting_round):
        return reporting_round.on_time

    @admin.display(description=_("late"), ordering="late")
    def late(self, reporting_round):
        return reporting_round.late

    @admin.display(description=_("missing"), ordering="missing")
    def missing(self, reporting_round):
        if reporting_round.missing:
            return format_html('<strong class="overdue">⚠ {}</strong>', reporting_round.missing)
        return "0"

    @admin.display(description=_("completeness and timeliness"))
    def completeness(self, reporting_round):
        if not reporting_round.pk:
            return "–"
        counts = selectors.round_completeness(reporting_round)
        if counts.planned:
            return ngettext(
                "Not opened yet: %(count)d locality will be expected to report (those running during the period).",
                "Not opened yet: %(count)d localities will be expected to report (those running during the period).",
                counts.expected,
            ) % {"count": counts.expected}
        queue = reverse("admin:stats_localityreport_changelist")
        labels = [
            ("expected", gettext("expected"), counts.expected, ""),
            ("on_time", gettext("on time"), counts.on_time, "on_time"),
            ("late", gettext("late"), counts.late, "late"),
            ("imported", gettext("imported"), counts.imported, "imported"),
            ("missing", gettext("missing"), counts.missing, "missing"),
        ]
        items = format_html_join(
            "",
            '<li><a href="{}?round__id__exact={}{}">{}: {}</a></li>',
            (
                (queue, reporting_round.pk, f"&timeliness={kind}" if kind else "", label, count)
                for _name, label, count, kind in labels
            ),
        )
        return format_html('<ul class="completeness">{}</ul>', items)

    # Actions over the list, and buttons on the round's page.

    @admin.action(description=_("Open the selected rounds (creates the reports)"))
    def open_rounds(self, request, queryset):
        for reporting_round in queryset:
            self._open(request, reporting_round)

    @admin.action(description=_("Close the selected rounds"))
    def close_rounds(self, request, queryset):
        for reporting_round in queryset:
            self._close(request, reporting_round)

    def _open(self, request, reporting_round):
        created = services.round_open(actor=request.user, reporting_round=reporting_round)
        self.message_user(
            request,
            ngettext(
                "%(round)s is open: %(count)d report was created.",
                "%(round)s is open: %(count)d reports were created.",
                created,
            )
            % {"round": reporting_round, "count": created},
            messages.SUCCESS,
        )

    def _close(self, request, reporting_round):
        services.round_close(actor=request.user, reporting_round=reporting_round)
        self.message_user(request, gettext("%(round)s is closed.") % {"round": reporting_round}, messages.SUCCESS)

    def _remind(self, request, reporting_round):
        try:
            result = services.reminders_send_missing(actor=request.user, reporting_round=reporting_round)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "The coordinators of %(count)d report not submitted were reminded (%(emails)d e-mails).",
                "The coordinators of %(count)d reports not submitted were reminded (%(emails)d e-mails).",
                result.reports,
            )
            % {"count": result.reports, "emails": result.emails},
            messages.SUCCESS,
        )
        if result.without_coordinators:
            self.message_user(
                request,
                gettext("No active coordinator to remind in: %(localities)s")
                % {"localities": ", ".join(result.without_coordinators)},
                messages.WARNING,
            )

    def get_urls(self):
        return [
            object_view_url(self, "open", self._button(self._open)),
            object_view_url(self, "close", self._button(self._close)),
            object_view_url(self, "remind", self._button(self._remind)),
            *super().get_urls(),
        ]

    def _button(self, act):
        """A POST-only button on the round's page: act, then back to the page."""

        def view(request, object_id):
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            reporting_round = self.get_object(request, object_id)
            if reporting_round is None:
                raise Http404
            if not self.has_change_permission(request, reporting_round):
                raise PermissionDenied
            act(request, reporting_round)
            return redirect("admin:stats_reportinground_change", reporting_round.pk)

        return view

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "to_remind": None}
        reporting_round = self.get_object(request, object_id)
        if reporting_round is not None and reporting_round.status == ReportingRound.Status.OPEN:
            extra_context["to_remind"] = selectors.reports_to_remind(reporting_round).count()
        return super().change_view(request, object_id, form_url, extra_context=extra_context)


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


class ReviewCommentForm(forms.Form):
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


REVIEW_FORMS = {"approve": ReviewCommentForm, "return": ReturnForm, "reopen": ReopenForm}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or Excel (.xlsx), at most 5 MB, with the header row below."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


@admin.register(LocalityReport)
class LocalityReportAdmin(WithoutViewsMixin, SpreadsheetAdminMixin, ExportMixin, SimpleHistoryAdmin):
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
        allowed = []
        if report.status in LocalityReport.REVIEWABLE:
            allowed = ["approve", "return"]
        elif report.status in LocalityReport.REOPENABLE:
            allowed = ["reopen"]
        review_forms = {action: REVIEW_FORMS[action](prefix=action) for action in allowed}
        if bound is not None:
            review_forms[bound[0]] = bound[1]
        if "reopen" in review_forms and bound is None:
            review_forms["reopen"].initial = {
                "until": report.reopened_until or timezone.localdate() + datetime.timedelta(days=14)
            }
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

    # --- Import ------------------------------------------------------------------------------------------------

    def import_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        plan = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read(MAX_UPLOAD_BYTES + 1)
            check_only = "check" in request.POST
            if check_only:
                plan = imports.plan_import(name=upload.name, content=content)
            else:
                plan = services.reports_import(actor=request.user, name=upload.name, content=content)
            if not plan.errors and not check_only:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d approved report was imported from %(file)s.",
                        "%(count)d approved reports were imported from %(file)s.",
                        len(plan.rows),
                    )
                    % {"count": len(plan.rows), "file": upload.name},
                    messages.SUCCESS,
                )
                for warning in plan.warnings:
                    self.message_user(request, str(warning), messages.WARNING)
                return redirect("admin:stats_localityreport_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import approved reports"),
            "form": form,
            "plan": plan,
            "header": ",".join(imports.HEADER),
            "checked": plan is not None and "check" in request.POST,
        }
        return TemplateResponse(request, "admin/stats/localityreport/import.html", context)

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


# --- National years: aggregate and publish ----------------------------------------------------------------


class AggregateYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2015, max_value=2100)
    publish = forms.BooleanField(
        label=_("Publish the year at once"),
        required=False,
        help_text=_("Visitors, the downloads and the open data see a year once it is published."),
    )
    force = forms.BooleanField(
        label=_("Replace the published history"),
        required=False,
        help_text=_("Only for 2015–2023: the figures Kaikukeskus published are replaced by the sums of the reports."),
    )


class PublishedFilter(admin.SimpleListFilter):
    title = _("published")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("Published")), ("no", _("Not published"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.published()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.published().values("pk"))
        return queryset


@admin.register(NationalYear)
class NationalYearAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    """The national years: the published history and the aggregated years. Their figures are never typed in:
    staff aggregate a year from the approved reports (again whenever a report changes) and publish it."""

    without_views = ("add", "delete")
    list_display = ["year", "source", "uses_total", "cards_registered", "reporting", "generated_at", "published_at"]
    list_filter = ["source", PublishedFilter]
    actions = ["aggregate_again", "publish", "unpublish"]
    change_list_template = "admin/stats/nationalyear/change_list.html"
    ordering = ["-year"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in NationalYear._meta.fields if field.name != "id"]

    @admin.display(description=_("uses in total"), ordering="total_uses")
    def uses_total(self, national_year):
        return national_year.uses_total

    @admin.display(description=_("localities reporting"))
    def reporting(self, national_year):
        if national_year.localities is None:
            return "–"
        if national_year.localities_expected is None:
            return national_year.localities
        return f"{national_year.localities} / {national_year.localities_expected}"

    @admin.action(description=_("Aggregate again from the approved reports"))
    def aggregate_again(self, request, queryset):
        for national_year in queryset:
            try:
                self._aggregate(request, year=national_year.year, publish=False, force=False)
            except aggregation.HistoryYearError as error:
                self.message_user(request, str(error), messages.WARNING)

    @admin.action(description=_("Publish the selected years"))
    def publish(self, request, queryset):
        for national_year in queryset:
            aggregation.year_publish(year=national_year.year, actor=request.user)
        self.message_user(request, gettext("Published: %(years)s") % {"years": _years(queryset)}, messages.SUCCESS)

    @admin.action(description=_("Take the selected years off the public pages"))
    def unpublish(self, request, queryset):
        for national_year in queryset:
            aggregation.year_unpublish(year=national_year.year, actor=request.user)
        self.message_user(
            request, gettext("No longer public: %(years)s") % {"years": _years(queryset)}, messages.SUCCESS
        )

    def _aggregate(self, request, *, year: int, publish: bool, force: bool) -> None:
        result = aggregation.aggregate_year(year=year, actor=request.user, publish=publish, force=force)
        national_year = result.national_year
        self.message_user(
            request,
            gettext("%(year)s aggregated: %(reporting)s of %(expected)s localities reporting.")
            % {
                "year": year,
                "reporting": national_year.localities,
                "expected": national_year.localities_expected,
            }
            + (" " + gettext("The year is public.") if national_year.is_published else ""),
            messages.SUCCESS,
        )

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "aggregate/",
                self.admin_site.admin_view(self.aggregate_view),
                name=f"{opts.app_label}_{opts.model_name}_aggregate",
            ),
            *super().get_urls(),
        ]

    def aggregate_view(self, request):
        if not self.has_view_permission(request) or not request.user.acts_as_national_staff:
            raise PermissionDenied
        form = AggregateYearForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                self._aggregate(request, year=data["year"], publish=data["publish"], force=data["force"])
            except aggregation.HistoryYearError as error:
                form.add_error("force", str(error))
            else:
                return redirect("admin:stats_nationalyear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Aggregate a year"),
            "form": form,
        }
        return TemplateResponse(request, "admin/stats/nationalyear/aggregate.html", context)


def _years(queryset) -> str:
    return ", ".join(str(year) for year in sorted(queryset.values_list("year", flat=True)))
