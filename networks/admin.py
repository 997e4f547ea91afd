"""Staff's view of the networks. Imports and exports go through django-import-export with a resource that runs
the model's own validation (`clean_model_instances`), so the admin obeys the same rules as the portal."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import DeleteThroughServiceMixin, save_inline_through
from kaikukeskus.admin_spreadsheets import AdminImportResourceMixin, SpreadsheetAdminMixin
from kaikukeskus.forms import https_formfield
from kaikukeskus.locking import VersionedAdminForm, VersionedAdminMixin, check_and_bump
from kaikukeskus.spreadsheet_reader import MAX_ROWS
from localities.models import Locality, Municipality
from localities.permissions import scoped
from networks import services
from networks.models import PARTNER_FIELDS, ChecklistQuestion, ChecklistVersion, ContactPerson, Partner, name_key


class PartnerResource(AdminImportResourceMixin, resources.ModelResource):
    locality = fields.Field(
        attribute="locality", column_name="locality", widget=widgets.ForeignKeyWidget(Locality, field="slug")
    )
    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=widgets.ForeignKeyWidget(Municipality, field="code"),
    )

    class Meta:
        model = Partner
        fields = ("id", "locality", *PARTNER_FIELDS)
        export_order = fields
        import_id_fields = ("locality", "role", "name")
        skip_unchanged = True
        report_skipped = True
        # Model.full_clean() on every row: municipality of the locality, role fields, dates, unique name.
        clean_model_instances = True

    def too_many_rows_message(self, rows: int) -> str:
        # A larger file belongs to the portal's import (a background job, up to MAX_ROWS rows for a locality).
        return _(
            "The admin imports at most %(max)d partners at a time, and this file has %(rows)d. Split it, "
            "or import each locality's partners on its partner page in the portal (up to %(portal)d rows)."
        ) % {"max": self.max_rows, "rows": rows, "portal": MAX_ROWS}

    def get_instance(self, instance_loader, row):
        """Match the name as the portal's form and import do (`name_key`: case folded beyond ASCII)."""
        slug, role, name = (str(row.get(key) or "").strip() for key in ("locality", "role", "name"))
        if not (slug and role and name):
            return None
        wanted = name_key(name)
        candidates = Partner.objects.filter(locality__slug=slug, role=role).values_list("pk", "name")
        pk = next((pk for pk, candidate in candidates.iterator() if name_key(candidate) == wanted), None)
        return None if pk is None else Partner.objects.get(pk=pk)

    def do_instance_save(self, instance, is_create):
        # A new version, so that a portal form opened before this import reports a conflict instead of
        # undoing it.
        check_and_bump(instance, expected_version=None)
        super().do_instance_save(instance, is_create)


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "title", "email", "phone", "is_primary"]


class PartnerAdminForm(VersionedAdminForm):
    """A save over a newer one (another admin, a coordinator in the portal, an import) is refused."""

    class Meta:
        model = Partner
        fields = ["locality", *PARTNER_FIELDS]  # the admin's fieldsets choose among them
        formfield_callback = https_formfield


@admin.register(Partner)
class PartnerAdmin(
    DeleteThroughServiceMixin, VersionedAdminMixin, SpreadsheetAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    form = PartnerAdminForm
    delete_service, delete_row_as = services.partner_delete, "partner"
    resource_classes = [PartnerResource]
    list_display = ["name", "role", "locality", "municipality", "sector", "issuer_kind", "joined_on", "left_on"]
    list_filter = ["role", "sector", "issuer_kind", "commitment_kind", "listed_publicly", "locality"]
    search_fields = ["name", "parent_organisation", "locality__name_fi", "municipality__name_fi"]
    list_select_related = ["locality", "municipality"]
    autocomplete_fields = ["locality", "municipality"]
    # With a country's partners: no default sort through the locality join (the model's ordering), no
    # date-hierarchy queries and no second count of every row.
    ordering = ["name", "pk"]
    show_full_result_count = False
    inlines = [ContactPersonInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["locality", "role", "name", "parent_organisation", "municipality", "address", "website"]}),
        (_("Venue"), {"fields": ["sector", "category", "offer_fi", "offer_sv", "offer_en", "listed_publicly"]}),
        (_("Issuer"), {"fields": ["issuer_kind"]}),
        (
            _("Membership and commitment"),
            {"fields": ["joined_on", "left_on", "commitment_acknowledged_on", "commitment_kind"]},
        ),
    ]

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), user=request.user)

    def save_model(self, request, obj, form, change):
        services.partner_save(actor=request.user, partner=obj, expected_version=form.expected_version)

    def save_formset(self, request, form, formset, change):
        # The inline contact persons through the same service as the contact person's own page.
        save_inline_through(
            formset, actor=request.user, row_as="contact", save=services.contact_save, delete=services.contact_delete
        )


@admin.register(ContactPerson)
class ContactPersonAdmin(DeleteThroughServiceMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    form = VersionedAdminForm  # a save over a newer one (the portal, the partner's page, an import) is refused
    delete_service, delete_row_as = services.contact_delete, "contact"
    list_display = ["name", "partner", "email", "phone", "is_primary"]
    list_filter = ["is_primary", "partner__role", "partner__locality"]
    search_fields = ["name", "email", "partner__name"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), user=request.user, locality_path="partner__locality")

    def save_model(self, request, obj, form, change):
        services.contact_save(actor=request.user, contact=obj, expected_version=form.expected_version)


class ChecklistQuestionInline(admin.StackedInline):
    model = ChecklistQuestion
    extra = 1
    fields = ("section", "order", "text_fi", "text_sv", "text_en", "advice_fi", "advice_sv", "advice_en")


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(SimpleHistoryAdmin):
    """Staff version the national self-assessment checklist like the guideline: a new version with its questions,
    published from a date; venues' answers stay tied to the version they answered."""

    list_display = ("label", "published_on", "created_at")
    inlines = [ChecklistQuestionInline]
