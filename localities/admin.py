"""The administration for Kaikukeskus staff: localities with their lifecycle, import and export and history,
the national milestone template, pilots, the pilot review board, feedback meetings and their actions, the
prospect pipeline, agreements and access requests. Every change of state goes through `localities.services`."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.i18n import translated
from localities import selectors, services
from localities.forms import LocalityTransitionForm
from localities.models import (
    AccessRequest,
    Coordinator,
    FeedbackMeeting,
    FollowUpAction,
    Invitation,
    Locality,
    LocalityAgreement,
    LocalityStatusChange,
    Milestone,
    MilestoneTemplate,
    Municipality,
    OverdueReminder,
    Pilot,
    PilotBoard,
    Prospect,
    ProspectContact,
    Region,
    WellbeingServicesCounty,
)
from localities.permissions import localities_for, scoped
from localities.resources import LocalityResource

User = get_user_model()


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv"]
    search_fields = ["name_fi", "name_sv"]


@admin.register(WellbeingServicesCounty)
class WellbeingServicesCountyAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv"]
    search_fields = ["name_fi", "name_sv"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "region", "county"]
    list_filter = ["region", "county"]
    search_fields = ["code", "name_fi", "name_sv"]
    list_select_related = ["region", "county"]


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "side", "started_on", "ended_on"]
    can_delete = False  # a membership ends (ended on), it is never deleted: the history stays


class WithoutViewsMixin:
    """Leave out the admin views this model does not offer (`without_views`, e.g. "add" when rows are made by a
    service elsewhere), instead of answering 403 at their URLs."""

    without_views: tuple[str, ...] = ()

    def get_urls(self):
        names = {f"{self.opts.app_label}_{self.opts.model_name}_{view}" for view in self.without_views}
        return [url for url in super().get_urls() if url.name not in names]


class RegionFilter(admin.SimpleListFilter):
    """A locality lies in a region through its municipalities (a group may span two)."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(region.pk, region.name) for region in Region.objects.order_by("name_fi")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(pk__in=Locality.objects.filter(municipalities__region_id=self.value()).values("pk"))
        return queryset


