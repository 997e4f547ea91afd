"""Staff keep the working groups here; every save and delete goes through cooperation.services."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cooperation import services
from cooperation.models import ActionItem, GroupMeeting, MeetingAttendee, MeetingDocument, Membership, WorkingGroup
from kaikukeskus.admin_helpers import DeleteThroughServiceMixin, WithoutViewsMixin, act_on_each, save_inline_through
from kaikukeskus.uploads import validate_upload
from localities.admin.common import OverdueFilter

User = get_user_model()


class MembershipFormSet(forms.BaseInlineFormSet):
    """Overlapping periods are told at the row, before anything is saved (the service checks again)."""

    def clean(self):
        super().clean()
        rows = [
            form
            for form in self.forms
            if form.is_valid() and form.has_changed() and not form.cleaned_data.get("DELETE")
        ]
        kept = [form.instance for form in self.forms if form.is_valid() and not form.cleaned_data.get("DELETE")]
        for form in self.forms:
            if form.is_valid() and form.cleaned_data.get("DELETE") and form.instance.pk:
                try:
                    services.membership_delete_check(form.instance)
                except ValidationError as error:
                    form.add_error(None, error)
        for form in rows:
            siblings = [other for other in kept if other is not form.instance]
            clash = services.overlapping_period(form.instance, also=siblings)
            if clash is not None:
                form.add_error("started_on", services.overlap_message(form.instance, clash))


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 1
    fields = ["user", "name", "organisation", "email", "role", "started_on", "ended_on"]
    autocomplete_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    # A group ends (active until); its record stays for the annual reports.
    without_views = ("delete",)
    list_display = ["name_fi", "scope", "host", "kaikukeskus_role", "active_from", "active_until"]
    list_filter = ["scope", "kaikukeskus_role"]
    search_fields = ["name_fi", "name_sv", "name_en", "host"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        services.group_save(actor=request.user, group=obj)

    def save_formset(self, request, form, formset, change):
        save_inline_through(
            formset,
            actor=request.user,
            row_as="membership",
            save=services.membership_save,
            delete=services.membership_delete,
        )


class AttendeeInline(admin.TabularInline):
    model = MeetingAttendee
    extra = 1
    fields = ["membership", "name", "organisation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "membership":
            field.queryset = field.queryset.select_related("user", "group")
        return field


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 1
    fields = ["description", "owner", "owner_name", "due_on", "done_on", "done_by"]
    readonly_fields = ["done_on", "done_by"]
    autocomplete_fields = ["owner"]


class DocumentForm(forms.ModelForm):
    class Meta:
        model = MeetingDocument
        fields = ["title", "file", "visibility"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and not getattr(file, "_committed", True):
            validate_upload(file)
        return file


class DocumentInline(admin.TabularInline):
    model = MeetingDocument
    form = DocumentForm
    extra = 1
    fields = ["title", "file", "visibility"]


@admin.register(GroupMeeting)
class GroupMeetingAdmin(DeleteThroughServiceMixin, SimpleHistoryAdmin):
    delete_service, delete_row_as = services.meeting_delete, "meeting"
    list_display = ["group", "starts_at", "state", "organiser", "minutes_visibility", "minutes_reminder_sent_at"]
    list_filter = ["state", "minutes_visibility", "group"]
    search_fields = ["group__name_fi", "agenda", "minutes"]
    list_select_related = ["group", "organiser"]
    autocomplete_fields = ["organiser"]
    date_hierarchy = "starts_at"
    readonly_fields = ["minutes_reminder_sent_at"]
    fields = [
        "group",
        "starts_at",
        "place",
        "state",
        "organiser",
        "agenda",
        "minutes",
        "minutes_visibility",
        "minutes_reminder_sent_at",
    ]
    inlines = [AttendeeInline, DocumentInline, ActionItemInline]

    def save_model(self, request, obj, form, change):
        services.meeting_save(actor=request.user, meeting=obj)

    def save_formset(self, request, form, formset, change):
        rows = {
            MeetingAttendee: ("attendee", services.attendee_save, services.attendee_delete),
            MeetingDocument: ("document", services.document_save, services.document_delete),
            ActionItem: ("item", services.action_item_save, services.action_item_delete),
        }
        row_as, save, delete = rows[formset.model]
        save_inline_through(formset, actor=request.user, row_as=row_as, save=save, delete=delete)


@admin.register(ActionItem)
class ActionItemAdmin(DeleteThroughServiceMixin, WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)  # items are added with their meeting
    delete_service, delete_row_as = services.action_item_delete, "item"
    list_display = ["description_short", "group", "owner_column", "due_on", "done_on", "is_late"]
    list_filter = [OverdueFilter, "meeting__group"]
    search_fields = ["description", "owner_name", "owner__email", "meeting__group__name_fi"]
    list_select_related = ["meeting__group", "owner"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["meeting", "done_on", "done_by"]
    actions = ["mark_done"]

    def save_model(self, request, obj, form, change):
        services.action_item_save(actor=request.user, item=obj)

    @admin.display(description=_("action"), ordering="description")
    def description_short(self, item):
        return str(item)

    @admin.display(description=_("working group"), ordering="meeting__group__name_fi")
    def group(self, item):
        return item.meeting.group

    @admin.display(description=_("owner"))
    def owner_column(self, item):
        return item.owner_display or "–"

    @admin.display(description=_("overdue"), boolean=True)
    def is_late(self, item):
        return item.is_overdue()

    @admin.action(description=_("Mark the selected actions done today"))
    def mark_done(self, request, queryset):
        act_on_each(
            self,
            request,
            queryset.filter(done_on__isnull=True),
            services.action_item_mark_done,
            "item",
            gettext("%(count)d actions marked done."),
        )
