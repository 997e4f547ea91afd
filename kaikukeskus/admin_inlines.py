"""An admin inline's rows written through an app's services, so that each saved or removed row records who and
why (`kaikukeskus.history`) as the row's own page does, never by `formset.save()`."""

from collections.abc import Callable


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
