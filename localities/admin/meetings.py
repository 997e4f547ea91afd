"""Feedback meetings, their follow-up actions and the reminders of overdue work."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import DeleteThroughServiceMixin, WithoutViewsMixin, act_on_each, save_inline_through
from localities import services
from localities.admin.common import OverdueFilter
from localities.models import FeedbackMeeting, FollowUpAction, OverdueReminder

User = get_user_model()


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
class FeedbackMeetingAdmin(DeleteThroughServiceMixin, SimpleHistoryAdmin):
    delete_service, delete_row_as = services.feedback_meeting_delete, "meeting"
    form = FeedbackMeetingForm
    list_display = ["locality", "held_on", "state", "attendee_count", "created_by"]
    list_filter = ["state", "locality__status", "locality"]
    search_fields = ["locality__name_fi", "summary", "attendance"]
    list_select_related = ["locality", "created_by"]
    autocomplete_fields = ["locality"]
    filter_horizontal = ["kaikukeskus_participants"]
    date_hierarchy = "held_on"
    # A meeting is planned, and its invitations sent, from the locality's portal page (services.feedback_meeting_plan).
    readonly_fields = ["state", "starts_at", "ends_at", "place", "online_link", "agenda", "reminder_sent_at"]
    inlines = [FollowUpActionInline]

    def save_model(self, request, obj, form, change):
        services.feedback_meeting_save(actor=request.user, meeting=obj)

    def save_formset(self, request, form, formset, change):
        # The follow-up actions through the services, as their own page and the portal write them.
        save_inline_through(
            formset,
            actor=request.user,
            row_as="action",
            save=services.follow_up_action_save,
            delete=services.follow_up_action_delete,
        )


@admin.register(FollowUpAction)
class FollowUpActionAdmin(DeleteThroughServiceMixin, WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)  # actions are added with their meeting
    delete_service, delete_row_as = services.follow_up_action_delete, "action"
    list_display = ["description_short", "locality", "owner_column", "due_on", "done_on", "is_late"]
    list_filter = [OverdueFilter, "meeting__locality"]
    search_fields = ["description", "owner_name", "owner__email", "meeting__locality__name_fi"]
    list_select_related = ["meeting__locality", "owner"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["meeting", "done_on", "done_by"]
    ordering = ["due_on"]
    actions = ["mark_done"]

    def save_model(self, request, obj, form, change):
        services.follow_up_action_save(actor=request.user, action=obj)

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
        def done(count):
            return ngettext("%(count)d action marked done.", "%(count)d actions marked done.", count)

        act_on_each(
            self, request, queryset.filter(done_on__isnull=True), services.follow_up_action_mark_done, "action", done
        )


@admin.register(OverdueReminder)
class OverdueReminderAdmin(WithoutViewsMixin, admin.ModelAdmin):
    """Who was reminded of overdue work and when (the weekly task writes these)."""

    without_views = ("add", "change")
    list_display = ["user", "sent_on", "milestones", "actions"]
    list_filter = ["sent_on"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    date_hierarchy = "sent_on"
