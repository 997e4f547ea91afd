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
