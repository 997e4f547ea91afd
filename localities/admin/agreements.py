"""Agreements: filed through the service, downloaded only through the scoped view."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus.admin_helpers import DeleteThroughServiceMixin, WithoutViewsMixin
from localities import services
from localities.models import LocalityAgreement


class AgreementInline(WithoutViewsMixin, admin.TabularInline):
    without_views = ("add",)  # agreements are filed in their own form, where the document is checked
    model = LocalityAgreement
    extra = 0
    fields = ["title", "signed_on", "valid_from", "valid_until", "download"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    @admin.display(description=_("document"))
    def download(self, agreement):
        return agreement_link(agreement)


def agreement_link(agreement) -> str:
    if not agreement.pk:
        return "–"
    url = reverse("localities:agreement-download", kwargs={"slug": agreement.locality.slug, "pk": agreement.pk})
    return format_html('<a href="{}">{}</a>', url, gettext("Download"))


class LocalityAgreementForm(forms.ModelForm):
    class Meta:
        model = LocalityAgreement
        fields = ["locality", "title", "signed_on", "valid_from", "valid_until", "document"]


@admin.register(LocalityAgreement)
class LocalityAgreementAdmin(DeleteThroughServiceMixin, SimpleHistoryAdmin):
    delete_service, delete_row_as = services.agreement_delete, "agreement"
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
        return agreement_link(agreement)

    @admin.display(description=_("document"))
    def document_link(self, agreement):
        return agreement_link(agreement)

    def save_model(self, request, obj, form, change):
        if change:
            # Its dates and title; the document and the locality are read only once filed.
            services.agreement_save(actor=request.user, agreement=obj)
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
