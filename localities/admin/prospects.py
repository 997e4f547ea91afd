"""The prospect pipeline and its contact log."""

from django.contrib import admin
from django.db.models import F
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import DeleteThroughServiceMixin, WithoutViewsMixin
from kaikukeskus.locking import VersionedAdminForm, VersionedAdminMixin
from localities import selectors, services
from localities.admin.common import RegionFilter
from localities.models import InterestSubmission, Locality, Prospect, ProspectContact


class ProspectContactInline(admin.StackedInline):
    model = ProspectContact
    extra = 1
    fields = ["contacted_on", "channel", "summary", "next_step", "next_step_on", "logged_by"]
    readonly_fields = ["logged_by"]
    ordering = ["-contacted_on", "-pk"]


@admin.register(Prospect)
class ProspectAdmin(VersionedAdminMixin, WithoutViewsMixin, admin.ModelAdmin):
    """Staff's pipeline: localities that do not run Kaikukortti yet, the soonest next step first."""

    without_views = ("add", "delete")  # a prospect is a locality: add it under Localities
    form = VersionedAdminForm  # its staff notes are the locality's: a save over a newer one is refused

    list_display = ["name_fi", "owner", "last_contact", "contact_count", "next_step", "next_step_date"]
    list_filter = ["county", RegionFilter, "kind", "owner"]
    search_fields = ["name_fi", "name_sv", "municipalities__name_fi", "municipalities__name_sv"]
    list_select_related = ["county", "owner"]
    fields = ["name_fi", "name_sv", "name_en", "status", "first_contact_on", "owner", "staff_notes"]
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
        services.locality_update(
            actor=request.user,
            locality=Locality.objects.get(pk=obj.pk),
            expected_version=form.expected_version,
            staff_notes=form.cleaned_data["staff_notes"],
            owner=form.cleaned_data["owner"],
        )

    def save_formset(self, request, form, formset, change):
        """Every contact goes through the services: a new one dates the first contact, an edit may re-date it,
        and the history records who did each."""
        if formset.model is not ProspectContact:
            return super().save_formset(request, form, formset, change)
        locality = Locality.objects.get(pk=form.instance.pk)
        # The admin's change message reads these lists, as `formset.save()` would fill them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for contact_form in formset.forms:
            contact = contact_form.instance
            if contact_form in formset.deleted_forms:
                if contact.pk is not None:
                    services.prospect_contact_delete(actor=request.user, contact=contact)
                    formset.deleted_objects.append(contact)
                continue
            if not contact_form.has_changed():
                continue
            values = {name: contact_form.cleaned_data[name] for name in services.PROSPECT_CONTACT_FIELDS}
            if contact.pk is None:
                formset.new_objects.append(
                    services.prospect_contact_log(actor=request.user, locality=locality, **values)
                )
            else:
                contact.locality = locality
                services.prospect_contact_update(actor=request.user, contact=contact, **values)
                formset.changed_objects.append((contact, contact_form.changed_data))
        return None


@admin.register(ProspectContact)
class ProspectContactAdmin(DeleteThroughServiceMixin, WithoutViewsMixin, SimpleHistoryAdmin):
    without_views = ("add",)  # contacts are logged on the prospect's page in the pipeline
    delete_service, delete_row_as = services.prospect_contact_delete, "contact"
    list_display = ["locality", "contacted_on", "channel", "next_step", "next_step_on", "logged_by"]
    list_filter = ["channel", "locality__status"]
    search_fields = ["locality__name_fi", "summary", "next_step"]
    list_select_related = ["locality", "logged_by"]
    date_hierarchy = "contacted_on"
    readonly_fields = ["locality", "logged_by"]

    def save_model(self, request, obj, form, change):
        fields = {name: value for name, value in form.cleaned_data.items() if name in services.PROSPECT_CONTACT_FIELDS}
        services.prospect_contact_update(actor=request.user, contact=obj, **fields)


@admin.register(InterestSubmission)
class InterestSubmissionAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    """What came through `/join/`: read only (the form's service wrote it; staff work on its prospect)."""

    without_views = ("add", "delete")
    list_display = ["created_at", "area_name", "organisation", "sector", "outcome", "locality", "owner", "erased_at"]
    list_filter = ["outcome", "sector", "decision_stage", "language"]
    search_fields = ["municipality__name_fi", "municipality__name_sv", "county__name_fi", "organisation", "name"]
    list_select_related = ["municipality", "county", "locality", "owner"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("municipality or county"))
    def area_name(self, submission):
        return submission.area
