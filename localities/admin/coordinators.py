"""Coordinators' memberships, the invitations that make them and coordinators' requests for further localities."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import WithoutViewsMixin, act_on_each
from localities import services
from localities.models import AccessRequest, Coordinator, Invitation


class CoordinatorInline(admin.TabularInline):
    model = Coordinator
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "side", "started_on", "ended_on"]
    can_delete = False  # a membership ends (ended on), it is never deleted: the history stays


@admin.register(Coordinator)
class CoordinatorAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("delete",)  # memberships end, they are not deleted
    list_display = ["user", "locality", "side", "started_on", "ended_on"]
    list_filter = ["side", "locality"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "locality__name_fi"]
    autocomplete_fields = ["user", "locality"]
    list_select_related = ["user", "locality"]
    actions = ["end_membership"]

    def save_model(self, request, obj, form, change):
        services.coordinator_save(actor=request.user, coordinator=obj)

    @admin.action(description=_("End the selected memberships today"))
    def end_membership(self, request, queryset):
        def ended(count):
            return ngettext("%(count)d membership ended.", "%(count)d memberships ended.", count)

        act_on_each(
            self, request, queryset.filter(ended_on__isnull=True), services.coordinator_end, "coordinator", ended
        )


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "locality", "side", "language"]


@admin.register(Invitation)
class InvitationAdmin(WithoutViewsMixin, admin.ModelAdmin):
    without_views = ("change",)  # an invitation is sent once; send a new one instead
    form = InvitationForm
    list_display = ["email", "locality", "side", "created_at", "expires_at", "accepted_at", "invited_by"]
    list_filter = ["side", "locality"]
    search_fields = ["email", "locality__name_fi"]
    list_select_related = ["locality", "invited_by"]

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


@admin.register(AccessRequest)
class AccessRequestAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)  # coordinators ask in the portal
    list_display = ["user", "locality", "side", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "side", "locality"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "locality__name_fi"]
    list_select_related = ["user", "locality", "decided_by"]
    readonly_fields = ["user", "locality", "side", "reason", "status", "created_at", "decided_by", "decided_at"]
    fields = [*readonly_fields, "decision_note"]
    actions = ["approve", "decline"]

    def get_readonly_fields(self, request, obj=None):
        # The message goes out with the decision: once decided, it is history.
        if obj is not None and obj.status != AccessRequest.Status.PENDING:
            return self.fields
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Only the message can be edited before the decision; the decision itself is an action.
        if "decision_note" in form.changed_data:
            services.access_request_note_update(
                actor=request.user, access_request=obj, note=form.cleaned_data["decision_note"]
            )

    def _decide(self, request, queryset, decide, done_message):
        pending = queryset.filter(status=AccessRequest.Status.PENDING)
        act_on_each(self, request, pending, decide, "access_request", done_message)
        skipped = queryset.exclude(status=AccessRequest.Status.PENDING).count()
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d request had been decided already and was left as it was.",
                    "%(count)d requests had been decided already and were left as they were.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Approve the selected requests (the coordinators are told)"))
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.access_request_approve,
            lambda count: ngettext("%(count)d request approved.", "%(count)d requests approved.", count),
        )

    @admin.action(description=_("Decline the selected requests (the coordinators are told)"))
    def decline(self, request, queryset):
        self._decide(
            request,
            queryset,
            services.access_request_decline,
            lambda count: ngettext("%(count)d request declined.", "%(count)d requests declined.", count),
        )
