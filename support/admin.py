"""Support in the admin: staff read every question and thread (internal notes included) and keep the canned
replies. Questions are answered in the support inbox (`/portal/support/staff/`), whose services send the e-mails;
here a question's state and assignee change through the same service."""

from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from support import services
from support.models import Article, Booking, CannedReply, Message, Question, Slot


class MessageInline(admin.TabularInline):
    model = Message
    fields = ("created_at", "author", "is_internal", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "locality", "category", "state", "assignee", "due_on", "done_on")
    list_filter = ("state", "category", "assignee")
    search_fields = ("subject", "locality__name_fi")
    list_select_related = ("locality", "assignee")
    fields = ("locality", "asked_by", "category", "subject", "state", "assignee", "asked_at", "due_on", "done_on")
    readonly_fields = ("locality", "asked_by", "category", "subject", "asked_at", "due_on", "done_on")
    inlines = [MessageInline]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("support:create")  # a question is asked in the portal, where its e-mails go out

    def save_model(self, request, obj, form, change):
        services.question_update(
            actor=request.user, question=obj, state=form.cleaned_data["state"], assignee=form.cleaned_data["assignee"]
        )


@admin.register(CannedReply)
class CannedReplyAdmin(SimpleHistoryAdmin):
    list_display = ("title", "category")
    list_filter = ("category",)
    search_fields = ("title", "body_fi")

    def save_model(self, request, obj, form, change):
        services.canned_reply_save(actor=request.user, canned_reply=obj)

    def delete_model(self, request, obj):
        services.canned_reply_delete(actor=request.user, canned_reply=obj)


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ("title_fi", "category", "visibility", "is_published", "updated_at")
    list_filter = ("visibility", "is_published", "category")
    search_fields = ("title_fi", "title_sv", "title_en", "body_fi")
    prepopulated_fields = {"slug": ("title_fi",)}
    raw_id_fields = ("source_question",)

    def save_model(self, request, obj, form, change):
        services.article_save(actor=request.user, article=obj)


class BookingInline(admin.TabularInline):
    model = Booking
    fields = ("locality", "topic", "booked_by", "booked_at", "cancelled_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # coordinators book in the portal, where the confirmation goes out


@admin.register(Slot)
class SlotAdmin(SimpleHistoryAdmin):
    list_display = ("starts_at", "length", "capacity", "host", "change_limit_hours")
    list_filter = ("host",)
    date_hierarchy = "starts_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [BookingInline]

    def save_model(self, request, obj, form, change):
        services.slot_save(actor=request.user, slot=obj)
