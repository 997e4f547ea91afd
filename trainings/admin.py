"""Staff manage trainings here: draft, publish, cancel (everyone is told), see registrations, mark attendance.
Every change goes through `trainings.services`; registrations are made by the registrants themselves."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import act_on_each
from kaikukeskus.forms import https_formfield
from kaikukeskus.locking import VersionedAdminForm, VersionedAdminMixin
from trainings import services
from trainings.models import Registration, Training

REGISTRATION_FIELDS = [
    "name",
    "email",
    "organisation",
    "locality",
    "user",
    "status",
    "language",
    "accessibility_needs",
    "dietary_needs",
    "created_at",
]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["name", "email", "organisation", "locality", "status", "created_at"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False


class TrainingAdminForm(VersionedAdminForm):
    class Meta:
        model = Training
        fields = [
            *("status", "kind", "audience", "format", "language"),
            *("title_fi", "title_sv", "title_en", "description_fi", "description_sv", "description_en"),
            *("starts_at", "ends_at", "place", "online_link"),
            *("capacity", "registration_opens_at", "registration_closes_at", "materials"),
        ]
        formfield_callback = https_formfield


@admin.register(Training)
class TrainingAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = TrainingAdminForm
    # In view at 1280 px beside the filters (kind, format and the rest are filters): when, whether it runs, how
    # full it is, and the participants' pages.
    list_display = ["title_fi", "starts", "status", "seats", "waitlisted", "links"]
    list_filter = ["status", "kind", "format", "audience", "language"]
    search_fields = ["title_fi", "title_sv", "title_en"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    inlines = [RegistrationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    filter_horizontal = ["materials"]
    actions = ["cancel_trainings"]
    readonly_fields = ["cancelled_at", "created_at"]
    fieldsets = [
        (None, {"fields": ["status", "kind", "audience", "format", "language"]}),
        (
            _("Title and description"),
            {"fields": ["title_fi", "title_sv", "title_en", "description_fi", "description_sv", "description_en"]},
        ),
        (_("Time and place"), {"fields": ["starts_at", "ends_at", "place", "online_link"]}),
        (_("Registration"), {"fields": ["capacity", "registration_opens_at", "registration_closes_at"]}),
        (_("Materials"), {"fields": ["materials"]}),
        (None, {"fields": ["cancelled_at", "created_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A cancelled training stays cancelled (its registrants have been told): its status is not a choice.
        if obj is not None and obj.is_cancelled:
            return [*self.readonly_fields, "status"]
        return self.readonly_fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_seats_taken()
            .annotate(waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)))
        )

    @admin.display(description=_("starts at"), ordering="starts_at")
    def starts(self, obj):
        return date_format(timezone.localtime(obj.starts_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("places taken"))
    def seats(self, obj):
        return f"{obj.seats_taken} / {obj.capacity or '∞'}"

    @admin.display(description=_("on the waitlist"), ordering="waitlisted")
    def waitlisted(self, obj):
        return obj.waitlisted

    @admin.display(description=_("participants"))
    def links(self, obj):
        return format_html(
            '<ul class="changelist-links"><li><a href="{}">{}</a></li><li><a href="{}">{}</a></li></ul>',
            reverse("trainings:attendance", kwargs={"pk": obj.pk}),
            _("attendance"),
            reverse("trainings:participants-pdf", kwargs={"pk": obj.pk}),
            _("participant list (PDF)"),
        )

    def save_model(self, request, obj, form, change):
        services.training_save(actor=request.user, training=obj, expected_version=form.expected_version)

    @admin.action(description=_("Cancel the selected trainings and tell their registrants"))
    def cancel_trainings(self, request, queryset):
        done = gettext("The trainings were cancelled and their registrants told.")
        act_on_each(self, request, queryset, services.training_cancel, "training", done)


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "training", "organisation", "locality", "status", "created_at"]
    list_filter = ["status", "training__kind", "training"]
    search_fields = ["name", "email", "organisation", "training__title_fi"]
    list_select_related = ["training", "locality"]
    readonly_fields = [
        *REGISTRATION_FIELDS,
        "status_changed_at",
        "attendance_marked_by",
        "reminded_at",
        "needs_erased_at",
        "anonymised_at",
    ]
    fields = readonly_fields
    actions = ["mark_attended", "mark_no_show", "cancel_registrations"]

    def has_add_permission(self, request):
        # Registrations are made by the registrants through the public form (capacity, waitlist, e-mails).
        return False

    def add_view(self, request, form_url="", extra_context=None):
        self.message_user(
            request, _("Registrations are made on the training's public page, so that the waitlist and e-mails work.")
        )
        return redirect("admin:trainings_registration_changelist")

    def _mark(self, request, queryset, status: str) -> None:
        changed = 0
        for training in Training.objects.filter(pk__in=queryset.values("training_id")):
            try:
                changed += services.attendance_mark(
                    actor=request.user,
                    training=training,
                    registration_ids=queryset.filter(training=training).values_list("pk", flat=True),
                    status=status,
                )
            except ValidationError as error:
                self.message_user(request, f"{training}: {' '.join(error.messages)}", messages.ERROR)
        self.message_user(
            request,
            ngettext("%(count)d registration marked.", "%(count)d registrations marked.", changed) % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark the selected as attended"))
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, Registration.Status.ATTENDED)

    @admin.action(description=_("Mark the selected as did not attend"))
    def mark_no_show(self, request, queryset):
        self._mark(request, queryset, Registration.Status.NO_SHOW)

    @admin.action(description=_("Cancel the selected registrations (the waitlist moves up)"))
    def cancel_registrations(self, request, queryset):
        def done(count):
            return ngettext("%(count)d registration cancelled.", "%(count)d registrations cancelled.", count)

        act_on_each(
            self, request, queryset.select_related("training"), services.registration_cancel, "registration", done
        )
