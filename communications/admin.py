from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from communications import services
from communications.forms import PageAdminForm
from communications.models.pages import Page
from kaikukeskus.locking import VersionedAdminMixin


@admin.register(Page)
class PageAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Staff write a page's draft here; the preview (where they are sent after saving) publishes it."""

    form = PageAdminForm  # a save over another's newer one is refused, with what they saved
    list_display = ["key", "draft_title_fi", "is_published", "has_unpublished_changes", "published_at"]
    readonly_fields = ["published_at", "published_by", "updated_at"]
    fieldsets = [
        (None, {"fields": ["key"]}),
        (_("Finnish"), {"fields": ["draft_title_fi", "draft_body_fi"]}),
        (_("Swedish"), {"fields": ["draft_title_sv", "draft_body_sv"]}),
        (_("English"), {"fields": ["draft_title_en", "draft_body_en"]}),
        (_("Publishing"), {"fields": ["published_at", "published_by", "updated_at"]}),
    ]

    @admin.display(boolean=True, description=_("published"))
    def is_published(self, page: Page) -> bool:
        return page.is_published

    @admin.display(boolean=True, description=_("unpublished changes"))
    def has_unpublished_changes(self, page: Page) -> bool:
        return page.has_unpublished_changes

    def get_readonly_fields(self, request, obj=None):
        # A page's key is its address: chosen once.
        return [*self.readonly_fields, "key"] if obj is not None else self.readonly_fields

    def delete_model(self, request, obj):
        services.page_delete(actor=request.user, page=obj)

    def delete_queryset(self, request, queryset):
        for page in queryset:
            services.page_delete(actor=request.user, page=page)

    def save_model(self, request, obj, form, change):
        services.page_save_draft(actor=request.user, page=obj, expected_version=form.expected_version)

    def _to_preview(self, request, obj, response):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return response
        return HttpResponseRedirect(reverse("communications:page-preview", kwargs={"key": obj.key}))

    def response_add(self, request, obj, post_url_continue=None):
        return self._to_preview(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._to_preview(request, obj, super().response_change(request, obj))
