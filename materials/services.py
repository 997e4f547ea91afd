"""Writes for materials. Every state change is a function here: keyword-only, one transaction, `actor=` for checks
and history, e-mail queued after commit."""

import datetime
from collections.abc import Sequence

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history, public_cache, uploads
from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.models import User
from localities.models import Coordinator
from localities.permissions import is_coordinator, require_staff
from materials import selectors
from materials.models import (
    Consultation,
    ConsultationComment,
    ConsultationPartner,
    Material,
    MaterialDownloadDay,
    MaterialFile,
    MaterialFollow,
    MaterialNewsSeen,
    MaterialVersion,
)

Status = MaterialVersion.Status
# Reloading the portal within this time is the same visit: the news panel keeps showing what it showed.
VISIT_GAP = datetime.timedelta(minutes=30)


history.register_reasons(
    {
        "uploaded": _l("Uploaded"),
        "superseded": _l("Superseded"),
        "published": _l("Published"),
        "withdrawn": _l("Withdrawn"),
        "opened": _l("Opened"),
        "commented": _l("Commented"),
        "accepted": _l("Accepted"),
        "answered": _l("Answered"),
    }
)


@transaction.atomic
def material_save(*, actor: User | None, material: Material, expected_version: int | None = None) -> Material:
    """Staff create or edit a material's descriptive fields (slug, titles, descriptions, kind, audience,
    visibility). `StaleVersionError` and nothing written when someone saved it after `expected_version`, the
    version the form was opened with (None overwrites knowingly)."""
    require_staff(actor)
    history.save(
        material, actor=actor, reason="created" if material.pk is None else "edited", expected_version=expected_version
    )
    return material


@transaction.atomic
def material_version_save(
    *, actor: User | None, version: MaterialVersion, expected_version: int | None = None
) -> MaterialVersion:
    """Staff create a draft version or edit its label and what changed. The status moves only through
    `material_version_publish` and `material_version_withdraw`. `StaleVersionError` as `material_save`."""
    require_staff(actor)
    if version.pk is None:
        version.status = Status.DRAFT
    history.save(
        version, actor=actor, reason="created" if version.pk is None else "edited", expected_version=expected_version
    )
    return version


class DuplicateFileError(ValidationError):
    def __init__(self, existing: MaterialFile):
        self.existing = existing
        super().__init__(
            {
                "file": _(
                    "This very file is already uploaded: version %(version)s, %(language)s (%(name)s). "
                    "Upload the updated file, or leave this language out: visitors are offered the older file."
                )
                % {
                    "version": existing.version.label,
                    "language": existing.get_language_display(),
                    "name": existing.original_name or existing.download_name,
                }
            },
            code="duplicate_file",
        )


def duplicate_of(*, material: Material, sha256: str, exclude_pk: int | None = None) -> MaterialFile | None:
    """A file of the same material with the same content, if one is uploaded already."""
    files = MaterialFile.objects.filter(version__material=material, sha256=sha256)
    if exclude_pk is not None:
        files = files.exclude(pk=exclude_pk)
    return files.select_related("version").first()


@transaction.atomic
def material_file_add(*, actor: User | None, version: MaterialVersion, language: str, upload) -> MaterialFile:
    """Staff upload a file of a version in one language. The upload is checked (format, size, content: see
    `kaikukeskus.uploads`) and a file that the material has already (same SHA-256) is refused with where it is.
    Files of a draft or the current version only: superseded and withdrawn versions are history."""
    require_staff(actor)
    if version.status not in (Status.DRAFT, Status.PUBLISHED):
        raise ValidationError(_("Files can be added to a draft or the current version only."), code="version_closed")
    material_file = MaterialFile(version=version, language=language, file=upload, uploaded_by=actor)
    uploads.validate_upload(upload)
    material_file.fill_from_upload(upload)
    existing = duplicate_of(material=version.material, sha256=material_file.sha256)
    if existing is not None:
        raise DuplicateFileError(existing)
    history.save(material_file, actor=actor, reason="uploaded")
    return material_file


