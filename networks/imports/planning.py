"""Planning an import: what each row of a read spreadsheet would do to the locality's partners (new, update,
unchanged, or an error with the reasons), validated by the models' own rules. Reads only: `services` stores the
preview and applies the plan."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kaikukeskus.spreadsheet_reader import excerpt
from localities.models import Locality, Municipality
from networks.imports.columns import COLUMNS, REQUIRED_KEYS
from networks.models import (
    PARTNER_FIELDS,
    CommitmentKind,
    ContactPerson,
    IssuerKind,
    Partner,
    PartnerRole,
    Sector,
    VenueCategory,
    name_key,
    validate_phone,
)

# --- Planning ---------------------------------------------------------------------------------------------

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"

_TRUE = {"1", "x", "yes", "y", "true", "kyllä", "k", "ja", "j"}
_FALSE = {"0", "no", "n", "false", "ei", "e", "nej"}


def _choice_map(choices) -> dict[str, str]:
    """Accept the stored value and the label in any of the three languages, case-insensitively."""
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
    # What will be stored, as the preview shows it: (column, value) for a new row, (column, "old → new") for an
    # updated one, in the uploader's language.
    values: list[tuple[str, str]] = field(default_factory=list)
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
            "values": [list(pair) for pair in self.values],
        }

    def fingerprint(self) -> list:
        """What this row would write and over which version of which rows: the import's optimistic lock."""
        partner, contact = self.partner, self.contact
        return [
            self.line,
            self.status,
            self.messages,
            partner.pk if partner else None,
            partner.version if partner and partner.pk else None,
            self.partner_fields,
            contact.pk if contact else None,
            contact.version if contact and contact.pk else None,
            self.contact_fields,
        ]


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

    @property
    def sha256(self) -> str:
        """Changes when anything the preview showed, or the partners it would overwrite, changes."""
        rows = [row.fingerprint() for row in self.rows]
        return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()

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
        self.labels = {column.key: str(column.label) for column in COLUMNS}

    def read(self, cells: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
        partner: dict[str, Any] = {}
        contact: dict[str, Any] = {}
        errors: list[str] = []

        def fail(key: str, message: str) -> None:
            errors.append(f"{self.labels[key]}: {message}")

        validated = {
            "website": (_URL, partner, "website", _("“%(value)s” is not a web address.")),
            "contact_email": (_EMAIL, contact, "email", _("“%(value)s” is not an e-mail address.")),
            "contact_phone": (validate_phone, contact, "phone", _("“%(value)s” is not a phone number.")),
        }

        for key, text in cells.items():
            if key in self.choices:
                if not text:
                    partner[key] = ""
                elif text.lower() in self.choices[key]:
                    partner[key] = self.choices[key][text.lower()]
                else:
                    fail(key, _("“%(value)s” is not one of the choices.") % {"value": excerpt(text)})
            elif key == "municipality":
                found = self.municipalities.get(text.lower()) or self.municipalities.get(text.zfill(3))
                if found is None:
                    fail(
                        key,
                        _("“%(value)s” is not one of the locality's municipalities (%(names)s).")
                        % {"value": excerpt(text), "names": self.municipality_names},
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
                        fail(
                            key,
                            _("“%(value)s” is not a date (write 31.12.2025 or 2025-12-31).") % {"value": excerpt(text)},
                        )
            elif key == "listed_publicly":
                if not text or text.lower() in _TRUE:
                    partner[key] = True
                elif text.lower() in _FALSE:
                    partner[key] = False
                else:
                    fail(key, _("“%(value)s” is not yes or no.") % {"value": excerpt(text)})
            elif key in validated:
                validator, target, name, message = validated[key]
                value = _normalised(key, text)
                try:
                    if value:
                        validator(value)
                    target[name] = value
                except ValidationError:
                    fail(key, message % {"value": excerpt(text)})
            elif key in ("contact_name", "contact_title"):
                contact[key.removeprefix("contact_")] = text
            else:
                partner[key] = text
        return partner, contact, errors


def _normalised(key: str, text: str) -> str:
    """A web address typed without a scheme is https; e-mail addresses are kept in lower case."""
    if key == "website" and text and "://" not in text:
        return "https://" + text
    return text.lower() if key == "contact_email" else text


def _field_label(name: str) -> str:
    """The field as the spreadsheet's column names it."""
    for column in COLUMNS:
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


def partner_import_plan(*, locality: Locality, header: list[str], rows: list) -> ImportPlan:
    """What each row would do: new, update, unchanged or error (with the reasons). Reads only. The same rules
    as the partner form run on every row (`clean_fields()` and the role and date rules of `Partner`), but the
    locality's partners, municipalities and primary contacts are loaded once instead of queried per row; the
    database constraints stay the last guard when the plan is applied. Names match through `name_key`, as in
    the form and the admin's import."""
    municipalities = list(locality.municipalities.all())
    reader = _RowReader(municipalities=municipalities)
    existing = {
        (partner.role, name_key(partner.name)): partner
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
        plan = RowPlan(line=line, status=ERROR, name=excerpt(name), role=role)
        plans.append(plan)
        for required in REQUIRED_KEYS:
            if not cells.get(required):
                errors.insert(0, _("%(column)s: this cell is required.") % {"column": reader.labels[required]})
        key = (role, name_key(name))
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
        plan.values = _stored_values(partner, current, changed, contact, contact_changed)
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


def _display(partner: Partner | ContactPerson, name: str) -> str:
    """A stored value as the reader says it: a choice's label, a municipality's name, yes or no, a date in the
    language's format."""
    value = getattr(partner, name)
    if value is None or value == "":
        return ""
    if isinstance(value, Municipality):
        return value.name
    model_field = type(partner)._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _stored_values(
    partner: Partner,
    current: Partner | None,
    changed: list[str],
    contact: ContactPerson | None,
    contact_changed: list[str],
) -> list[tuple[str, str]]:
    """Every value a new row stores (empty ones left out), or each changed value of an existing one as
    "old → new", the primary contact's included."""
    values = []
    for name in changed:
        new = _display(partner, name)
        if current is None:
            if new:
                values.append((_field_label(name), new))
        else:
            values.append((_field_label(name), f"{_display(current, name) or '–'} → {new or '–'}"))
    if contact is not None:
        for name in contact_changed:
            new = _display(contact, name)
            if new:
                values.append((_field_label(f"contact_{name}"), new))
    return values


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
