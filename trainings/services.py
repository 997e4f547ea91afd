"""Writes for trainings. Every state change is a function here: keyword-only, one transaction, `actor=` for
checks and history; e-mails are queued in the outbox (kaikukeskus/mail.py) in the same transaction.

Capacity holds under simultaneous sign-ups because every write that gives or frees a place locks the training's
row first (`_locked`): on PostgreSQL the second sign-up waits for the first to commit and then counts its seat.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history, ratelimit
from kaikukeskus.locking import check_and_bump
from kaikukeskus.models import User
from localities.models import Locality
from localities.permissions import acts_as_national_staff, localities_for, require_staff
from trainings import emails, links
from trainings.models import Registration, Training


def _locked(training: Training) -> Training:
    return Training.objects.select_for_update().get(pk=training.pk)


def _signed_in(actor: User | None) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


history.register_reasons(
    {
        "registered": _l("Registered"),
        "cancelled": _l("Cancelled"),
        "promoted from the waitlist": _l("Promoted from the waitlist"),
        "attendance": _l("Attendance"),
    }
)


def locality_choices(*, actor: User | None):
    """The localities a registrant may name: a coordinator's own (and every public one), anybody else the
    public ones; prospects and other non-public localities never appear to a visitor."""
    public = Locality.objects.public()
    if _signed_in(actor):
        return (public | localities_for(actor)).distinct()
    return public


# --- Registration -----------------------------------------------------------------------------------------


def registration_throttle(
    *, actor: User | None, training: Training, client: str, email: str, submission_key: str = ""
) -> None:
    """Count a visitor's registration against the limits per client address and per e-mail address
    (`TRAININGS_REGISTRATIONS_PER_IP`, `TRAININGS_REGISTRATIONS_PER_EMAIL`), before `registration_create`: over
    either, a ValidationError and nothing is saved or sent, so that a bot can neither fill a training's places
    with made-up addresses nor have the portal e-mail strangers. `client` is `ratelimit.client_key(request)`.
    A logged-in user registers only their own address, once per training: not limited. The same form sent again
    (a double click) changes nothing and is not counted. While the cache fails, nothing is limited."""
    if _signed_in(actor):
        return
    if submission_key and training.registrations.filter(submission_key=submission_key).exists():
        return
    if ratelimit.hit(
        "training-registration",
        {
            "ip": (client, ratelimit.Rate(*settings.TRAININGS_REGISTRATIONS_PER_IP)),
            "email": (email.strip().lower(), ratelimit.Rate(*settings.TRAININGS_REGISTRATIONS_PER_EMAIL)),
        },
    ):
        raise ValidationError(
            _(
                "Many registrations have been sent from this network or with this e-mail address in a short time. "
                "Please try again later."
            ),
            code="rate_limited",
        )


@transaction.atomic
def registration_create(
    *,
    actor: User | None,
    training: Training,
    name: str,
    email: str,
    organisation: str = "",
    locality: Locality | None = None,
    language: str = "fi",
    accessibility_needs: str = "",
    dietary_needs: str = "",
    submission_key: str = "",
) -> Registration:
    """Sign up for a training: a place while there is one, else the waitlist. `actor` is the logged-in user (the
    registration is theirs, with their e-mail address) or an anonymous visitor. The same form sent twice
    (`submission_key`) returns the first registration and sends nothing again."""
    training = _locked(training)
    if submission_key:
        earlier = training.registrations.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    if not training.is_registration_open:
        raise ValidationError(_("Registration for this training is not open."), code="closed")
    user = actor if _signed_in(actor) else None
    email = (user.email if user else email).strip().lower()
    if training.registrations.active().for_email(email).exists():
        raise ValidationError(
            {
                "email": _(
                    "%(email)s is already registered for this training. The confirmation e-mail has a link for "
                    "checking or cancelling the registration."
                )
                % {"email": email}
            },
            code="duplicate",
        )
    if locality is not None and not locality_choices(actor=actor).filter(pk=locality.pk).exists():
        raise ValidationError({"locality": _("Choose a locality from the list.")})
    seats_taken = training.registrations.holding_seats().count()
    full = training.capacity is not None and seats_taken >= training.capacity
    now = timezone.now()
    registration = Registration(
        training=training,
        user=user,
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        locality=locality,
        language=language,
        accessibility_needs=accessibility_needs.strip(),
        dietary_needs=dietary_needs.strip(),
        submission_key=submission_key,
        status=Registration.Status.WAITLISTED if full else Registration.Status.CONFIRMED,
        created_at=now,
        status_changed_at=now,
    )
    history.save(registration, actor=actor, reason="registered")
    emails.send_registration_email(registration, emails.WAITLISTED if full else emails.CONFIRMED)
    return registration


def _may_cancel(*, actor: User | None, registration: Registration, token: str | None) -> bool:
    if token is not None:
        found = links.registration_from_token(token, queryset=Registration.objects.all())
        return found is not None and found.pk == registration.pk
    return (
        actor is not None and _signed_in(actor) and (registration.user_id == actor.pk or acts_as_national_staff(actor))
    )


@transaction.atomic
def registration_cancel(*, actor: User | None, registration: Registration, token: str | None = None) -> Registration:
    """Cancel a registration: by its registrant (logged in, or holding the signed link) or by staff. A place it
    held goes to the first on the waitlist, who is told. Cancelling again changes nothing."""
    if not _may_cancel(actor=actor, registration=registration, token=token):
        raise PermissionDenied(_("You cannot cancel this registration."))
    training = _locked(registration.training)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.training = training
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if not registration.is_cancellable:
        raise ValidationError(_("This registration can no longer be cancelled: the training has started."))
    held_seat = registration.holds_seat
    registration.status = Registration.Status.CANCELLED
    registration.status_changed_at = timezone.now()
    history.save(registration, actor=actor, reason="cancelled")
    emails.send_registration_email(registration, emails.CANCELLED)
    if held_seat:
        _promote_from_waitlist(training, actor=actor)
    return registration


def _promote_from_waitlist(training: Training, *, actor: User | None) -> list[Registration]:
    """Fill free places from the waitlist, first come first served (the training's row is locked)."""
    if training.is_cancelled or training.has_started:
        return []
    waitlist = training.registrations.waitlist().select_for_update()
    if training.capacity is not None:
        free = training.capacity - training.registrations.holding_seats().count()
        waitlist = waitlist[: max(free, 0)]
    promoted = list(waitlist)
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.status_changed_at = timezone.now()
        history.save(registration, actor=actor, reason="promoted from the waitlist")
        emails.send_registration_email(registration, emails.PROMOTED)
    return promoted


# --- Trainings (staff) ------------------------------------------------------------------------------------


@transaction.atomic
def training_save(*, actor: User | None, training: Training, expected_version: int | None = None) -> Training:
    """Create or change a training. More places fill from the waitlist; setting the status to cancelled is
    `training_cancel` (everyone is told); a cancelled training stays cancelled. `expected_version` is the version
    the form was opened with: when someone saved the training since, `StaleVersionError` and nothing is written
    (None overwrites knowingly)."""
    require_staff(actor)
    before = Training.objects.select_for_update().filter(pk=training.pk).first() if training.pk else None
    check_and_bump(training, expected_version=expected_version)
    if before is not None and before.is_cancelled and training.status != Training.Status.CANCELLED:
        raise ValidationError({"status": _("A cancelled training cannot be published again. Create a new one.")})
    becomes_cancelled = training.status == Training.Status.CANCELLED and (before is None or not before.is_cancelled)
    if becomes_cancelled:
        training.status = before.status if before is not None else Training.Status.DRAFT
    history.save(training, actor=actor, reason="edited" if before is not None else "created")
    if becomes_cancelled:
        return training_cancel(actor=actor, training=training)
    _promote_from_waitlist(_locked(training), actor=actor)
    return training


@transaction.atomic
def training_cancel(*, actor: User | None, training: Training) -> Training:
    """Cancel a training: everyone with a place or on the waitlist is told, with a calendar file that takes the
    event out of their calendar. Cancelling again changes nothing."""
    require_staff(actor)
    training = _locked(training)
    if training.is_cancelled:
        return training
    training.status = Training.Status.CANCELLED
    training.cancelled_at = timezone.now()
    history.save(training, actor=actor, reason="cancelled")
    for registration in training.registrations.filter(
        status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
    ):
        emails.send_registration_email(registration, emails.TRAINING_CANCELLED)
    return training


# --- Attendance (staff) -----------------------------------------------------------------------------------


ATTENDANCE_CHOICES = (Registration.Status.ATTENDED, Registration.Status.NO_SHOW, Registration.Status.CONFIRMED)


@transaction.atomic
def attendance_mark(*, actor: User | None, training: Training, registration_ids: Iterable[int], status: str) -> int:
    """Mark registrants of one training attended or no-show (or back to confirmed, to undo a slip), once the
    training has started. Only registrations with a place can be marked. Returns how many changed."""
    require_staff(actor)
    if status not in ATTENDANCE_CHOICES:
        raise ValidationError(_("Choose attended or did not attend."))
    training = _locked(training)
    if not training.has_started:
        raise ValidationError(_("Attendance can be marked once the training has started."))
    rows = list(training.registrations.holding_seats().filter(pk__in=list(registration_ids)).select_for_update())
    changed = 0
    for registration in rows:
        if registration.status == status:
            continue
        registration.status = status
        registration.status_changed_at = timezone.now()
        registration.attendance_marked_by = actor
        history.save(registration, actor=actor, reason="attendance")
        changed += 1
    return changed


# --- Periodic jobs (no person acts) ----------------------------------------------------------------------


@transaction.atomic
def reminders_send(*, on: datetime.date | None = None) -> int:
    """The day before a training, remind everyone with a place, once (`reminded_at`): safe to run twice."""
    tomorrow = (on or timezone.localdate()) + datetime.timedelta(days=1)
    registrations = list(
        Registration.objects.select_for_update()
        .filter(
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
            training__status=Training.Status.PUBLISHED,
            training__starts_at__date=tomorrow,
        )
        .select_related("training")
    )
    now = timezone.now()
    for registration in registrations:
        registration.reminded_at = now
        registration.save(update_fields=["reminded_at"])
        emails.send_registration_email(registration, emails.REMINDER)
    return len(registrations)


def _scrub_history(ids: list[int], **blank) -> None:
    # The history keeps every earlier state of a row: erased data has to go from there too. No person acts here,
    # so the rows are updated in place instead of adding history of the erasure.
    Registration.history.filter(id__in=ids).update(**blank)


@transaction.atomic
def registration_needs_erase(*, now: datetime.datetime | None = None) -> int:
    """Erase accessibility and dietary needs `TRAININGS_NEEDS_ERASED_AFTER_DAYS` after the training ended."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.TRAININGS_NEEDS_ERASED_AFTER_DAYS)
    ids = list(
        Registration.objects.filter(training__ends_at__lt=cutoff, needs_erased_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    blank = {"accessibility_needs": "", "dietary_needs": ""}
    Registration.objects.filter(pk__in=ids).update(needs_erased_at=now, **blank)
    _scrub_history(ids, **blank)
    return len(ids)


@transaction.atomic
def registrations_anonymise(*, now: datetime.datetime | None = None) -> int:
    """Anonymise visitors' registrations (no account) `TRAININGS_VISITOR_RETENTION_DAYS` after the training
    ended: name, e-mail, organisation and needs go; the row stays for the training's figures. A coordinator's
    registration is kept with their account, as the record of the trainings they have had."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.TRAININGS_VISITOR_RETENTION_DAYS)
    ids = list(
        Registration.objects.filter(
            user__isnull=True, training__ends_at__lt=cutoff, anonymised_at__isnull=True
        ).values_list("pk", flat=True)
    )
    blank = {"name": "", "email": "", "organisation": "", "accessibility_needs": "", "dietary_needs": ""}
    Registration.objects.filter(pk__in=ids).update(anonymised_at=now, needs_erased_at=now, **blank)
    _scrub_history(ids, **blank)
    return len(ids)
