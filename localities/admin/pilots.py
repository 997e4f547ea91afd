"""The national milestone template, pilots, their milestones and the pilot review board."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import DeleteThroughServiceMixin, WithoutViewsMixin, object_view_url, save_inline_through
from kaikukeskus.i18n import translated
from kaikukeskus.locking import VersionedAdminForm, VersionedAdminMixin
from localities import selectors, services
from localities.admin.common import OverdueFilter, RegionFilter, int_or_404, overdue_flag
from localities.models import Locality, Milestone, MilestoneTemplate, Pilot, PilotBoard
from localities.permissions import localities_for


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["position", "title_fi", "title_sv", "title_en", "due_offset_days", "is_active"]
    list_display_links = ["title_fi"]
    list_editable = ["position", "due_offset_days", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title_fi", "title_sv", "title_en"]
    ordering = ["position"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["position", "title_fi", "title_sv", "title_en", "due_on", "done_on", "done_by", "note"]
    readonly_fields = ["done_on", "done_by", "note"]  # marked done in the portal, through the service
    ordering = ["position"]


@admin.register(Pilot)
class PilotAdmin(VersionedAdminMixin, WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)  # a pilot starts when the locality begins preparing (Change status)
    list_display = ["locality", "planned_start_on", "created_at", "created_by"]
    list_select_related = ["locality", "created_by"]
    search_fields = ["locality__name_fi", "locality__slug"]
    readonly_fields = ["locality", "created_at", "created_by"]
    inlines = [MilestoneInline]
    form = VersionedAdminForm  # a save over a newer one (another admin, the status form) is refused

    def save_model(self, request, obj, form, change):
        # Through the service: the open milestones move with the planned start, and who moved it is recorded.
        services.pilot_reschedule(
            actor=request.user,
            pilot=obj,
            planned_start_on=form.cleaned_data["planned_start_on"],
            expected_version=form.expected_version,
        )

    def save_formset(self, request, form, formset, change):
        # The milestone rows through the service: who changed them in their history, and a new version each, so
        # that a milestone's own change form or a correction opened before reports a conflict.
        save_inline_through(
            formset,
            actor=request.user,
            row_as="milestone",
            save=services.milestone_save,
            delete=services.milestone_delete,
        )


@admin.register(Milestone)
class MilestoneAdmin(DeleteThroughServiceMixin, VersionedAdminMixin, WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)  # a pilot's milestones are copied from the national template
    form = VersionedAdminForm  # a save over a newer one (a correction, a reschedule, another admin) is refused
    delete_service, delete_row_as = services.milestone_delete, "milestone"
    list_display = ["title_fi", "locality", "due_on", "done_on", "is_late"]
    list_filter = [OverdueFilter, "pilot__locality__status", "template"]
    search_fields = ["title_fi", "title_sv", "pilot__locality__name_fi"]
    list_select_related = ["pilot__locality"]
    readonly_fields = ["pilot", "template", "done_on", "done_by", "note"]
    fields = [
        "pilot",
        "template",
        "position",
        "title_fi",
        "title_sv",
        "title_en",
        "due_on",
        "done_on",
        "done_by",
        "note",
    ]
    ordering = ["due_on"]

    def save_model(self, request, obj, form, change):
        services.milestone_save(actor=request.user, milestone=obj, expected_version=form.expected_version)

    @admin.display(description=_("locality"), ordering="pilot__locality__name_fi")
    def locality(self, milestone):
        return milestone.pilot.locality

    @admin.display(description=_("overdue"), boolean=True)
    def is_late(self, milestone):
        return milestone.is_overdue()


class HasOverdueFilter(admin.SimpleListFilter):
    title = _("overdue work")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("yes", _("Has overdue milestones or actions")), ("no", _("Nothing overdue"))]

    def queryset(self, request, queryset):
        late = Q(milestones_overdue__gt=0) | Q(actions_overdue__gt=0)
        if self.value() == "yes":
            return queryset.filter(late)
        if self.value() == "no":
            return queryset.exclude(late)
        return queryset


class BoardStatusFilter(admin.SimpleListFilter):
    """Only the statuses the board shows."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(status, Locality.Status(status).label) for status in selectors.BOARD_STATUSES]

    def queryset(self, request, queryset):
        if self.value() in selectors.BOARD_STATUSES:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(PilotBoard)
class PilotBoardAdmin(WithoutViewsMixin, admin.ModelAdmin):
    """Every preparing or piloting locality with its progress, next milestone, overdue work and last feedback
    meeting: one annotated query, sortable by every column, filterable, each row opening the locality's
    timeline."""

    without_views = ("add", "change", "delete")  # a board to read; localities are edited under Localities
    # What staff look for first, in view at 1280 px beside the filters: who is late, then how far each pilot is and
    # what comes next (with its date). The last feedback meeting is on each locality's timeline.
    list_display = [
        "board_name",
        "status",
        "overdue_milestones",
        "overdue_actions",
        "progress",
        "next_milestone",
    ]
    list_display_links = None
    list_filter = [BoardStatusFilter, HasOverdueFilter, "county", RegionFilter]
    search_fields = ["name_fi", "name_sv", "name_en", "municipalities__name_fi", "municipalities__name_sv"]
    list_select_related = ["county"]
    list_per_page = 100

    class Media:
        css = {"all": ["localities/admin.css"]}

    def get_queryset(self, request):
        return selectors.pilot_board(user=request.user, base=PilotBoard.objects.all())

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": gettext("Pilot review board"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra_context)

    def get_ordering(self, request):
        # The most overdue first, then the soonest next milestone (annotations, hence not `ordering`).
        return ["-milestones_overdue", "next_milestone_due_on", "name_fi"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.acts_as_national_staff

    @admin.display(description=_("locality"), ordering="name_fi")
    def board_name(self, locality):
        url = reverse("admin:localities_pilotboard_timeline", args=[locality.pk])
        return format_html('<a href="{}">{}</a>', url, locality.name)

    @admin.display(description=_("progress"), ordering="milestones_done")
    def progress(self, locality):
        return f"{locality.milestones_done} / {locality.milestones_total}"

    @admin.display(description=_("next milestone"), ordering="next_milestone_due_on")
    def next_milestone(self, locality):
        title = translated(locality, "next_milestone_title")
        if not title:
            return "–"
        return format_html(
            "{}<br><small>{}</small>", title, date_format(locality.next_milestone_due_on, "SHORT_DATE_FORMAT")
        )

    @admin.display(description=_("overdue milestones"), ordering="milestones_overdue")
    def overdue_milestones(self, locality):
        return overdue_flag(locality.milestones_overdue)

    @admin.display(description=_("overdue actions"), ordering="actions_overdue")
    def overdue_actions(self, locality):
        return overdue_flag(locality.actions_overdue)

    def get_urls(self):
        # A board, not a model to edit: its list and each locality's timeline are all there is.
        changelist = [url for url in super().get_urls() if url.name == "localities_pilotboard_changelist"]
        return [object_view_url(self, "timeline", self.timeline_view), *changelist]

    def timeline_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        locality = get_object_or_404(localities_for(request.user).select_related("county"), pk=int_or_404(object_id))
        board_row = selectors.with_pilot_progress(Locality.objects.filter(pk=locality.pk)).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Timeline of %(locality)s") % {"locality": locality},
            "locality": locality,
            "row": board_row,
            "events": selectors.locality_timeline(user=request.user, locality=locality),
        }
        return TemplateResponse(request, "admin/localities/timeline.html", context)
