"""Writes for networks. Every state change is a function here: keyword-only, one transaction, `actor=` checked
against the locality scope and recorded in history as the one who changed the row."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history, public_cache
from kaikukeskus.locking import bump_versions, check_and_bump
from kaikukeskus.models import User
from localities.models import Locality
from localities.permissions import require_scope
from networks import imports
from networks.models import PARTNER_FIELDS, ContactPerson, Partner, PartnerImport

CONTACT_FIELDS = ("name", "title", "email", "phone", "is_primary")

history.register_reasons({"ended": _l("Partnership ended")})


# --- Partners and their contacts --------------------------------------------------------------------------


@dataclass
class ContactChange:
    """One contact row from the partner form: `pk` None for a new person, `delete` to remove one. `version` is
    the contact's version the form was opened with (None: overwrite knowingly, as the demo seed does)."""

    pk: int | None = None
    delete: bool = False
    values: dict[str, Any] = field(default_factory=dict)
    version: int | None = None


def _apply_partner_values(partner: Partner, values: dict[str, Any]) -> None:
    unknown = set(values) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"not partner fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(partner, name, value)


def _save_contacts(*, actor: User | None, partner: Partner, contacts: Sequence[ContactChange]) -> None:
    existing = {contact.pk: contact for contact in partner.contacts.all()}
    # A posted id that is not this partner's contact (another partner's, another locality's) is refused.
    foreign = [change.pk for change in contacts if change.pk is not None and change.pk not in existing]
    if foreign:
        raise ValidationError(_("A contact person does not belong to this partner."))
    kept = []
    for change in contacts:
        contact = existing[change.pk] if change.pk is not None else ContactPerson(partner=partner)
        check_and_bump(contact, expected_version=change.version)
        if change.delete:
            if contact.pk:
                history.delete(contact, actor=actor, reason="deleted")
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
        history.save(contact, actor=actor, reason="edited" if contact.pk else "created")


@transaction.atomic
def partner_create(
    *, actor: User | None, locality: Locality, values: dict[str, Any], contacts: Sequence[ContactChange] = ()
) -> Partner:
    require_scope(actor, locality)
    return _save_partner(actor=actor, partner=Partner(locality=locality), values=values, contacts=contacts)


@transaction.atomic
def partner_update(
    *,
    actor: User | None,
    partner: Partner,
    values: dict[str, Any],
    contacts: Sequence[ContactChange] = (),
    expected_version: int | None = None,
) -> Partner:
    """Save the form's values over `partner`. `expected_version` is the version the form was opened with: when
    someone saved the partner since, `kaikukeskus.locking.StaleVersionError` is raised and nothing is written.
    None overwrites knowingly (the demo seed)."""
    require_scope(actor, partner.locality)
    check_and_bump(partner, expected_version=expected_version)
    return _save_partner(actor=actor, partner=partner, values=values, contacts=contacts)


def _save_partner(
    *, actor: User | None, partner: Partner, values: dict[str, Any], contacts: Sequence[ContactChange]
) -> Partner:
    _apply_partner_values(partner, values)
    history.save(partner, actor=actor, reason="edited" if partner.pk else "created")
    _save_contacts(actor=actor, partner=partner, contacts=contacts)
    return partner


@transaction.atomic
def partner_end(*, actor: User | None, partner: Partner, left_on: datetime.date | None = None) -> Partner:
    """End a partnership on `left_on` (today by default). The row and its history stay: past counts hold."""
    require_scope(actor, partner.locality)
    if partner.left_on is not None:
        raise ValidationError({"left_on": _("This partnership has already ended.")})
    partner.left_on = left_on or timezone.localdate()
    partner.full_clean()
    check_and_bump(partner, expected_version=partner.version)
    history.save(partner, actor=actor, reason="ended", clean=False, update_fields=["left_on", "updated_at", "version"])
    return partner


# --- Import ---------------------------------------------------------------------------------------------


