from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from post_office.admin import EmailAdmin as PostOfficeEmailAdmin
from post_office.admin import LogInline
from post_office.models import STATUS, Email, EmailTemplate
from post_office.models import Attachment as EmailAttachment

from kaikukeskus import mail
from kaikukeskus.models import User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]})]

    def get_readonly_fields(self, request, obj=None):
        # Only superusers hand out superuser status or raw permissions; staff manage the rest.
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly


# --- The outbox (kaikukeskus/mail.py) ----------------------------------------------------------------------
# post_office's admin for its messages, with our columns and our "send again"; its database templates and bare
# attachments are not used here (messages are rendered from our templates), so their pages are left out.
admin.site.unregister(EmailTemplate)
admin.site.unregister(EmailAttachment)
admin.site.unregister(Email)


@admin.register(Email)
class OutboxEmailAdmin(PostOfficeEmailAdmin):
    list_display = ["to_display", "shortened_subject", "status", "tries", "last_attempt", "next_attempt"]
    list_filter = ["status"]
    actions = ["send_again"]
    inlines = [LogInline]  # post_office's attachment inline looks attachments up in an admin left out here

    @admin.display(description=_("Retries"), ordering="number_of_retries")
    def tries(self, email: Email) -> int:
        return email.number_of_retries or 0

    @admin.display(description=_("Last change"), ordering="last_updated")
    def last_attempt(self, email: Email):
        return email.last_updated

    @admin.display(description=_("Next attempt"), ordering="scheduled_time")
    def next_attempt(self, email: Email):
        return email.scheduled_time if email.status in (STATUS.queued, STATUS.requeued) else None

    @admin.action(description=_("Send the selected e-mails again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = mail.requeue(emails=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail is queued to be sent again.", "%(count)d e-mails are queued to be sent again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
