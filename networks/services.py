"""Writes for networks. Every state change is a function here: keyword-only, one transaction, `actor=` checked
against the locality scope and recorded in history as the one who changed the row."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history, public_cache
from kaikukeskus.locking import bump_versions, check_and_bump
from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.models import User
from localities import selectors as locality_selectors
from localities.models import Locality
from localities.permissions import acts_as_national_staff, require_scope, require_staff
from networks import imports
from networks.models import (
    ACCESSIBILITY_KEYS,
    PARTNER_FIELDS,
    Approval,
    ChecklistVersion,
    ContactPerson,
    Partner,
    PartnerImport,
    PartnerRole,
    SelfAssessment,
    SelfAssessmentItem,
    VenueAccessibility,
)

CONTACT_FIELDS = ("name", "title", "email", "phone", "is_primary")

history.register_reasons(
    {
        "ended": _l("Partnership ended"),
        "accessibility.by_link": _l("Edited by the venue through its link"),
        "issuer.approved": _l("Issuer approved"),
        "issuer.rejected": _l("Issuer rejected"),
    }
)


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
    partner = Partner(locality=locality)
    _apply_partner_values(partner, values)
    _propose_new_issuer(actor=actor, partner=partner, was_issuer=False)
    return _save_partner(actor=actor, partner=partner, values=values, contacts=contacts)


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
    was_issuer = partner.role == PartnerRole.ISSUER
    _apply_partner_values(partner, values)
    _propose_new_issuer(actor=actor, partner=partner, was_issuer=was_issuer)
    return _save_partner(actor=actor, partner=partner, values=values, contacts=contacts)


def _propose_new_issuer(*, actor: User | None, partner: Partner, was_issuer: bool) -> None:
    """A new issuer (or a venue turned issuer) that a coordinator adds is proposed until national staff approve
    it; one that staff add themselves is approved by adding it."""
    if partner.role == PartnerRole.ISSUER and not was_issuer and not acts_as_national_staff(actor):
        partner.approval = Approval.PROPOSED
    elif partner.role == PartnerRole.VENUE:
        partner.approval = Approval.APPROVED


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
    for partner in new_partners:
        _propose_new_issuer(actor=actor, partner=partner, was_issuer=False)
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


# --- Accessibility ------------------------------------------------------------------------------------------

ACCESSIBILITY_FIELDS = (
    *ACCESSIBILITY_KEYS,
    "booking_fi",
    "booking_sv",
    "booking_en",
    "notes_fi",
    "notes_sv",
    "notes_en",
    "covers",
    "ceiling_per_visit",
    "ceiling_per_year",
    "companion_free",
    "checked_on",
)
COMMITMENT_FIELDS = ("covers", "ceiling_per_visit", "ceiling_per_year", "companion_free")
# A link sent to a venue's contact person opens that venue's form for this long.
VENUE_LINK_MAX_AGE = datetime.timedelta(days=30)
VENUE_LINK_SALT = "networks.venue-link"


class VenueLinkError(Exception):
    """A venue link that is forged, expired, or whose venue no longer takes part (shown as one message)."""


def _require_venue(partner: Partner) -> None:
    if partner.role != PartnerRole.VENUE:
        raise ValidationError(_("Only venues describe their accessibility."))


def _save_accessibility(
    *, actor: User | None, partner: Partner, values: dict[str, Any], expected_version: int | None, reason: str
) -> VenueAccessibility:
    _require_venue(partner)
    unknown = set(values) - set(ACCESSIBILITY_FIELDS)
    if unknown:
        raise ValueError(f"not accessibility fields: {sorted(unknown)}")
    accessibility = VenueAccessibility.objects.filter(partner=partner).first()
    is_new = accessibility is None
    if accessibility is None:
        accessibility = VenueAccessibility(partner=partner)
    else:
        check_and_bump(accessibility, expected_version=expected_version)
    for name, value in values.items():
        setattr(accessibility, name, value)
    if values.get("checked_on") is None:
        # Saving the answers is checking them, unless the person says when they were checked.
        accessibility.checked_on = timezone.localdate()
    if is_new and reason == "edited":
        reason = "created"
    history.save(accessibility, actor=actor, reason=reason, claim_version=not is_new)
    return accessibility


@transaction.atomic
def accessibility_update(
    *, actor: User | None, partner: Partner, values: dict[str, Any], expected_version: int | None = None
) -> VenueAccessibility:
    """A coordinator (or staff) saves a venue's accessibility answers. `expected_version`: the version of the
    answers the form was opened with (`StaleVersionError` when someone, the venue itself through its link
    included, saved since). An empty `checked_on` means today."""
    require_scope(actor, partner.locality)
    return _save_accessibility(
        actor=actor, partner=partner, values=values, expected_version=expected_version, reason="edited"
    )


def venue_link_token(*, partner: Partner, contact: ContactPerson | None = None) -> str:
    """A signed token that opens this one venue's own forms (no account needed) for `VENUE_LINK_MAX_AGE`."""
    value = {"venue": partner.pk, "contact": contact.pk if contact is not None else None}
    return signing.TimestampSigner(salt=VENUE_LINK_SALT).sign_object(value, compress=False)


