"""National years: aggregate the approved reports and publish a year."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import WithoutViewsMixin
from stats import aggregation
from stats.models import (
    NationalYear,
)


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
        # "Published" of a year (ett år: publicerat in Swedish), not of a material or a training.
        return [("yes", pgettext_lazy("year", "Published")), ("no", _("Not published"))]

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
    # In view at 1280 px beside the filters: the year, its total and coverage, and when it was aggregated and
    # published (the figures themselves are on the year's page and the public one).
    list_display = ["year", "source", "uses_total", "reporting", "aggregated", "published"]
    list_filter = ["source", PublishedFilter]
    actions = ["aggregate_again", "publish", "unpublish"]
    change_list_template = "admin/stats/nationalyear/change_list.html"
    ordering = ["-year"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in NationalYear._meta.fields if field.name != "id"]

    @admin.display(description=_("uses in total"), ordering="total_uses")
    def uses_total(self, national_year):
        total = national_year.uses_total
        return "–" if total is None else number_format(total, force_grouping=True)

    @admin.display(description=_("aggregated"), ordering="generated_at")
    def aggregated(self, national_year):
        if national_year.generated_at is None:
            return "–"
        return date_format(timezone.localtime(national_year.generated_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("published"), ordering="published_at")
    def published(self, national_year):
        if national_year.published_at is None:
            return "–"
        return date_format(timezone.localtime(national_year.published_at), "SHORT_DATETIME_FORMAT")

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