@transaction.atomic
def partner_import_create(*, actor: User | None, locality: Locality, file_name: str, content: bytes) -> PartnerImport:
    """Read an upload and store its cells and preview for this user and locality. Changes no partner.
    Raises `imports.SpreadsheetError` when the file as a whole cannot be read."""
    require_scope(actor, locality)
    sheet = imports.parse_upload(name=file_name, content=content)
    plan = imports.partner_import_plan(locality=locality, header=sheet.header, rows=sheet.rows)
    plan.ignored_columns = sheet.ignored_columns
    upload = PartnerImport(
        locality=locality,
        created_by=actor,
        file_name=file_name[:200],
        sha256=sheet.sha256,
        header=sheet.header,
        cells=[[line, cells] for line, cells in sheet.rows],
        plan=plan.as_dict(),
        plan_sha256=plan.sha256,
    )
    upload.full_clean()
    upload.save()
    return upload


class ImportRefusedError(Exception):
    """The upload cannot be applied: `reason` is one of REASONS (already applied, expired, rows no longer
    valid, partners changed since the preview). `plan` (when given) is the fresh preview to show."""

    APPLIED, EXPIRED, INVALID, CHANGED = "applied", "expired", "invalid", "changed"

    def __init__(self, reason: str, plan: imports.ImportPlan | None = None):
        super().__init__(self.message(reason))
        self.reason = reason
        self.plan = plan

    @classmethod
    def message(cls, reason: str) -> str:
        """The refusal in the current language, for the preview page and the import's job page alike."""
        return {
            cls.APPLIED: _("This file has already been imported."),
            cls.EXPIRED: _("The preview has expired. Upload the file again."),
            cls.INVALID: _("Some rows are no longer valid: nothing was imported."),
            cls.CHANGED: _(
                "The partners have changed since the preview: nothing was imported. Check the updated preview "
                "and confirm again if it is right."
            ),
        }[reason]


def partner_import_check(*, actor: User | None, upload: PartnerImport, sha256: str) -> None:
    """Whether `actor` may confirm `upload` as previewed with `sha256` now: `PermissionDenied` (not theirs, or
    another file's hash) or `ImportRefusedError` (already applied, expired). Checked again when it is applied."""
    require_scope(actor, upload.locality)
    if actor is None or upload.created_by_id != actor.pk or sha256 != upload.sha256:
        raise PermissionDenied(_("This preview is not yours."))
    if upload.status != PartnerImport.Status.PREVIEWED:
        raise ImportRefusedError(ImportRefusedError.APPLIED)
    if upload.is_expired:
        raise ImportRefusedError(ImportRefusedError.EXPIRED)


def partner_import_apply(*, actor: User | None, upload: PartnerImport, sha256: str) -> dict[str, int]:
    """Apply a previewed upload: all rows or none, and only as the preview showed it. The plan is made again
    against the partners as they are now: when any row's outcome, or any partner or contact it would
    overwrite, differs from the preview (someone edited a partner, or confirmed another file that created
    the same partner), nothing is written and the fresh preview is stored for the person to check."""
    with transaction.atomic():
        outcome = _import_apply(actor=actor, upload=upload, sha256=sha256)
    # A refusal with a fresh preview is returned from the transaction, not raised in it, so that the fresh
    # preview is stored for the person to check.
    if isinstance(outcome, ImportRefusedError):
        raise outcome
    return outcome


