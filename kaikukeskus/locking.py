"""Optimistic locking for records that people edit in forms: the one mechanism every app uses (README's "Two people
saving the same record" lists the records that carry it, and why the others do not).

Two coordinators open the same record, both change it, both save: without a guard the second save silently
undoes the first. With it, each row carries a `version`; a form sends back the version it was rendered from, and
the save is refused when the row has moved on since, so the second person sees what the first saved and keeps
what they typed.

How to use it:

1. The model inherits `Versioned` (an abstract model with a `version` field; `makemigrations` adds it).
2. The form inherits `VersionFormMixin` before `forms.ModelForm` (or `forms.Form` with `versioned_instance`):
   a hidden `version` field carries the version the person saw, and `form.expected_version` gives it back.
3. The service saves through the write kernel, `kaikukeskus.history.save(obj, actor=, reason=,
   expected_version=form.expected_version)`, which claims the next version with `check_and_bump` inside the
   transaction. It raises `StaleVersionError` (a `ValidationError`, so forms and the admin show it) with the row
   as it is now in `error.current`. A save with no form behind it (`expected_version=None`: a status move, a
   publication) still raises the version, so a form opened before it reports a conflict. A service that must
   claim before other writes calls `check_and_bump` itself; the kernel then claims no second version.
4. The view catches `StaleVersionError` and calls `form.show_conflict(error)`: the form keeps the posted
   values, gets the conflict message, carries the current version (saving again is a deliberate overwrite),
   and `form.conflict_rows` lists each field the other person saved differently (label, saved, yours) for
   the template (`includes/version_conflict.html`).
5. In the admin: the form is a `VersionedAdminForm`, the ModelAdmin takes `VersionedAdminMixin`, and
   `save_model` passes `form.expected_version` to the service.

Bulk writes (imports, a pilot's rescheduled milestones) raise `version` with them (`bump_versions`, or the
kernel's `bulk_update`) so that an open form notices them too.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Grows by one on every save, so that two people cannot save over each other unnoticed."),
    )

    _version_claimed: bool  # set by check_and_bump for the save that follows, not a column

    class Meta:
        abstract = True


class StaleVersionError(ValidationError):
    """The row was saved by someone else after the form was opened. `current` is the row as it is now."""

    def __init__(self, current: Versioned):
        super().__init__(
            _(
                "Someone else saved this %(record)s while you were editing it. Your changes have not been saved: "
                "compare them with the saved values below, then save again to keep yours."
            ),
            code="stale_version",
            params={"record": current._meta.verbose_name},
        )
        self.current = current


def check_and_bump(instance: Versioned, *, expected_version: int | None) -> None:
    """Claim the next version of `instance`'s row, or raise `StaleVersionError` when the row is no longer at
    `expected_version`. Call it inside the saving service's transaction, before `save()`.

    The claim is one conditional UPDATE (`… WHERE version = expected`), so two concurrent saves cannot both
    pass: the database serialises them and the second matches no row. It does not touch history: the save
    that follows records who changed what. A new row (no pk) and `expected_version=None` (a caller that
    knowingly overwrites, such as a staff data fix) are not checked, only bumped."""
    if instance.pk is None:
        return
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    if expected_version is None:
        rows.update(version=F("version") + 1)
        instance.version = rows.values_list("version", flat=True).get()
    elif not rows.filter(version=expected_version).update(version=expected_version + 1):
        raise StaleVersionError(model._default_manager.get(pk=instance.pk))
    else:
        instance.version = expected_version + 1
    instance._version_claimed = True


def claimed(instance: models.Model) -> bool:
    """Whether this save's version was claimed already (`check_and_bump`), so the write kernel claims no other."""
    return getattr(instance, "_version_claimed", False)


def forget_claim(instance: models.Model) -> None:
    """After the save: the next save of the same object claims a version of its own."""
    instance.__dict__.pop("_version_claimed", None)