@transaction.atomic
def material_file_remove(*, actor: User | None, material_file: MaterialFile) -> None:
    """Staff remove a file from a draft (a published file stays: people may have downloaded it)."""
    require_staff(actor)
    if material_file.version.status != Status.DRAFT:
        raise ValidationError(_("Only a draft's files can be removed."), code="version_closed")
    history.delete(material_file, actor=actor, reason="deleted")


class VersionStateError(ValidationError):
    pass


def _lock_material(version: MaterialVersion) -> MaterialVersion:
    """Lock the material's row (publishers and withdrawers of one material queue here), then read the version
    as it is now."""
    Material.objects.select_for_update().filter(pk=version.material_id).first()
    return MaterialVersion.objects.select_related("material", "published_by").get(pk=version.pk)


@transaction.atomic
def material_version_publish(
    *, actor: User | None, version: MaterialVersion, published_on: datetime.date | None = None
) -> MaterialVersion:
    """Staff publish a draft: the current version (if any) becomes superseded in the same transaction, so the
    material always has exactly one current version. Concurrent publishers of the same material queue on the
    material's row lock; the partial unique constraint refuses a second current version whatever happens. An
    open consultation on the draft closes. Followers are e-mailed after commit (Celery)."""
    require_staff(actor)
    version = _lock_material(version)
    if version.status != Status.DRAFT:
        raise VersionStateError(
            _("Version %(label)s is not a draft any more (%(status)s).")
            % {"label": version.label, "status": version.get_status_display()},
            code="not_draft",
        )
    if not version.files.exists():
        raise VersionStateError(_("Add at least one file before publishing."), code="no_files")
    if not version.changes_fi.strip():
        raise VersionStateError(
            {"changes_fi": _("Say what changed (in Finnish at least) before publishing.")}, code="no_changes"
        )
    for previous in MaterialVersion.objects.filter(material_id=version.material_id, status=Status.PUBLISHED):
        previous.status = Status.SUPERSEDED
        history.save(previous, actor=actor, reason="superseded")
    version.status = Status.PUBLISHED
    version.published_on = published_on or timezone.localdate()
    version.published_at = timezone.now()
    version.published_by = actor
    history.save(version, actor=actor, reason="published")
    Consultation.objects.filter(version=version, closed_at__isnull=True).update(closed_at=timezone.now())
    public_cache.data_changed()
    followers_notify(version=version)
    return version


@transaction.atomic
def material_version_withdraw(*, actor: User | None, version: MaterialVersion, reason: str) -> MaterialVersion:
    """Staff withdraw a published or superseded version: it disappears from the public pages. Nothing is restored
    in its place: withdrawing the current version leaves the material without one until staff publish another,
    so an older text never returns by surprise."""
    require_staff(actor)
    version = _lock_material(version)
    if version.status not in (Status.PUBLISHED, Status.SUPERSEDED):
        raise VersionStateError(_("Only a published version can be withdrawn."), code="not_published")
    if not reason.strip():
        raise ValidationError({"withdrawn_reason": _("Say why the version is withdrawn.")})
    version.status = Status.WITHDRAWN
    version.withdrawn_reason = reason.strip()
    history.save(version, actor=actor, reason="withdrawn")
    public_cache.data_changed()
    return version


def download_count(*, material_file: MaterialFile, on: datetime.date | None = None) -> None:
    """Count one download of the file for the day: a counter per file and day, nothing about who."""
    day = on or timezone.localdate()
    rows = MaterialDownloadDay.objects.filter(file=material_file, day=day)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            MaterialDownloadDay.objects.create(file=material_file, day=day, count=1)
    except IntegrityError:  # another request created the day's row first
        rows.update(count=F("count") + 1)


# --- Following --------------------------------------------------------------------------------------------


