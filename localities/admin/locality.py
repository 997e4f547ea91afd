"""Localities with their lifecycle (the status form and its log), import, export and history."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import DeleteThroughServiceMixin, WithoutViewsMixin, object_view_url, save_inline_through
from kaikukeskus.admin_spreadsheets import SpreadsheetAdminMixin
from kaikukeskus.locking import VersionedAdminForm, VersionedAdminMixin
from localities import services
from localities.admin.agreements import AgreementInline
from localities.admin.common import RegionFilter
from localities.admin.coordinators import CoordinatorInline
from localities.forms import LocalityTransitionForm
from localities.models import Coordinator, Locality, LocalityStatusChange
from localities.permissions import scoped
from localities.resources import LocalityResource


@admin.register(Locality)
class LocalityAdmin(
    DeleteThroughServiceMixin, VersionedAdminMixin, SpreadsheetAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    delete_service, delete_row_as = services.locality_delete, "locality"
    form = VersionedAdminForm  # a save over another's newer one (staff, a status move, an import) is refused
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
        (_("Public information"), {"fields": [*Locality.PUBLIC_FACT_FIELDS, "local_only_card"]}),
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
        return [object_view_url(self, "transition", self.transition_view), *super().get_urls()]

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
        # Through the service, which checks the dates in their order and records who; the status never changes
        # here (read-only) and new localities start as prospects.
        fields = {name: value for name, value in form.cleaned_data.items() if name in services.LOCALITY_FIELDS}
        services.locality_update(actor=request.user, locality=obj, expected_version=form.expected_version, **fields)

    def save_related(self, request, form, formsets, change):
        # The service saved the municipalities with the locality; the inlines save as usual.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        # The coordinators' memberships through the service, as on their own page (agreements are read only).
        if formset.model is Coordinator:
            save_inline_through(formset, actor=request.user, row_as="coordinator", save=services.coordinator_save)
        else:
            super().save_formset(request, form, formset, change)


@admin.register(LocalityStatusChange)
class LocalityStatusChangeAdmin(WithoutViewsMixin, admin.ModelAdmin):
    """The lifecycle log: read only, written by the lifecycle service."""

    without_views = ("add", "change", "delete")

    list_display = ["locality", "from_status", "to_status", "effective_on", "changed_by", "changed_at"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["locality__name_fi", "locality__slug", "note"]
    list_select_related = ["locality", "changed_by"]
    date_hierarchy = "changed_at"