def bump_versions(instances: Iterable[Versioned]) -> list[str]:
    """For bulk updates: raise each instance's version by one and return the field name to add to
    `bulk_update`'s fields. The caller holds the rows locked (`select_for_update`) and has checked that
    they are the versions it planned against."""
    for instance in instances:
        instance.version += 1
    return ["version"]


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class VersionFormMixin(_FormBase):
    """A hidden `version` field with the version the form was rendered from. For a ModelForm the instance is
    `self.instance`; a plain Form passes `versioned_instance=`."""

    if TYPE_CHECKING:
        instance: Versioned  # a ModelForm's; a plain Form passes versioned_instance

    def __init__(self, *args, versioned_instance: Versioned | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.versioned_instance = versioned_instance if versioned_instance is not None else self.instance
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, initial=self.versioned_instance.version
        )
        self.conflict_rows: list[tuple[str, str, str]] = []

    def has_changed(self) -> bool:
        # The version is bookkeeping: a form is changed when the person changed one of its fields.
        return any(name != "version" for name in self.changed_data)

    @property
    def expected_version(self) -> int | None:
        """The version the person saw: None for a new row."""
        if self.versioned_instance.pk is None:
            return None
        version = self.cleaned_data.get("version")
        # A missing or tampered value can only be stale: never let it skip the check.
        return version if version is not None else 0

    def check_version(self) -> None:
        """For a form's clean(): a row saved by someone else since the form was opened is a conflict, said on the
        form with the posted values kept (the saving service checks again inside its transaction)."""
        instance = self.versioned_instance
        if instance.pk is None or "version" not in self.cleaned_data:
            return
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        if current is not None and current.version != self.expected_version:
            self.show_conflict(StaleVersionError(current))

    def show_conflict(self, error: StaleVersionError) -> None:
        """Keep the posted values, say what happened, and let the next save overwrite knowingly."""
        self.add_error(None, error)
        self.based_on(error.current)
        self.conflict_rows = self.differences(error.current)

    def based_on(self, instance: Versioned) -> None:
        """The page shows the form again with what was typed, and its next save is based on `instance` as saved
        now (after a conflict, or a draft saved in part)."""
        self.data = cast("QueryDict | dict[str, Any]", self.data).copy()  # a bound form's data: either one copies
        self.data[self.add_prefix("version")] = str(instance.version)

    def differences(self, current: models.Model) -> list[tuple[str, str, str]]:
        """(label, saved now, yours) for each visible field where the saved row and the form differ."""
        rows = []
        for name, field in self.fields.items():
            if name == "version" or field.widget.is_hidden or name not in self.cleaned_data:
                continue
            if isinstance(field, forms.ModelMultipleChoiceField):  # many-to-many: the chosen rows, by name
                saved_display = ", ".join(sorted(str(row) for row in getattr(current, name).all())) or "–"
                yours_display = ", ".join(sorted(str(row) for row in self.cleaned_data[name] or [])) or "–"
            else:
                try:
                    saved = models.Model.serializable_value(current, name)
                except AttributeError:
                    continue
                saved_display = self._display(field, saved)
                yours_display = self._display(field, self.cleaned_data[name])
            if saved_display != yours_display:
                rows.append((str(field.label), saved_display, yours_display))
        return rows

    @staticmethod
    def _display(field: forms.Field, value: Any) -> str:
        if isinstance(value, models.Model):
            value = value.pk
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            return str(
                dict(field.choices).get(value, value)  # type: ignore[arg-type]  # normalised to pairs on set
                if value not in (None, "")
                else "–"
            )
        if isinstance(field, forms.ModelChoiceField):
            found = field.queryset.filter(pk=value).first() if value and field.queryset is not None else None
            return str(found) if found is not None else "–"
        if isinstance(field, forms.BooleanField):
            return str(_("yes") if value else _("no"))
        if value in (None, ""):
            return "–"
        return str(value)


class VersionedAdminForm(VersionFormMixin, forms.ModelForm):
    """An admin change form with optimistic locking: the version the page was opened with travels with it
    (templates/admin/change_form.html renders it), and a save over someone else's newer one is refused with the
    form kept. The admin's `save_model` passes `form.expected_version` to the saving service, which checks it
    again inside its transaction; the ModelAdmin takes `VersionedAdminMixin`, so that a save landing between the
    two checks is a conflict on the page too."""

    def clean(self):
        cleaned = super().clean()
        self.check_version()
        return cleaned


if TYPE_CHECKING:
    from django.contrib import admin

    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


class VersionedAdminMixin(_AdminBase):
    """For a ModelAdmin whose form is a `VersionedAdminForm`. The form's check runs before the admin's
    transaction and the service's inside it; a save that lands between the two (the same instant) makes the
    service raise `StaleVersionError` out of `save_model`, which Django's admin would answer with a 500. The
    transaction has rolled back by then: the post is handled once more, and the form's check now shows the
    conflict with what the person typed."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersionError:
            return super().changeform_view(request, object_id, form_url, extra_context)