def _import_apply(*, actor: User | None, upload: PartnerImport, sha256: str) -> "dict[str, int] | ImportRefusedError":
    # Locked, so that a confirmation sent twice (two clicks, two jobs) applies the file once.
    upload = PartnerImport.objects.select_for_update().select_related("locality").get(pk=upload.pk)
    partner_import_check(actor=actor, upload=upload, sha256=sha256)
    # Lock the locality's partners and contacts so that no confirmation or form save interleaves with this
    # one (PostgreSQL; SQLite locks the whole database on write anyway). A form save waiting on the lock then
    # finds a new version and reports a conflict.
    list(Partner.objects.select_for_update().filter(locality=upload.locality).values_list("pk", flat=True))
    list(
        ContactPerson.objects.select_for_update(of=("self",))
        .filter(partner__locality=upload.locality)
        .values_list("pk", flat=True)
    )
    plan = imports.partner_import_plan(locality=upload.locality, header=upload.header, rows=upload.cells)
    plan.ignored_columns = upload.plan.get("ignored_columns", [])
    if plan.has_errors or plan.sha256 != upload.plan_sha256:
        upload.plan, upload.plan_sha256 = plan.as_dict(), plan.sha256
        upload.save(update_fields=["plan", "plan_sha256"])
        reason = ImportRefusedError.INVALID if plan.has_errors else ImportRefusedError.CHANGED
        return ImportRefusedError(reason, plan)

    now = timezone.now()
    # A planned row without errors carries its partner (RowPlan.partner is None only on a refused row).
    partners = [(row, row.partner) for row in plan.rows if row.partner is not None]
    new_partners = [partner for row, partner in partners if row.status == imports.NEW]
    changed_partners = [partner for row, partner in partners if row.status == imports.UPDATE and row.partner_fields]
    history.bulk_create(new_partners, Partner, actor=actor, reason="imported", batch_size=500, default_date=now)
    if changed_partners:
        for partner in changed_partners:
            partner.updated_at = now
        fields = sorted(
            {f for row in plan.rows if row.status == imports.UPDATE for f in row.partner_fields}
            | {"updated_at", *bump_versions(changed_partners)}
        )
        history.bulk_update(
            changed_partners, Partner, fields, actor=actor, reason="imported", batch_size=500, default_date=now
        )
    contacts = [row.contact for row in plan.rows if row.contact is not None]
    new_contacts = [contact for contact in contacts if contact.pk is None]
    changed_contacts = [contact for contact in contacts if contact.pk is not None]
    for contact in new_contacts:
        contact.partner = contact.partner  # picks up the pk the bulk insert gave the new partner
    history.bulk_create(new_contacts, ContactPerson, actor=actor, reason="imported", batch_size=500, default_date=now)
    if changed_contacts:
        history.bulk_update(
            changed_contacts,
            ContactPerson,
            ["name", "title", "email", "phone", *bump_versions(changed_contacts)],
            actor=actor,
            reason="imported",
            batch_size=500,
            default_date=now,
        )
    public_cache.data_changed()
    upload.status = PartnerImport.Status.APPLIED
    upload.applied_at = now
    upload.plan = plan.as_dict()
    upload.save(update_fields=["status", "applied_at", "plan"])
    return plan.counts


@transaction.atomic
def partner_imports_purge(*, older_than: datetime.timedelta = datetime.timedelta(days=7)) -> int:
    """Drop stored uploads (they hold contact persons' details) once they are of no more use."""
    deleted, _detail = PartnerImport.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


@transaction.atomic
def contact_save(*, actor: User | None, contact: ContactPerson, expected_version: int | None = None) -> ContactPerson:
    """Save a contact person whose fields a trusted form (the admin's) has already set. `StaleVersionError` when
    the row is no longer at `expected_version` (the contact's own admin page; the partner page's inline rows
    pass None); the version is bumped, so that a form opened before this save reports a conflict."""
    require_scope(actor, contact.partner.locality)
    contact.full_clean()
    check_and_bump(contact, expected_version=expected_version)
    history.save(contact, actor=actor, reason="edited", clean=False)
    return contact


@transaction.atomic
def contact_delete(*, actor: User | None, contact: ContactPerson) -> None:
    """Remove a contact person (the admin's inline rows and list); the history keeps who removed them."""
    require_scope(actor, contact.partner.locality)
    history.delete(contact, actor=actor, reason="deleted")


@transaction.atomic
def partner_delete(*, actor: User | None, partner: Partner) -> None:
    """Remove a partner added by mistake, with its contact persons; the history keeps each with who removed it.
    A partner that a report's figures name is refused (the report would lose its rows): it is ended instead."""
    require_scope(actor, partner.locality)
    if partner.venue_figures.exists() or partner.issuer_figures.exists():
        raise ValidationError(
            _("%(partner)s appears in reports and cannot be deleted. End the partnership instead.")
            % {"partner": partner}
        )
    for contact in partner.contacts.all():
        history.delete(contact, actor=actor, reason="deleted")
    history.delete(partner, actor=actor, reason="deleted")


@transaction.atomic
def partner_save(*, actor: User | None, partner: Partner, expected_version: int | None = None) -> Partner:
    """Save a partner whose fields a trusted form (the admin's) has already set. `StaleVersionError` when the row
    is no longer at `expected_version` (the version the admin's form was opened with); the version is bumped, so
    that a portal form opened before this save reports a conflict instead of undoing it."""
    require_scope(actor, partner.locality)
    partner.full_clean()
    check_and_bump(partner, expected_version=expected_version)
    history.save(partner, actor=actor, reason="edited", clean=False)
    return partner
