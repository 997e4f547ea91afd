from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from post_office.admin import EmailAdmin as PostOfficeEmailAdmin
from post_office.admin import LogInline
from post_office.models import STATUS, Email, EmailTemplate
from post_office.models import Attachment as EmailAttachment
from simple_history.admin import SimpleHistoryAdmin

from kaikukeskus import mail, services
from kaikukeskus.models import User
from kaikukeskus.roles import STAFF_GROUP


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


def _has_staff_group(groups) -> bool:
    return any(group.name == STAFF_GROUP for group in groups)


class UserEditForm(UserChangeForm):
    acting_user: User | None = None  # set by the admin: who fills the form in

    class Meta:
        model = User
        fields = "__all__"

    def clean(self):
        """Nobody removes their own role or account here (the services refuse it too): told at the field."""
        cleaned = super().clean()
        user = self.instance
        if self.acting_user is None or user.pk != self.acting_user.pk:
            return cleaned
        if user.is_staff and cleaned.get("is_staff") is False:
            self.add_error("is_staff", _("You cannot remove your own staff role; ask another staff member."))
        if "groups" in cleaned and _has_staff_group(user.groups.all()) and not _has_staff_group(cleaned["groups"]):
            self.add_error("groups", _("You cannot remove your own staff role; ask another staff member."))
        if user.is_active and cleaned.get("is_active") is False:
            self.add_error("is_active", _("You cannot deactivate your own account; ask another staff member."))
        if user.is_superuser and cleaned.get("is_superuser") is False:
            self.add_error("is_superuser", _("You cannot remove your own superuser status; ask another superuser."))
        return cleaned


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
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

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A user's history is read only: a revert would write the role past its services (and the history has
        # no password to put back).
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_model(self, request, obj, form, change):
        """The user's own fields here; a changed role is put back as stored and moved by the role services once
        the groups are saved (`save_related`), so that each move records who and why."""
        if change:
            stored = User.objects.get(pk=obj.pk)
            obj._roles_asked = {
                **{name: getattr(obj, name) for name in services.ROLE_FIELDS},
                "staff_group": _has_staff_group(form.cleaned_data.get("groups", stored.groups.all())),
                "had_staff_group": _has_staff_group(stored.groups.all()),
            }
            for name in services.ROLE_FIELDS:
                setattr(obj, name, getattr(stored, name))
            if not set(form.changed_data) - {*services.ROLE_FIELDS, "groups", "user_permissions"}:
                return  # only the role (or the groups, saved with the form's lists): no "edited" row
        services.user_save(actor=request.user, user=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        asked = getattr(form.instance, "_roles_asked", None)
        if asked is not None:
            self._move_roles(request, form.instance, asked)

    @staticmethod
    def _move_roles(request, user: User, asked: dict) -> None:
        """Ticking or unticking staff status (or the staff group alone) grants or removes the staff role;
        superuser status moves with a grant; the active box deactivates or reactivates."""
        actor = request.user
        staff_moved = asked["is_staff"] != user.is_staff
        if staff_moved or asked["staff_group"] != asked["had_staff_group"]:
            if asked["is_staff"] if staff_moved else asked["staff_group"]:
                services.staff_grant(actor=actor, user=user, superuser=asked["is_superuser"])
            else:
                services.staff_revoke(actor=actor, user=user)
        elif asked["is_superuser"] != user.is_superuser:
            services.staff_grant(actor=actor, user=user, superuser=asked["is_superuser"])
        if asked["is_active"] != user.is_active:
            (services.user_reactivate if asked["is_active"] else services.user_deactivate)(actor=actor, user=user)


# --- The outbox (kaikukeskus/mail.py) ----------------------------------------------------------------------
# post_office's admin for its messages, with our columns and our "send again"; its database templates and bare
# attachments are not used here (messages are rendered from our templates), so their pages are left out.
admin.site.unregister(EmailTemplate)
admin.site.unregister(EmailAttachment)
admin.site.unregister(Email)


@admin.register(Email)
class OutboxEmailAdmin(PostOfficeEmailAdmin):
    # Four columns, so that the list fits beside the admin's menu and filter at 1280 px; the retries and the next
    # attempt of a message waiting to be sent again are in its status column.
    list_display = ["to_display", "shortened_subject", "delivery", "last_attempt"]
    list_filter = ["status"]
    actions = ["send_again"]
    inlines = [LogInline]  # post_office's attachment inline looks attachments up in an admin left out here

    @admin.display(description=_("Status"), ordering="status")
    def delivery(self, email: Email) -> str:
        status = email.get_status_display() if email.status is not None else ""
        if email.status != STATUS.requeued:
            return status
        return _("%(status)s: try %(number)d, next %(at)s") % {
            "status": status,
            "number": (email.number_of_retries or 0) + 1,
            "at": formats.date_format(timezone.localtime(email.scheduled_time), "SHORT_DATETIME_FORMAT")
            if email.scheduled_time
            else "–",
        }

    @admin.display(description=_("Last change"), ordering="last_updated")
    def last_attempt(self, email: Email):
        return email.last_updated

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