@transaction.atomic
def material_follow_set(*, actor: User | None, material: Material, following: bool) -> MaterialFollow:
    """A coordinator (or staff) follows a material they can see, or stops following it."""
    if actor is None or not (is_coordinator(user=actor) or actor.is_national_staff):
        raise ValidationError(_("Only coordinators and staff can follow materials."), code="not_allowed")
    material = selectors.material_for_user_or_404(user=actor, slug=material.slug)
    follow, _created = MaterialFollow.objects.update_or_create(
        user=actor, material=material, defaults={"following": following, "changed_at": timezone.now()}
    )
    return follow


def followers_notify(*, version: MaterialVersion) -> int:
    """E-mail each follower who may see the material about the published version, in their language. Runs once
    per version: the version remembers that it told them in the same transaction as the messages are queued in
    the outbox, so the news goes to each follower exactly once, or, with a rolled-back publication, to nobody."""
    with transaction.atomic():
        # The version's row only (`of`): joined with select_related, a plain FOR UPDATE would lock the material's
        # row too, which the next publisher holds while it supersedes this version: a deadlock.
        version = MaterialVersion.objects.select_for_update(of=("self",)).select_related("material").get(pk=version.pk)
        if version.followers_notified_at is not None or version.status != Status.PUBLISHED:
            return 0
        recipients = list(selectors.followers(material=version.material))
        for user in recipients:
            _send_version_email(user=user, version=version)
        # A mark, not a change anyone made: no history row on top of the publication's.
        MaterialVersion.objects.filter(pk=version.pk).update(followers_notified_at=timezone.now())
    return len(recipients)


def _send_version_email(*, user, version: MaterialVersion) -> None:
    language = language_of(user)
    link = site_url("materials:detail", language=language, kwargs={"slug": version.material.slug})
    send_later(
        to=user.email,
        template="materials/email/new_version.txt",
        context={"material": version.material, "version": version, "link": link, "unfollow_link": link},
        language=language,
    )


def news_visit(*, user) -> datetime.datetime | None:
    """The portal's front page was opened: returns since when to show news (the visit before this one), and
    records this visit. Reloads within `VISIT_GAP` count as the same visit. Two queries whether it is the first
    visit or not (the front page's query count does not depend on it); two tabs at once simply both record."""
    now = timezone.now()
    seen = MaterialNewsSeen.objects.filter(user=user).first()
    if seen is None:
        MaterialNewsSeen.objects.bulk_create([MaterialNewsSeen(user=user, last_visit_at=now)], ignore_conflicts=True)
        return None
    previous = seen.last_visit_at if now - seen.last_visit_at > VISIT_GAP else seen.previous_visit_at
    MaterialNewsSeen.objects.filter(pk=seen.pk).update(previous_visit_at=previous, last_visit_at=now)
    return previous


# --- Consultation -----------------------------------------------------------------------------------------

PARTNER_LINK_SALT = "materials.consultation.partner"


def partner_token(partner: ConsultationPartner) -> str:
    return signing.dumps({"p": partner.pk, "e": partner.email}, salt=PARTNER_LINK_SALT)


def partner_from_token(token: str) -> ConsultationPartner | None:
    """The partner a signed link names, while its consultation is open; None for a forged or stale link."""
    try:
        data = signing.loads(token, salt=PARTNER_LINK_SALT, max_age=datetime.timedelta(days=180))
    except signing.BadSignature:
        return None
    partner = (
        ConsultationPartner.objects.select_related("consultation__version__material")
        .filter(pk=data.get("p"), email=data.get("e"))
        .first()
    )
    return partner


def partner_link(partner: ConsultationPartner) -> str:
    return site_url(
        "materials:consultation-partner", language=partner.language, kwargs={"token": partner_token(partner)}
    )


