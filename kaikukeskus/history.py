"""The write kernel: how a service saves a row with who acted and why, in one place.

Every model with history (django-simple-history) is written through `save()`, `delete()`, `bulk_create()` or
`bulk_update()` here. Each records:

- who: `actor`, a signed-in user; a visitor (`AnonymousUser`) and the system (`None`) are stored as nobody;
- why: a stable *reason key* (`"edited"`, `"report.approved"`), optionally with a detail a person typed
  (`"status: preparing → piloting"`), cut to fit the history's column. The key is stored, never a translation,
  so a row written by a Swedish-speaking user reads in Finnish for a Finnish one: `reason_label()` (and the
  template filter `history_reason`) translates it when shown. Apps add their keys with `register_reasons()`.

`save()` runs `full_clean()` first (the model's and the database's rules, answered as a `ValidationError`), unless
the caller validated the row already. A versioned row (`kaikukeskus.locking.Versioned`) claims its next version
too: checked against `expected_version`, the version the person's form was opened with (`StaleVersionError` when
someone saved since), or simply raised when there is no form (`None`: a status move, a publication), so that a
form opened before any save reports a conflict. A caller that claimed the version itself with `check_and_bump`
is not claimed twice. `.update()` skips history and versions: use it only where no person acted.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, cast

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kaikukeskus.locking import Versioned, bump_versions, check_and_bump, claimed, forget_claim

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kaikukeskus.models import User

    # A service's actor is a signed-in user or the system (None); a view may pass a visitor's AnonymousUser.
    Actor = User | AnonymousUser | None

REASON_LENGTH = 100  # simple-history's history_change_reason column
DETAIL_SEPARATOR = ": "

_LABELS: dict[str, Promise | str] = {
    "created": _("Created"),
    "edited": _("Edited"),
    "deleted": _("Deleted"),
    "imported": _("Imported"),
    "demo": _("Demo data"),
}


def register_reasons(labels: Mapping[str, Promise | str]) -> None:
    """An app's reason keys with their translatable labels (called at import of the app's services)."""
    _LABELS.update(labels)


def with_detail(key: str, detail: str = "") -> str:
    """What is stored: the key, and a person's detail after it if any, within the column's length."""
    detail = " ".join(str(detail).split())
    text = f"{key}{DETAIL_SEPARATOR}{detail}" if detail else key
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def reason_label(stored: str | None) -> str:
    """A stored reason in the reader's language: a known key's label (with its detail), else the text as it was
    stored (rows written before the keys, or a key no app registers any more)."""
    if not stored:
        return ""
    key, separator, detail = stored.partition(DETAIL_SEPARATOR)
    label = _LABELS.get(key)
    if label is None:
        return stored
    return f"{label}{separator}{detail}"


def _who(actor: "Actor") -> "User | None":
    return actor if actor is not None and actor.is_authenticated else None


def save(
    instance: models.Model,
    *,
    actor: "Actor",
    reason: str,
    expected_version: int | None = None,
    clean: bool = True,
    update_fields: Sequence[str] | None = None,
    claim_version: bool = True,
) -> None:
    """Save `instance` with who (`actor`) and why (`reason`, a key, or `with_detail()`) in its history.
    `claim_version=False`: the same service saved this row once already in its transaction and took its version
    then (one action, one new version)."""
    if clean:
        instance.full_clean()
    if isinstance(instance, Versioned):
        if claim_version and not claimed(instance):
            check_and_bump(instance, expected_version=expected_version)
        if update_fields is not None and "version" not in update_fields:
            update_fields = [*update_fields, "version"]
    instance._history_user = _who(actor)  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)
    forget_claim(instance)


def delete(instance: models.Model, *, actor: "Actor", reason: str) -> None:
    instance._history_user = _who(actor)  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.delete()


def bulk_create(
    objs: Iterable[models.Model], model: type[models.Model], *, actor: "Actor", reason: str, **options
) -> list:
    return bulk_create_with_history(
        list(objs), model, default_user=_who(actor), default_change_reason=reason, **options
    )


def bulk_update(
    objs: Iterable[models.Model],
    model: type[models.Model],
    fields: Sequence[str],
    *,
    actor: "Actor",
    reason: str,
    **options,
) -> int | None:
    """The caller holds the rows locked; a versioned model's rows each take their next version."""
    objs, fields = list(objs), list(fields)
    if issubclass(model, Versioned) and "version" not in fields:
        fields += bump_versions(cast("list[Versioned]", objs))
    return bulk_update_with_history(
        objs, model, fields, default_user=_who(actor), default_change_reason=reason, **options
    )
