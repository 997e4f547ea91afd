"""Writes for networks. Every state change is a function here: keyword-only, one transaction, `actor=` checked
against the locality scope and recorded in history as the one who changed the row."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from localities.models import Locality, Municipality
from localities.permissions import require_scope
from networks import spreadsheets
from networks.models import (
    PARTNER_FIELDS,
    CommitmentKind,
    ContactPerson,
    IssuerKind,
    Partner,
    PartnerImport,
    PartnerRole,
    Sector,
    VenueCategory,
    validate_phone,
)

CONTACT_FIELDS = ("name", "title", "email", "phone", "is_primary")


# --- Partners and their contacts --------------------------------------------------------------------------


@dataclass
class ContactChange:
    """One contact row from the partner form: `pk` None for a new person, `delete` to remove one."""

    pk: int | None = None
    delete: bool = False
    values: dict[str, Any] = field(default_factory=dict)


def _apply_partner_values(partner: Partner, values: dict[str, Any]) -> None:
    unknown = set(values) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"not partner fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(partner, name, value)


def _save_contacts(*, actor, partner: Partner, contacts: Sequence[ContactChange]) -> None:
    existing = {contact.pk: contact for contact in partner.contacts.all()}
    # A posted id that is not this partner's contact (another partner's, another locality's) is refused.
    foreign = [change.pk for change in contacts if change.pk is not None and change.pk not in existing]
    if foreign:
        raise ValidationError(_("A contact person does not belong to this partner."))
    kept = []
    for change in contacts:
        contact = existing.get(change.pk) if change.pk else ContactPerson(partner=partner)
        if change.delete:
            if contact.pk:
                contact._history_user = actor
                contact.delete()
            continue
        for name, value in change.values.items():
            if name not in CONTACT_FIELDS:
                raise ValueError(f"not a contact field: {name}")
            setattr(contact, name, value)
        kept.append(contact)
    untouched = [c for pk, c in existing.items() if pk not in {change.pk for change in contacts}]
    if sum(1 for contact in [*kept, *untouched] if contact.is_primary) > 1:
        raise ValidationError(_("Mark only one contact person as the primary contact."))
    # Demote before promoting so the one-primary constraint holds at every step.
    for contact in sorted(kept, key=lambda contact: contact.is_primary):
        contact.partner = partner
        contact.full_clean()
        contact._history_user = actor
        contact.save()


@transaction.atomic
def partner_create(
    *, actor, locality: Locality, values: dict[str, Any], contacts: Sequence[ContactChange] = ()
) -> Partner:
    require_scope(actor, locality)
    return _save_partner(actor=actor, partner=Partner(locality=locality), values=values, contacts=contacts)


@transaction.atomic
def partner_update(
    *, actor, partner: Partner, values: dict[str, Any], contacts: Sequence[ContactChange] = ()
) -> Partner:
    require_scope(actor, partner.locality)
    return _save_partner(actor=actor, partner=partner, values=values, contacts=contacts)


def _save_partner(*, actor, partner: Partner, values: dict[str, Any], contacts: Sequence[ContactChange]) -> Partner:
    _apply_partner_values(partner, values)
    partner.full_clean()
    partner._history_user = actor
    partner.save()
    _save_contacts(actor=actor, partner=partner, contacts=contacts)
    return partner


@transaction.atomic
def partner_end(*, actor, partner: Partner, left_on: datetime.date | None = None) -> Partner:
    """End a partnership on `left_on` (today by default). The row and its history stay: past counts hold."""
    require_scope(actor, partner.locality)
    if partner.left_on is not None:
        raise ValidationError({"left_on": _("This partnership has already ended.")})
    partner.left_on = left_on or timezone.localdate()
    partner.full_clean()
    partner._history_user = actor
    partner.save(update_fields=["left_on", "updated_at"])
    return partner


# --- Import -----------------------------------------------------------------------------------------------

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"

_TRUE = {"1", "x", "yes", "y", "true", "kyllä", "k", "ja", "j"}
_FALSE = {"0", "no", "n", "false", "ei", "e", "nej"}


def _choice_map(choices) -> dict[str, str]:
    """Accept the stored value and the label in any of the three languages, case-insensitively."""
    from django.utils import translation

    mapping = {}
    for value, label in choices:
        mapping[value.lower()] = value
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                mapping[str(label).lower()] = value
    return mapping


_URL = URLValidator(schemes=["http", "https"])
_EMAIL = EmailValidator()


def _parse_date(text: str) -> datetime.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class RowPlan:
    line: int
    status: str
    name: str = ""
    role: str = ""
    messages: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    partner: Partner | None = None
    partner_fields: list[str] = field(default_factory=list)
    contact: ContactPerson | None = None
    contact_fields: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "status": self.status,
            "name": self.name,
            "role": self.role,
            "messages": self.messages,
            "changes": self.changes,
        }


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    ignored_columns: list[str]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((NEW, UPDATE, UNCHANGED, ERROR), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(row.status == ERROR for row in self.rows)

    def as_dict(self) -> dict:
        return {
            "rows": [row.as_dict() for row in self.rows],
            "counts": self.counts,
            "ignored_columns": self.ignored_columns,
        }


class _RowReader:
    """Turns one row's cells into typed values, collecting a readable message per bad cell."""

    def __init__(self, *, municipalities: list[Municipality]):
        self.choices = {
            "role": _choice_map(PartnerRole.choices),
            "sector": _choice_map(Sector.choices),
            "category": _choice_map(VenueCategory.choices),
            "issuer_kind": _choice_map(IssuerKind.choices),
            "commitment_kind": _choice_map(CommitmentKind.choices),
        }
        self.municipalities: dict[str, Municipality] = {}
        for municipality in municipalities:
            self.municipalities[municipality.code] = municipality
            self.municipalities[municipality.name_fi.lower()] = municipality
            if municipality.name_sv:
                self.municipalities[municipality.name_sv.lower()] = municipality
        self.municipality_names = ", ".join(m.name_fi for m in municipalities) or "–"
        self.labels = {column.key: str(column.label) for column in spreadsheets.COLUMNS}

    def read(self, cells: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
        partner: dict[str, Any] = {}
        contact: dict[str, Any] = {}
        errors: list[str] = []

        def fail(key: str, message: str) -> None:
            errors.append(f"{self.labels[key]}: {message}")

        for key, text in cells.items():
            if key in self.choices:
                if not text:
                    partner[key] = ""
                elif text.lower() in self.choices[key]:
                    partner[key] = self.choices[key][text.lower()]
                else:
                    fail(key, _("“%(value)s” is not one of the choices.") % {"value": text})
            elif key == "municipality":
                found = self.municipalities.get(text.lower()) or self.municipalities.get(text.zfill(3))
                if found is None:
                    fail(
                        key,
                        _("“%(value)s” is not one of the locality's municipalities (%(names)s).")
                        % {"value": text, "names": self.municipality_names},
                    )
                else:
                    partner["municipality"] = found
            elif key in ("joined_on", "left_on", "commitment_acknowledged_on"):
                if not text:
                    partner[key] = None
                else:
                    try:
                        partner[key] = _parse_date(text)
                    except ValueError:
                        fail(key, _("“%(value)s” is not a date (write 31.12.2025 or 2025-12-31).") % {"value": text})
            elif key == "listed_publicly":
                if not text or text.lower() in _TRUE:
                    partner[key] = True
                elif text.lower() in _FALSE:
                    partner[key] = False
                else:
                    fail(key, _("“%(value)s” is not yes or no.") % {"value": text})
            elif key == "website":
                url = text
                if url and "://" not in url:
                    url = "https://" + url
                try:
                    if url:
                        _URL(url)
                    partner[key] = url
                except ValidationError:
                    fail(key, _("“%(value)s” is not a web address.") % {"value": text})
            elif key == "contact_email":
                try:
                    if text:
                        _EMAIL(text)
                    contact["email"] = text.lower()
                except ValidationError:
                    fail(key, _("“%(value)s” is not an e-mail address.") % {"value": text})
            elif key == "contact_phone":
                try:
                    if text:
                        validate_phone(text)
                    contact["phone"] = text
                except ValidationError:
                    fail(key, _("“%(value)s” is not a phone number.") % {"value": text})
            elif key in ("contact_name", "contact_title"):
                contact[key.removeprefix("contact_")] = text
            else:
                partner[key] = text
        return partner, contact, errors


def _field_label(name: str) -> str:
    """The field as the spreadsheet's column names it."""
    for column in spreadsheets.COLUMNS:
        if column.key == name:
            return str(column.label)
    return str(Partner._meta.get_field(name).verbose_name).capitalize()


def _validation_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        messages = []
        for name, field_errors in error.message_dict.items():
            prefix = "" if name == "__all__" else f"{_field_label(name)}: " if _is_partner_field(name) else ""
            messages.extend(prefix + message for message in field_errors)
        return messages
    return list(error.messages)


def _is_partner_field(name: str) -> bool:
    try:
        Partner._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def partner_import_plan(*, locality: Locality, header: list[str], rows: list[list]) -> ImportPlan:
    """What each row would do: new, update, unchanged or error (with the reasons). Reads only. The same rules
    as the partner form run on every row (`clean_fields()` and the role and date rules of `Partner`), but the
    locality's partners, municipalities and primary contacts are loaded once instead of queried per row; the
    database constraints stay the last guard when the plan is applied."""
    municipalities = list(locality.municipalities.all())
    reader = _RowReader(municipalities=municipalities)
    existing = {
        (partner.role, partner.name.lower()): partner
        for partner in Partner.objects.filter(locality=locality).select_related("municipality")
    }
    primaries = {
        contact.partner_id: contact
        for contact in ContactPerson.objects.filter(partner__locality=locality, is_primary=True)
    }
    seen: dict[tuple[str, str], int] = {}
    today = timezone.localdate()
    plans: list[RowPlan] = []
    for line, raw in rows:
        cells = {key: (raw[index] if index < len(raw) else "").strip() for index, key in enumerate(header) if key}
        values, contact_values, errors = reader.read(cells)
        role, name = values.get("role", ""), values.get("name", "")
        plan = RowPlan(line=line, status=ERROR, name=name, role=role)
        plans.append(plan)
        for required in spreadsheets.REQUIRED_KEYS:
            if not cells.get(required):
                errors.insert(0, _("%(column)s: this cell is required.") % {"column": reader.labels[required]})
        key = (role, name.lower())
        if role and name:
            if key in seen:
                errors.append(_("The same partner is already on line %(line)d.") % {"line": seen[key]})
            else:
                seen[key] = line
        if errors:
            plan.messages = errors
            continue

        current = existing.get(key)
        partner = Partner(locality=locality) if current is None else _copy(current)
        if current is None and values.get("joined_on") is None:
            values["joined_on"] = today
        if current is not None and values.get("joined_on") is None:
            values.pop("joined_on", None)  # an empty cell never erases the joining date
        if current is not None:
            values["name"] = current.name  # the name is the key: a difference in case is not a rename
        for name_, value in values.items():
            setattr(partner, name_, value)
        try:
            partner.clean_fields(exclude=["locality", "municipality"])
            role_errors = partner.clean_role_fields()
            if role_errors:
                raise ValidationError(role_errors)
        except ValidationError as error:
            plan.messages = _validation_messages(error)
            continue

        changed = [f for f in PARTNER_FIELDS if current is None or _value(partner, f) != _value(current, f)]
        contact, contact_changed, contact_errors = _plan_contact(
            partner=partner, existing=primaries.get(current.pk) if current else None, values=contact_values
        )
        if contact_errors:
            plan.messages = contact_errors
            continue
        plan.partner, plan.contact = partner, contact
        plan.partner_fields, plan.contact_fields = changed, contact_changed
        if current is None:
            plan.status = NEW
        elif changed or contact_changed:
            plan.status = UPDATE
            plan.changes = [_field_label(f) for f in changed] + [
                str(ContactPerson._meta.get_field("is_primary").verbose_name).capitalize()
            ] * bool(contact_changed)
        else:
            plan.status = UNCHANGED
    return ImportPlan(rows=plans, ignored_columns=[])


def _copy(partner: Partner) -> Partner:
    clone = Partner.objects.model(**{f.attname: getattr(partner, f.attname) for f in Partner._meta.concrete_fields})
    clone._state.adding = False
    clone._state.db = partner._state.db
    clone.municipality = partner.municipality
    return clone


def _value(partner: Partner, name: str):
    return getattr(partner, "municipality_id" if name == "municipality" else name)


def _plan_contact(
    *, partner: Partner, existing: ContactPerson | None, values: dict[str, Any]
) -> tuple[ContactPerson | None, list[str], list[str]]:
    """The row's primary contact: updated in place, created when the partner has none, left alone when the
    row's contact cells are empty."""
    if not any(values.values()):
        return None, [], []
    contact = ContactPerson(partner=partner, is_primary=True) if existing is None else existing
    changed = [name for name, value in values.items() if getattr(contact, name) != value]
    if existing is not None and not changed:
        return None, [], []
    for name, value in values.items():
        setattr(contact, name, value)
    label = str(ContactPerson._meta.verbose_name).capitalize()
    try:
        contact.clean_fields(exclude=["partner"])
        contact.clean()
    except ValidationError as error:
        return None, [], [f"{label}: {message}" for message in error.messages]
    return contact, changed or ["name"], []


@transaction.atomic
def partner_import_create(*, actor, locality: Locality, file_name: str, content: bytes) -> PartnerImport:
    """Read an upload and store its cells and preview for this user and locality. Changes no partner.
    Raises `spreadsheets.SpreadsheetError` when the file as a whole cannot be read."""
    require_scope(actor, locality)
    sheet = spreadsheets.parse_upload(name=file_name, content=content)
    plan = partner_import_plan(locality=locality, header=sheet.header, rows=sheet.rows)
    plan.ignored_columns = sheet.ignored_columns
    upload = PartnerImport(
        locality=locality,
        created_by=actor,
        file_name=file_name[:200],
        sha256=sheet.sha256,
        header=sheet.header,
        cells=[[line, cells] for line, cells in sheet.rows],
        plan=plan.as_dict(),
    )
    upload.full_clean()
    upload.save()
    return upload


class ImportRefusedError(Exception):
    """The upload cannot be applied: stale, already applied, or its rows no longer validate. `plan` (when
    given) is the fresh preview to show."""

    def __init__(self, message: str, plan: ImportPlan | None = None):
        super().__init__(message)
        self.plan = plan


@transaction.atomic
def partner_import_apply(*, actor, upload: PartnerImport, sha256: str) -> dict[str, int]:
    """Apply a previewed upload: all rows or none. The rows are validated again against the partners as they
    are now (someone may have edited them since the preview); any error refuses the whole file."""
    require_scope(actor, upload.locality)
    upload = PartnerImport.objects.select_for_update().get(pk=upload.pk)
    if upload.created_by_id != actor.pk or sha256 != upload.sha256:
        raise PermissionDenied(_("This preview is not yours."))
    if upload.status != PartnerImport.Status.PREVIEWED:
        raise ImportRefusedError(_("This file has already been imported."))
    if upload.is_expired:
        raise ImportRefusedError(_("The preview has expired. Upload the file again."))
    # Lock the locality's partners so that two confirmations cannot interleave (PostgreSQL; SQLite locks the
    # whole database on write anyway).
    list(Partner.objects.select_for_update().filter(locality=upload.locality).values_list("pk", flat=True))
    plan = partner_import_plan(locality=upload.locality, header=upload.header, rows=upload.cells)
    if plan.has_errors:
        upload.plan = {**plan.as_dict(), "ignored_columns": upload.plan.get("ignored_columns", [])}
        upload.save(update_fields=["plan"])
        raise ImportRefusedError(_("Some rows are no longer valid: nothing was imported."), plan)

    now = timezone.now()
    new_partners = [row.partner for row in plan.rows if row.status == NEW]
    changed_partners = [row.partner for row in plan.rows if row.status == UPDATE and row.partner_fields]
    bulk_create_with_history(new_partners, Partner, batch_size=500, default_user=actor, default_date=now)
    if changed_partners:
        for partner in changed_partners:
            partner.updated_at = now
        fields = sorted({f for row in plan.rows if row.status == UPDATE for f in row.partner_fields} | {"updated_at"})
        bulk_update_with_history(
            changed_partners, Partner, fields=fields, batch_size=500, default_user=actor, default_date=now
        )
    new_contacts = [row.contact for row in plan.rows if row.contact is not None and row.contact.pk is None]
    changed_contacts = [row.contact for row in plan.rows if row.contact is not None and row.contact.pk is not None]
    for contact in new_contacts:
        contact.partner = contact.partner  # picks up the pk the bulk insert gave the new partner
    bulk_create_with_history(new_contacts, ContactPerson, batch_size=500, default_user=actor, default_date=now)
    if changed_contacts:
        bulk_update_with_history(
            changed_contacts,
            ContactPerson,
            fields=["name", "title", "email", "phone"],
            batch_size=500,
            default_user=actor,
            default_date=now,
        )
    upload.status = PartnerImport.Status.APPLIED
    upload.applied_at = now
    upload.plan = {**plan.as_dict(), "ignored_columns": upload.plan.get("ignored_columns", [])}
    upload.save(update_fields=["status", "applied_at", "plan"])
    return plan.counts


@transaction.atomic
def partner_imports_purge(*, older_than: datetime.timedelta = datetime.timedelta(days=7)) -> int:
    """Drop stored uploads (they hold contact persons' details) once they are of no more use."""
    deleted, _detail = PartnerImport.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


@transaction.atomic
def partner_save(*, actor, partner: Partner) -> Partner:
    """Save a partner whose fields a trusted form (the admin's) has already set."""
    require_scope(actor, partner.locality)
    partner.full_clean()
    partner._history_user = actor
    partner.save()
    return partner
