from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from localities import services
from localities.models import Coordinator, Invitation, Locality, Municipality, Region, WellbeingServicesCounty
from localities.selectors import scoped


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


@admin.register(Locality)
class LocalityAdmin(SimpleHistoryAdmin):
    list_display = ["name_fi", "kind", "status", "county", "pilot_start_on", "permanent_since"]
    list_filter = ["status", "kind", "county"]
    search_fields = [
        "name_fi",
        "name_sv",
        "name_en",
        "slug",
        "municipalities__name_fi",
        "municipalities__name_sv",
    ]
    prepopulated_fields = {"slug": ["name_fi"]}
    filter_horizontal = ["municipalities"]
    list_select_related = ["county"]
    inlines = [CoordinatorInline]

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), user=request.user, locality_path="pk")


@admin.register(Coordinator)
class CoordinatorAdmin(SimpleHistoryAdmin):
    list_display = ["user", "locality", "side", "started_on", "ended_on"]
    list_filter = ["side", "locality"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "locality__name_fi"]
    autocomplete_fields = ["user", "locality"]
    list_select_related = ["user", "locality"]
    actions = ["end_membership"]

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
    autocomplete_fields = ["locality"]
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
