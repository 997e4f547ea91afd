"""What every app's admin shares: the mixin that leaves out views, the loop of an admin action over its rows, the
URL of an extra page of one row, and the writes of an inline's rows and of deletes through the app's services (so
that each records who and why, as the row's own page does)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import path


class WithoutViewsMixin:
    """Leave out what this model's admin does not offer, e.g. "add" where a service elsewhere makes the rows or
    "delete" where rows are history: `without_views` names them among "add", "change" and "delete". The
    matching `has_*_permission` answers no, so that no button or action offers them, and the "add" and
    "delete" pages go from the URLs instead of answering 403. Without "change" the change page stays: Django
    shows the row there read-only."""

    without_views: tuple[str, ...] = ()

    def get_urls(self):
        names = {
            f"{self.opts.app_label}_{self.opts.model_name}_{view}" for view in self.without_views if view != "change"
        }
        return [url for url in super().get_urls() if url.name not in names]

    # Inlines take `obj` in `has_add_permission`, model admins do not: hence *args.
    def has_add_permission(self, request, *args, **kwargs):
        return "add" not in self.without_views and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return "change" not in self.without_views and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return "delete" not in self.without_views and super().has_delete_permission(request, obj)


def act_on_each(model_admin, request, rows, service, row_as: str, done_message: "str | Callable[[int], str]") -> None:
    """An admin action's loop: `service(actor=…, <row_as>=row)` for each row. A row the service refuses (marked
    done by somebody else a moment ago, decided meanwhile) is told as a warning and left as it is; the rest go
    on. `done_message` is a text with `%(count)d`, or a function of the count that returns it with the count's
    plural (`lambda count: ngettext(singular, plural, count)`), which every message with a number should be."""
    count = 0
    for row in rows:
        try:
            service(actor=request.user, **{row_as: row})
        except ValidationError as error:
            model_admin.message_user(request, f"{row}: {' '.join(error.messages)}", messages.WARNING)
        else:
            count += 1
    text = done_message(count) if callable(done_message) else done_message
    model_admin.message_user(request, text % {"count": count}, messages.SUCCESS)


def object_view_url(model_admin, suffix: str, view):
    """An extra page of one row, `<id>/<suffix>/`, named `<app>_<model>_<suffix>`, behind the admin's login."""
    opts = model_admin.opts
    return path(
        f"<path:object_id>/{suffix}/",
        model_admin.admin_site.admin_view(view),
        name=f"{opts.app_label}_{opts.model_name}_{suffix}",
    )


def save_inline_through(formset, *, actor, row_as: str, save: Callable, delete: Callable | None = None) -> None:
    """`save(actor=…, <row_as>=row)` for each new or changed row, `delete(…)` for each removed one. The formset's
    lists of new, changed and removed rows are filled as `formset.save()` fills them (the change message reads
    them)."""
    for row in formset.save(commit=False):
        save(actor=actor, **{row_as: row})
    if formset.deleted_objects and delete is None:
        raise ValueError(f"{formset.model.__name__} rows are not removed here")
    for row in formset.deleted_objects:
        delete(actor=actor, **{row_as: row})


class DeleteThroughServiceMixin:
    """A model admin whose delete page and "delete selected" action remove each row through a service
    (`delete_service(actor=…, <delete_row_as>=row)`), so that the history records who and why."""

    delete_service: Callable
    delete_row_as: str

    def delete_model(self, request, obj):
        type(self).delete_service(actor=request.user, **{self.delete_row_as: obj})

    def delete_queryset(self, request, queryset):
        for row in queryset:
            self.delete_model(request, row)
