"""The administration of news: staff write items with a small self-hosted editor (static/js/news-editor.js: a
toolbar that inserts the allowed HTML around the selection; the textarea still works without JavaScript), see the
stored, sanitised text as a preview, schedule, pin and ask for acknowledgements, and follow who acknowledged.
Every change goes through `communications.services`."""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from communications import selectors, services
from communications.forms import PageAdminForm
from communications.models import Acknowledgement, NewsItem, Newsletter, NewsTag, Subscriber
from communications.models.pages import Page
from communications.sanitize import sanitize
from kaikukeskus.admin_helpers import WithoutViewsMixin
from kaikukeskus.locking import VersionedAdminForm, VersionedAdminMixin

EDITOR = {"class": "news-editor vLargeTextField", "rows": 16}


def editor_widgets(field: str) -> dict[str, forms.Textarea]:
    """The rich text editor on `<field>_fi`, `_sv` and `_en`."""
    return {f"{field}_{language}": forms.Textarea(attrs=EDITOR) for language in ("fi", "sv", "en")}


class RichTextAdminForm(VersionedAdminForm):
    class Media:
        js = ["js/news-editor.js"]
        css = {"all": ["css/news-editor.css"]}


class NewsItemForm(RichTextAdminForm):
    class Meta:
        model = NewsItem
        fields = "__all__"
        widgets = editor_widgets("body")