@transaction.atomic
def consultation_open(
    *,
    actor: User | None,
    version: MaterialVersion,
    closes_on: datetime.date,
    introduction: str = "",
    partner_emails: Sequence[tuple[str, str, str]] = (),
) -> Consultation:
    """Staff open a draft for comments until `closes_on`. Coordinators are told on the portal and by e-mail;
    each named partner (e-mail, name, organisation) gets a signed link of their own."""
    require_staff(actor)
    version = _lock_material(version)
    if version.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be opened for comments."), code="not_draft")
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date cannot be in the past.")})
    if Consultation.objects.filter(version=version).exists():
        raise ValidationError(_("This draft has been opened for comments already."), code="already_open")
    consultation = Consultation(version=version, closes_on=closes_on, introduction=introduction, opened_by=actor)
    history.save(consultation, actor=actor, reason="opened")
    partners = []
    for email, name, organisation in partner_emails:
        partner = ConsultationPartner(
            consultation=consultation, email=email.lower(), name=name, organisation=organisation
        )
        partner.full_clean()
        partner.save()
        partners.append(partner)
    _send_consultation_emails(consultation=consultation, partners=partners)
    return consultation


@transaction.atomic
def consultation_save(*, actor: User | None, consultation: Consultation) -> Consultation:
    """Staff change an open round's closing date or introduction."""
    require_staff(actor)
    history.save(consultation, actor=actor, reason="edited")
    return consultation


def _send_consultation_emails(*, consultation: Consultation, partners: list[ConsultationPartner]) -> None:
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(
            is_active=True, wants_consultation_mail=True, pk__in=Coordinator.objects.active().values("user_id")
        )
        .distinct()
    )
    if consultation.version.material.visibility == "staff":
        users = users.none()
    for user in users:
        language = language_of(user)
        link = site_url("materials:consultation", language=language, kwargs={"pk": consultation.pk})
        _send_consultation_email(consultation=consultation, email=user.email, link=link, language=language)
    for partner in partners:
        _send_consultation_email(
            consultation=consultation, email=partner.email, link=partner_link(partner), language=partner.language
        )


def _send_consultation_email(*, consultation: Consultation, email: str, link: str, language: str) -> None:
    send_later(
        to=email,
        template="materials/email/consultation_open.txt",
        context={"consultation": consultation, "material": consultation.version.material, "link": link},
        language=language,
    )


def _check_open(consultation: Consultation) -> None:
    if not consultation.is_open:
        raise ValidationError(_("This consultation is closed."), code="closed")


@transaction.atomic
def consultation_comment_add(
    *,
    consultation: Consultation,
    section: str,
    body: str,
    actor: User | None = None,
    partner: ConsultationPartner | None = None,
) -> ConsultationComment:
    """A coordinator (with the actor's locality) or a named partner (by their signed link) comments on an open
    consultation."""
    consultation = Consultation.objects.select_related("version__material").get(pk=consultation.pk)
    _check_open(consultation)
    comment = ConsultationComment(consultation=consultation, section=section.strip(), body=body.strip())
    if partner is not None:
        if partner.consultation_id != consultation.pk:
            raise ValidationError(_("This link is not for this consultation."), code="wrong_consultation")
        comment.partner = partner
    else:
        if actor is None or not (is_coordinator(user=actor) or actor.is_national_staff):
            raise ValidationError(_("Only coordinators and invited partners can comment."), code="not_allowed")
        comment.author = actor
        membership = Coordinator.objects.active().filter(user=actor).select_related("locality").first()
        comment.locality = membership.locality if membership else None
    history.save(comment, actor=actor, reason="commented")
    return comment


@transaction.atomic
def consultation_comment_answer(
    *, actor: User | None, comment: ConsultationComment, status: str, reply: str = ""
) -> ConsultationComment:
    """Staff mark a comment accepted, declined or answered, with a reply."""
    require_staff(actor)
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    if status not in {
        ConsultationComment.Status.ACCEPTED,
        ConsultationComment.Status.DECLINED,
        ConsultationComment.Status.ANSWERED,
    }:
        raise ValidationError({"status": _("Choose accepted, declined or answered.")})
    if status == ConsultationComment.Status.ANSWERED and not reply.strip():
        raise ValidationError({"reply": _("Write the answer.")})
    comment.status = status
    comment.reply = reply.strip()
    comment.replied_by = actor
    comment.replied_at = timezone.now()
    history.save(comment, actor=actor, reason=status)
    return comment
