"""Reporting rounds: their completeness and timeliness, opening, closing and reminding."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import WithoutViewsMixin, object_view_url
from stats import selectors, services
from stats.models import (
    ReportingRound,
)


@admin.register(ReportingRound)
class ReportingRoundAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("delete",)  # a round's reports are history
    # In view at 1280 px beside the filters: the round (its title names the period), when it is due, and its
    # completeness.
    list_display = ["title", "due", "status", "expected", "on_time", "late", "missing"]
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

    @admin.display(description=_("due on"), ordering="due_on")
    def due(self, reporting_round):
        return date_format(reporting_round.due_on, "SHORT_DATE_FORMAT")

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
        # Two counts, each with its own plural: the reports, then the e-mails.
        reminded = ngettext(
            "The coordinators of %(count)d report not submitted were reminded.",
            "The coordinators of %(count)d reports not submitted were reminded.",
            result.reports,
        ) % {"count": result.reports}
        sent = ngettext("%(count)d e-mail was sent.", "%(count)d e-mails were sent.", result.emails) % {
            "count": result.emails
        }
        self.message_user(request, f"{reminded} {sent}", messages.SUCCESS)
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