def venue_from_link(token: str) -> Partner:
    """The venue a link opens: `VenueLinkError` when the token is forged or altered, older than
    `VENUE_LINK_MAX_AGE`, or its venue has left the network or is no longer a venue."""
    try:
        value = signing.TimestampSigner(salt=VENUE_LINK_SALT).unsign_object(
            token, max_age=VENUE_LINK_MAX_AGE.total_seconds()
        )
        pk = int(value["venue"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise VenueLinkError from error
    partner = Partner.objects.select_related("locality").filter(pk=pk, role=PartnerRole.VENUE).first()
    if partner is None or partner.has_left:
        raise VenueLinkError
    return partner


@transaction.atomic
def accessibility_update_by_link(
    *, token: str, values: dict[str, Any], expected_version: int | None = None
) -> VenueAccessibility:
    """The venue's contact person saves the answers through the link sent to them: the token (checked here, not
    trusted from the caller) reaches its own venue only."""
    partner = venue_from_link(token)
    return _save_accessibility(
        actor=None, partner=partner, values=values, expected_version=expected_version, reason="accessibility.by_link"
    )


@transaction.atomic
def venue_link_send(*, actor: User | None, partner: Partner, contact: ContactPerson, language: str) -> str:
    """E-mail the venue's contact person a link to the venue's own accessibility form, in `language`. Returns
    the link."""
    require_scope(actor, partner.locality)
    _require_venue(partner)
    if contact.partner_id != partner.pk:
        raise ValidationError(_("A contact person does not belong to this partner."))
    if not contact.email:
        raise ValidationError(_("This contact person has no e-mail address."))
    link = site_url(
        "networks:venue-link-accessibility",
        language=language,
        kwargs={"token": venue_link_token(partner=partner, contact=contact)},
    )
    send_later(
        to=contact.email,
        template="networks/email/venue_link.txt",
        context={
            "partner": partner,
            "contact": contact,
            "link": link,
            "locality": partner.locality,
            "days": VENUE_LINK_MAX_AGE.days,
            "sender": actor,
        },
        language=language,
    )
    return link


# --- New issuers, discussed first ----------------------------------------------------------------------------


@transaction.atomic
def issuer_decide(*, actor: User | None, partner: Partner, approve: bool, reason: str = "") -> Partner:
    """National staff approve or reject a proposed issuer, with a reason (required to reject). The locality's
    coordinators are told in their own language. A decision is made once: a second one is refused, naming it."""
    require_staff(actor)
    partner = Partner.objects.select_for_update().select_related("locality").get(pk=partner.pk)
    if partner.role != PartnerRole.ISSUER or partner.approval != Approval.PROPOSED:
        record = partner.history.filter(history_change_reason__startswith="issuer.").select_related("history_user")
        decided = record.first()
        who = decided.history_user if decided is not None and decided.history_user else None
        raise ValidationError(
            _("This issuer has already been decided on (%(decision)s, by %(who)s).")
            % {"decision": partner.get_approval_display(), "who": who or _("Kaikukeskus")}
        )
    reason = " ".join(reason.split())
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the issuer is not approved: the coordinators are told.")})
    partner.approval = Approval.APPROVED if approve else Approval.REJECTED
    partner.approval_reason = reason
    key = "issuer.approved" if approve else "issuer.rejected"
    history.save(partner, actor=actor, reason=history.with_detail(key, reason))
    public_cache.data_changed()
    for user in locality_selectors.coordinators_to_tell(locality=partner.locality):
        language = language_of(user)
        send_later(
            to=user.email,
            template="networks/email/issuer_decided.txt",
            context={
                "partner": partner,
                "approved": approve,
                "reason": reason,
                "locality": partner.locality,
                "link": site_url("networks:partner-list", language=language, kwargs={"slug": partner.locality.slug}),
            },
            language=language,
        )
    return partner


# --- Self-assessment -------------------------------------------------------------------------------------------


@dataclass
class SelfAssessmentValue:
    answer: str
    notes: str = ""


def _save_self_assessment(
    *,
    actor: User | None,
    partner: Partner,
    values: dict[int, SelfAssessmentValue],
    expected_version: int | None,
    reason: str,
) -> SelfAssessment:
    _require_venue(partner)
    checklist = ChecklistVersion.current()
    if checklist is None:
        raise ValidationError(_("There is no self-assessment checklist yet."))
    questions = {question.pk: question for question in checklist.questions.all()}
    if set(values) - set(questions):
        raise ValidationError(_("A question is not in the current checklist."))
    assessment = SelfAssessment.objects.filter(partner=partner, checklist=checklist).first()
    if assessment is None:
        assessment = SelfAssessment(partner=partner, checklist=checklist)
        history.save(assessment, actor=actor, reason="created" if reason == "edited" else reason)
    else:
        history.save(assessment, actor=actor, reason=reason, expected_version=expected_version)
    existing = {item.question_id: item for item in assessment.items.all()}
    for pk, value in values.items():
        item = existing.get(pk)
        if not value.answer:
            if item is not None:
                history.delete(item, actor=actor, reason=reason)
            continue
        if item is None:
            item = SelfAssessmentItem(assessment=assessment, question=questions[pk])
        elif item.answer == value.answer and item.notes == value.notes:
            continue
        item.answer, item.notes = value.answer, value.notes
        history.save(item, actor=actor, reason=reason)
    return assessment


@transaction.atomic
def self_assessment_update(
    *,
    actor: User | None,
    partner: Partner,
    values: dict[int, SelfAssessmentValue],
    expected_version: int | None = None,
) -> SelfAssessment:
    """A coordinator saves a venue's answers to the current checklist (question id → answer and notes; an empty
    answer removes it). `StaleVersionError` when someone saved the venue's answers since the form was opened."""
    require_scope(actor, partner.locality)
    return _save_self_assessment(
        actor=actor, partner=partner, values=values, expected_version=expected_version, reason="edited"
    )


@transaction.atomic
def self_assessment_update_by_link(
    *, token: str, values: dict[int, SelfAssessmentValue], expected_version: int | None = None
) -> SelfAssessment:
    """The venue's contact saves its own answers through the link (the token reaches its own venue only)."""
    partner = venue_from_link(token)
    return _save_self_assessment(
        actor=None,
        partner=partner,
        values=values,
        expected_version=expected_version,
        reason="accessibility.by_link",
    )