class AgreementInline(admin.TabularInline):
    model = LocalityAgreement
    extra = 0
    fields = ["title", "signed_on", "valid_from", "valid_until", "download"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # agreements are filed in their own form, where the document is checked

    @admin.display(description=_("document"))
    def download(self, agreement):
        return _agreement_link(agreement)


def _agreement_link(agreement) -> str:
    if not agreement.pk:
        return "–"
    url = reverse("localities:agreement-download", kwargs={"slug": agreement.locality.slug, "pk": agreement.pk})
    return format_html('<a href="{}">{}</a>', url, gettext("Download"))


@admin.register(Locality)
class LocalityAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [LocalityResource]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a web page typed without a scheme
    list_display = ["name_fi", "kind", "status", "county", "pilot_start_on", "permanent_since", "ended_on"]
    list_filter = ["status", "kind", "county", RegionFilter, "local_only_card"]
    search_fields = [
        "name_fi",
        "name_sv",
        "name_en",
        "slug",
        "municipalities__name_fi",
        "municipalities__name_sv",
        "municipalities__code",
    ]
    prepopulated_fields = {"slug": ["name_fi"]}
    filter_horizontal = ["municipalities"]
    list_select_related = ["county"]
    date_hierarchy = None
    inlines = [CoordinatorInline, AgreementInline]
    readonly_fields = ["status_with_link", "invite_link", "created_at"]
    fieldsets = [
        (None, {"fields": ["name_fi", "name_sv", "name_en", "slug", "kind", "county", "municipalities"]}),
        (
            _("Lifecycle"),
            {
                "fields": [
                    "status_with_link",
                    "first_contact_on",
                    "pilot_start_on",
                    "pilot_end_on",
                    "permanent_since",
                    "ended_on",
                ],
                "description": _("The status changes through “Change status”, which checks the move and logs it."),
            },
        ),
        (_("Public information"), {"fields": ["website", "feedback_email", "local_only_card"]}),
        (_("Coordinators"), {"fields": ["invite_link"]}),
        (_("Staff only"), {"fields": ["staff_notes", "created_at"]}),
    ]

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), user=request.user, locality_path="pk")

    def view_on_site(self, locality):
        # The public page exists only for running localities; the portal page for every one.
        if locality.is_public:
            return reverse("localities:public-detail", kwargs={"slug": locality.slug})
        return reverse("localities:portal-detail", kwargs={"slug": locality.slug})

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("municipalities")

    @admin.display(description=_("status"))
    def status_with_link(self, locality):
        if not locality.pk:
            return Locality.Status.PROSPECT.label
        url = reverse("admin:localities_locality_transition", args=[locality.pk])
        return format_html('{} – <a href="{}">{}</a>', locality.get_status_display(), url, gettext("Change status"))

    @admin.display(description=_("invitation"))
    def invite_link(self, locality):
        if not locality.pk:
            return "–"
        url = reverse("admin:localities_invitation_add") + f"?locality={locality.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Invite a coordinator"))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="localities_locality_transition",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, object_id):
        """Move the locality in its lifecycle: the service checks the move and its dates and logs it."""
        locality = self.get_object(request, object_id)
        if locality is None:
            raise Http404
        if not self.has_change_permission(request, locality):
            raise PermissionDenied
        allowed = services.allowed_transitions(locality)
        form = LocalityTransitionForm(request.POST or None, locality=locality, allowed=allowed)
        if request.method == "POST" and form.is_valid():
            try:
                services.locality_transition(actor=request.user, locality=locality, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                locality.refresh_from_db()
                self.message_user(
                    request,
                    gettext("%(locality)s is now “%(status)s”.")
                    % {"locality": locality, "status": locality.get_status_display()},
                    messages.SUCCESS,
                )
                return redirect("admin:localities_locality_change", locality.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": locality,
            "title": gettext("Change the status of %(locality)s") % {"locality": locality},
            "form": form,
            "changes": locality.status_changes.select_related("changed_by"),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/localities/locality_transition.html", context)

    def save_model(self, request, obj, form, change):
        # The status never changes here (read-only); new localities start as prospects.
        obj.full_clean()
        super().save_model(request, obj, form, change)


@admin.register(Coordinator)
class CoordinatorAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("delete",)  # memberships end, they are not deleted
    list_display = ["user", "locality", "side", "started_on", "ended_on"]
    list_filter = ["side", "locality"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "locality__name_fi"]
    autocomplete_fields = ["user", "locality"]
    list_select_related = ["user", "locality"]
    actions = ["end_membership"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("End the selected memberships today"))
    def end_membership(self, request, queryset):
        ended = 0
        for coordinator in queryset.filter(ended_on__isnull=True):
            services.coordinator_end(actor=request.user, coordinator=coordinator)
            ended += 1
        self.message_user(request, _("%(count)d memberships ended.") % {"count": ended}, messages.SUCCESS)


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "locality", "side", "language"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationForm
    list_display = ["email", "locality", "side", "created_at", "expires_at", "accepted_at", "invited_by"]
    list_filter = ["side", "locality"]
    search_fields = ["email", "locality__name_fi"]
    list_select_related = ["locality", "invited_by"]

    def has_change_permission(self, request, obj=None):
        return False  # an invitation is sent once; send a new one instead

    def save_model(self, request, obj, form, change):
        invitation, _token = services.invitation_create(
            actor=request.user,
            email=form.cleaned_data["email"],
            locality=form.cleaned_data["locality"],
            side=form.cleaned_data["side"],
            language=form.cleaned_data["language"],
        )
        obj.pk = invitation.pk
        self.message_user(request, _("The invitation was sent to %(email)s.") % {"email": invitation.email})


@admin.register(LocalityStatusChange)
class LocalityStatusChangeAdmin(WithoutViewsMixin, admin.ModelAdmin):
    without_views = ("add", "delete")
    """The lifecycle log: read only, written by the lifecycle service."""

    list_display = ["locality", "from_status", "to_status", "effective_on", "changed_by", "changed_at"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["locality__name_fi", "locality__slug", "note"]
    list_select_related = ["locality", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The national milestone template, pilots and milestones -----------------------------------------------


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
class PilotAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)
    list_display = ["locality", "planned_start_on", "created_at", "created_by"]
    list_select_related = ["locality", "created_by"]
    search_fields = ["locality__name_fi", "locality__slug"]
    readonly_fields = ["locality", "created_at", "created_by"]
    inlines = [MilestoneInline]

    def has_add_permission(self, request):
        return False  # a pilot starts when the locality begins preparing (Change status)


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("open", _("Open")), ("done", _("Done"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(done_on__isnull=True, due_on__lt=today)
        if self.value() == "open":
            return queryset.filter(done_on__isnull=True)
        if self.value() == "done":
            return queryset.filter(done_on__isnull=False)
        return queryset


@admin.register(Milestone)
class MilestoneAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)
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

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("locality"), ordering="pilot__locality__name_fi")
    def locality(self, milestone):
        return milestone.pilot.locality

    @admin.display(description=_("overdue"), boolean=True)
    def is_late(self, milestone):
        return milestone.is_overdue()


# --- The pilot review board -------------------------------------------------------------------------------


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
class PilotBoardAdmin(admin.ModelAdmin):
    """Every preparing or piloting locality with its progress, next milestone, overdue work and last feedback
    meeting: one annotated query, sortable by every column, filterable, each row opening the locality's
    timeline."""

    list_display = [
        "board_name",
        "status",
        "progress",
        "next_milestone",
        "next_milestone_due",
        "overdue_milestones",
        "overdue_actions",
        "last_meeting",
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_national_staff

    @admin.display(description=_("locality"), ordering="name_fi")
    def board_name(self, locality):
        url = reverse("admin:localities_pilotboard_timeline", args=[locality.pk])
        return format_html('<a href="{}">{}</a>', url, locality.name)

    @admin.display(description=_("progress"), ordering="milestones_done")
    def progress(self, locality):
        return f"{locality.milestones_done} / {locality.milestones_total}"

    @admin.display(description=_("next milestone"), ordering="next_milestone_title_fi")
    def next_milestone(self, locality):
        return translated(locality, "next_milestone_title") or "–"

    @admin.display(description=_("due"), ordering="next_milestone_due_on")
    def next_milestone_due(self, locality):
        return locality.next_milestone_due_on or "–"

    @admin.display(description=_("overdue milestones"), ordering="milestones_overdue")
    def overdue_milestones(self, locality):
        return _flag(locality.milestones_overdue)

    @admin.display(description=_("overdue actions"), ordering="actions_overdue")
    def overdue_actions(self, locality):
        return _flag(locality.actions_overdue)

    @admin.display(description=_("last feedback meeting"), ordering="last_feedback_meeting_on")
    def last_meeting(self, locality):
        return locality.last_feedback_meeting_on or "–"

    def get_urls(self):
        # A board, not a model to edit: its list and each locality's timeline are all there is.
        changelist = [url for url in super().get_urls() if url.name == "localities_pilotboard_changelist"]
        return [
            path(
                "<path:object_id>/timeline/",
                self.admin_site.admin_view(self.timeline_view),
                name="localities_pilotboard_timeline",
            ),
            *changelist,
        ]

    def timeline_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        locality = get_object_or_404(localities_for(request.user).select_related("county"), pk=_int_or_404(object_id))
        board_row = selectors.with_pilot_progress(Locality.objects.filter(pk=locality.pk)).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Timeline of %(locality)s") % {"locality": locality},
            "locality": locality,
            "row": board_row,
            "events": selectors.locality_timeline(user=request.user, locality=locality),
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/localities/timeline.html", context)


def _int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise Http404 from error


def _flag(count: int) -> str:
    """Overdue counts stand out by weight and a sign, not by colour alone."""
    if count:
        return format_html('<strong class="overdue">⚠ {}</strong>', count)
    return "0"


# --- Feedback meetings ------------------------------------------------------------------------------------


class FollowUpActionInline(admin.TabularInline):
    model = FollowUpAction
    extra = 1
    fields = ["description", "owner", "owner_name", "due_on", "done_on", "done_by"]
    # Marked done in the portal or with the follow-up actions' "mark done" action, through the service.
    readonly_fields = ["done_on", "done_by"]
    autocomplete_fields = ["owner"]


class FeedbackMeetingForm(forms.ModelForm):
    class Meta:
        model = FeedbackMeeting
        fields = ["locality", "held_on", "kaikukeskus_participants", "attendance", "attendee_count", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kaikukeskus_participants"].queryset = User.objects.national_staff()


@admin.register(FeedbackMeeting)
class FeedbackMeetingAdmin(SimpleHistoryAdmin):
    form = FeedbackMeetingForm
    list_display = ["locality", "held_on", "attendee_count", "created_by"]
    list_filter = ["locality__status", "locality"]
    search_fields = ["locality__name_fi", "summary", "attendance"]
    list_select_related = ["locality", "created_by"]
    autocomplete_fields = ["locality"]
    filter_horizontal = ["kaikukeskus_participants"]
    date_hierarchy = "held_on"
    inlines = [FollowUpActionInline]

    def save_model(self, request, obj, form, change):
        services.feedback_meeting_save(actor=request.user, meeting=obj)


@admin.register(FollowUpAction)
class FollowUpActionAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)
    list_display = ["description_short", "locality", "owner_column", "due_on", "done_on", "is_late"]
    list_filter = [OverdueFilter, "meeting__locality"]
    search_fields = ["description", "owner_name", "owner__email", "meeting__locality__name_fi"]
    list_select_related = ["meeting__locality", "owner"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["meeting", "done_on", "done_by"]
    ordering = ["due_on"]
    actions = ["mark_done"]

    def has_add_permission(self, request):
        return False  # actions are added with their meeting

    @admin.display(description=_("action"), ordering="description")
    def description_short(self, action):
        return str(action)

    @admin.display(description=_("locality"), ordering="meeting__locality__name_fi")
    def locality(self, action):
        return action.meeting.locality

    @admin.display(description=_("owner"))
    def owner_column(self, action):
        return action.owner_display or "–"

    @admin.display(description=_("overdue"), boolean=True)
    def is_late(self, action):
        return action.is_overdue()

    @admin.action(description=_("Mark the selected actions done today"))
    def mark_done(self, request, queryset):
        done = 0
        for action in queryset.filter(done_on__isnull=True):
            services.follow_up_action_mark_done(actor=request.user, action=action)
            done += 1
        self.message_user(request, gettext("%(count)d actions marked done.") % {"count": done}, messages.SUCCESS)


# --- Prospects --------------------------------------------------------------------------------------------


class ProspectContactInline(admin.StackedInline):
    model = ProspectContact
    extra = 1
    fields = ["contacted_on", "channel", "summary", "next_step", "next_step_on", "logged_by"]
    readonly_fields = ["logged_by"]
    ordering = ["-contacted_on", "-pk"]


@admin.register(Prospect)
class ProspectAdmin(WithoutViewsMixin, admin.ModelAdmin):
    without_views = ("add", "delete")
    """Staff's pipeline: localities that do not run Kaikukortti yet, the soonest next step first."""

    list_display = ["name_fi", "last_contact", "contact_count", "next_step", "next_step_date"]
    list_filter = ["county", RegionFilter, "kind"]
    search_fields = ["name_fi", "name_sv", "municipalities__name_fi", "municipalities__name_sv"]
    list_select_related = ["county"]
    fields = ["name_fi", "name_sv", "name_en", "status", "first_contact_on", "staff_notes"]
    readonly_fields = ["name_fi", "name_sv", "name_en", "status", "first_contact_on"]
    inlines = [ProspectContactInline]

    class Media:
        css = {"all": ["localities/admin.css"]}

    def get_queryset(self, request):
        return selectors.prospect_pipeline(user=request.user, base=Prospect.objects.all())

    def get_ordering(self, request):
        return [F("next_step_on").asc(nulls_last=True), "name_fi"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": gettext("Prospect pipeline"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra_context)

    def has_add_permission(self, request):
        return False  # a prospect is a locality: add it under Localities

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last contact"), ordering="last_contact_on")
    def last_contact(self, locality):
        return locality.last_contact_on or "–"

    @admin.display(description=_("contacts"), ordering="contact_count")
    def contact_count(self, locality):
        return locality.contact_count

    @admin.display(description=_("next step"), ordering="next_step")
    def next_step(self, locality):
        return locality.next_step or "–"

    @admin.display(description=_("next step on"), ordering="next_step_on")
    def next_step_date(self, locality):
        if locality.next_step_on and locality.next_step_on < timezone.localdate():
            return format_html('<strong class="overdue">⚠ {}</strong>', locality.next_step_on)
        return locality.next_step_on or "–"

    def save_model(self, request, obj, form, change):
        # Saved as a Locality, so that its history records the change (a proxy's save is not tracked).
        locality = Locality.objects.get(pk=obj.pk)
        locality.staff_notes = obj.staff_notes
        locality.full_clean()
        locality.save()

    def save_formset(self, request, form, formset, change):
        """New contacts go through the service (it dates the first contact); edits are plain corrections."""
        if formset.model is not ProspectContact:
            return super().save_formset(request, form, formset, change)
        for contact in formset.save(commit=False):
            if contact.pk is None:
                services.prospect_contact_log(
                    actor=request.user,
                    locality=form.instance,
                    contacted_on=contact.contacted_on,
                    channel=contact.channel,
                    summary=contact.summary,
                    next_step=contact.next_step,
                    next_step_on=contact.next_step_on,
                )
            else:
                contact.save()
        for contact in formset.deleted_objects:
            contact.delete()
        return None


@admin.register(ProspectContact)
class ProspectContactAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)
    list_display = ["locality", "contacted_on", "channel", "next_step", "next_step_on", "logged_by"]
    list_filter = ["channel", "locality__status"]
    search_fields = ["locality__name_fi", "summary", "next_step"]
    list_select_related = ["locality", "logged_by"]
    date_hierarchy = "contacted_on"
    readonly_fields = ["locality", "logged_by"]

    def has_add_permission(self, request):
        return False  # contacts are logged on the prospect's page in the pipeline


# --- Agreements -------------------------------------------------------------------------------------------


class LocalityAgreementForm(forms.ModelForm):
    class Meta:
        model = LocalityAgreement
        fields = ["locality", "title", "signed_on", "valid_from", "valid_until", "document"]


@admin.register(LocalityAgreement)
class LocalityAgreementAdmin(SimpleHistoryAdmin):
    form = LocalityAgreementForm
    list_display = ["locality", "title", "signed_on", "valid_from", "valid_until", "download", "uploaded_by"]
    list_filter = ["locality__status", "locality"]
    search_fields = ["locality__name_fi", "title"]
    list_select_related = ["locality", "uploaded_by"]
    autocomplete_fields = ["locality"]
    date_hierarchy = "signed_on"

    def get_readonly_fields(self, request, obj=None):
        # The document of a filed agreement is replaced by filing a new agreement, never overwritten.
        return ["locality", "document_link", "original_filename", "uploaded_by"] if obj else []

    def get_fields(self, request, obj=None):
        if obj:
            return [
                "locality",
                "title",
                "signed_on",
                "valid_from",
                "valid_until",
                "document_link",
                "original_filename",
                "uploaded_by",
            ]
        return super().get_fields(request, obj)

    @admin.display(description=_("document"))
    def download(self, agreement):
        return _agreement_link(agreement)

    @admin.display(description=_("document"))
    def document_link(self, agreement):
        return _agreement_link(agreement)

    def save_model(self, request, obj, form, change):
        if change:
            obj.full_clean()
            obj.save()
            return
        agreement = services.agreement_create(
            actor=request.user,
            locality=form.cleaned_data["locality"],
            title=form.cleaned_data["title"],
            signed_on=form.cleaned_data["signed_on"],
            valid_from=form.cleaned_data["valid_from"],
            valid_until=form.cleaned_data["valid_until"],
            document=form.cleaned_data["document"],
        )
        obj.pk = agreement.pk
        obj.document = agreement.document


# --- Access requests --------------------------------------------------------------------------------------


@admin.register(AccessRequest)
class AccessRequestAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)
    list_display = ["user", "locality", "side", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "side", "locality"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "locality__name_fi"]
    list_select_related = ["user", "locality", "decided_by"]
    readonly_fields = ["user", "locality", "side", "reason", "status", "created_at", "decided_by", "decided_at"]
    fields = [*readonly_fields, "decision_note"]
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False  # coordinators ask in the portal

    def save_model(self, request, obj, form, change):
        # Only the message can be edited before the decision; the decision itself is an action.
        AccessRequest.objects.filter(pk=obj.pk).update(decision_note=obj.decision_note)

    def _decide(self, request, queryset, decide, done_message):
        count = 0
        for access_request in queryset.filter(status=AccessRequest.Status.PENDING):
            decide(actor=request.user, access_request=access_request, note=access_request.decision_note)
            count += 1
        skipped = queryset.exclude(status=AccessRequest.Status.PENDING).count()
        self.message_user(request, done_message % {"count": count}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                gettext("%(count)d requests had been decided already and were left as they were.") % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Approve the selected requests (the coordinators are told)"))
    def approve(self, request, queryset):
        self._decide(request, queryset, services.access_request_approve, gettext("%(count)d requests approved."))

    @admin.action(description=_("Decline the selected requests (the coordinators are told)"))
    def decline(self, request, queryset):
        self._decide(request, queryset, services.access_request_decline, gettext("%(count)d requests declined."))


@admin.register(OverdueReminder)
class OverdueReminderAdmin(WithoutViewsMixin, admin.ModelAdmin):
    """Who was reminded of overdue work and when (the weekly task writes these)."""

    without_views = ("add",)
    list_display = ["user", "sent_on", "milestones", "actions"]
    list_filter = ["sent_on"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