@admin.register(NewsTag)
class NewsTagAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "name_en", "slug"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fi"]}


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("published", _("Published")), ("scheduled", _("Scheduled")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "published":
            return queryset.published(now)
        if self.value() == "scheduled":
            return queryset.filter(publish_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(expire_at__lte=now)
        return queryset


@admin.register(NewsItem)
class NewsItemAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    form = NewsItemForm
    list_display = ["title_fi", "audience", "publish_at", "expire_at", "status", "pinned", "to_acknowledge"]
    list_filter = [StatusFilter, "audience", "pinned", "to_acknowledge", "tags"]
    search_fields = ["title_fi", "title_sv", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_fi"]}
    filter_horizontal = ["tags"]
    date_hierarchy = "publish_at"
    readonly_fields = ["preview", "acknowledgements"]
    fieldsets = [
        (None, {"fields": ["slug", "audience", "tags", "publish_at", "expire_at", "pinned"]}),
        (_("Finnish"), {"fields": ["title_fi", "body_fi"]}),
        (_("Swedish"), {"fields": ["title_sv", "body_sv"]}),
        (_("English"), {"fields": ["title_en", "body_en"]}),
        (_("Acknowledgement"), {"fields": ["to_acknowledge", "reminder_after_days", "acknowledgements"]}),
        (_("Preview"), {"fields": ["preview"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description=_("status"))
    def status(self, item: NewsItem) -> str:
        now = timezone.now()
        if item.publish_at > now:
            return gettext("Scheduled")
        if item.expire_at and item.expire_at <= now:
            return gettext("Expired")
        return gettext("Published")

    @admin.display(description=_("preview"))
    def preview(self, item: NewsItem) -> str:
        """The stored text as readers get it (sanitised), one language after another."""
        if not item.pk:
            return gettext("The preview is shown once the item is saved.")
        parts = []
        for language, label in (("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))):
            body = getattr(item, f"body_{language}")
            if body.strip():
                parts.append(
                    format_html(
                        '<section class="news-preview" lang="{}"><h3>{}: {}</h3>{}</section>',
                        language,
                        label,
                        getattr(item, f"title_{language}") or item.title_fi,
                        mark_safe(sanitize(body)),  # noqa: S308 - sanitised against the allowlist just now
                    )
                )
        return format_html_join("", "{}", ((part,) for part in parts))

    @admin.display(description=_("acknowledgements"))
    def acknowledgements(self, item: NewsItem) -> str:
        if not item.pk or not item.to_acknowledge:
            return "–"
        (status,) = selectors.acknowledgement_status(items=NewsItem.objects.filter(pk=item.pk))
        summary = gettext("%(acknowledged)s of %(total)s localities acknowledged") % {
            "acknowledged": status.acknowledged,
            "total": status.total,
        }
        if not status.missing:
            return summary
        missing = format_html_join(", ", "{}", ((locality.name,) for locality in status.missing))
        return format_html("{}. {} {}", summary, gettext("Not yet:"), missing)

    def save_model(self, request, obj, form, change):
        services.news_item_save(actor=request.user, item=obj, expected_version=form.expected_version)


@admin.register(Acknowledgement)
class AcknowledgementAdmin(WithoutViewsMixin, admin.ModelAdmin):
    """Coordinators acknowledge on the portal (a service): staff read who did and when."""

    without_views = ("add", "change")
    list_display = ["item", "locality", "user", "acknowledged_at"]
    list_filter = ["item"]
    search_fields = ["locality__name_fi", "user__email", "item__title_fi"]
    list_select_related = ["item", "locality", "user"]


class ToPageAfterSaveMixin:
    """After "Save", staff land on the page where the next step is (a page's preview, a newsletter's sending);
    "Save and continue editing" and "Save and add another" do what they say."""

    def page_after_save(self, obj) -> str:
        raise NotImplementedError

    def _after_save(self, request, obj, response):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return response
        return HttpResponseRedirect(self.page_after_save(obj))

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._after_save(request, obj, super().response_change(request, obj))


@admin.register(Page)
class PageAdmin(ToPageAfterSaveMixin, VersionedAdminMixin, SimpleHistoryAdmin):
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

    def page_after_save(self, obj: Page) -> str:
        return reverse("communications:page-preview", kwargs={"key": obj.key})


class NewsletterForm(RichTextAdminForm):
    class Meta:
        model = Newsletter
        fields = "__all__"
        widgets = editor_widgets("intro")


@admin.register(Newsletter)
class NewsletterAdmin(ToPageAfterSaveMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    """Staff write an issue here; its page in the workspace (where they are sent after saving) counts the
    recipients, sends a test and sends it. A sent issue is read-only: it is the record of what went out."""

    form = NewsletterForm
    list_display = ["title_fi", "created_at", "sent_at", "recipients_count", "review_link"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["title_fi", "title_sv", "title_en"]
    filter_horizontal = ["items"]
    readonly_fields = ["sent_at", "sent_by", "recipients_count", "review_link"]
    fieldsets = [
        (None, {"fields": ["items", "review_link"]}),
        (_("Recipients"), {"fields": ["to_coordinators", "to_staff", "to_subscribers"]}),
        (_("Finnish"), {"fields": ["title_fi", "intro_fi"]}),
        (_("Swedish"), {"fields": ["title_sv", "intro_sv"]}),
        (_("English"), {"fields": ["title_en", "intro_en"]}),
        (_("Sending"), {"fields": ["sent_at", "sent_by", "recipients_count"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "items":
            kwargs["queryset"] = NewsItem.objects.public().order_by("-publish_at", "-pk")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("recipients, test and sending"))
    def review_link(self, newsletter: Newsletter) -> str:
        if not newsletter.pk:
            return gettext("Save the newsletter first.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("communications:newsletter-review", kwargs={"pk": newsletter.pk}),
            gettext("Count the recipients, send a test, send") if not newsletter.is_sent else gettext("Sending"),
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_sent)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_sent)

    def save_model(self, request, obj, form, change):
        services.newsletter_save(actor=request.user, newsletter=obj, expected_version=form.expected_version)

    def page_after_save(self, obj: Newsletter) -> str:
        return reverse("communications:newsletter-review", kwargs={"pk": obj.pk})


@admin.register(Subscriber)
class SubscriberAdmin(WithoutViewsMixin, SimpleHistoryAdmin):
    """Visitors subscribe and unsubscribe themselves (double opt-in): staff read who, in which language, and
    since when."""

    without_views = ("add", "change")
    list_display = ["email", "language", "confirmed_at", "unsubscribed_at"]
    list_filter = [
        "language",
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email"]
