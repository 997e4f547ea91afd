"""Coordinators' memberships, the invitations that make them and coordinators' requests for further
localities."""

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history
from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.models import User
from localities.models import (
    AccessRequest,
    Coordinator,
    Invitation,
    Locality,
    Side,
)
from localities.permissions import require_staff


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str, *, language: str) -> str:
    return site_url("localities:invitation-accept", language=language, kwargs={"token": token})


@transaction.atomic
def invitation_create(
    *, actor: User | None, email: str, locality: Locality, side: str, language: str = "fi"
) -> tuple[Invitation, str]:
    """Staff invite a coordinator. Returns the invitation and the raw token (only its hash is stored); the
    e-mail with the single-use link leaves after commit, in the invitee's language."""
    require_staff(actor)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=User.objects.normalize_email(email).lower(),
        locality=locality,
        side=side,
        language=language,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    send_later(
        to=invitation.email,
        template="localities/email/invitation.txt",
        context={
            "invitation": invitation,
            "link": invitation_link(token, language=language),
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
        language=invitation.language,
    )
    return invitation, token


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation if the token is known, unused and not expired; else None (all three look alike)."""
    invitation = Invitation.objects.select_related("locality").filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str | None, user: User | None = None) -> User:
    """Accept an invitation: create the user (or use the logged-in user whose e-mail it was sent to), set the
    password, mark the e-mail verified and open the coordinator membership. Single use: the row is locked."""
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).select_related("locality").first()
    )
    if invitation is None or not invitation.is_usable:
        raise ValidationError(_("This invitation link is not valid any more. Ask Kaikukeskus for a new one."))
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None and user.has_usable_password():
            raise ValidationError(_("You already have an account. Log in first, then open the link again."))
        if user is None:
            user = User(email=invitation.email, preferred_language=invitation.language)
        try:
            validate_password(password or "", user)  # none given: refused as too short
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from error
        user.set_password(password)
        user.save()
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    coordinator_start(actor=user, user=user, locality=invitation.locality, side=invitation.side)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


history.register_reasons({"membership.ended": _l("Membership ended")})


def coordinator_start(*, actor: User | None, user: User, locality: Locality, side: str) -> Coordinator:
    """Open a membership unless one is open already (then its side is updated). `actor`: the user accepting
    their invitation, or the staff member approving their request."""
    coordinator = Coordinator.objects.filter(user=user, locality=locality, ended_on__isnull=True).first()
    if coordinator is None:
        coordinator = Coordinator(user=user, locality=locality, side=Side(side))
    coordinator.side = side
    history.save(coordinator, actor=actor, reason="edited" if coordinator.pk else "created")
    return coordinator


@transaction.atomic
def coordinator_save(*, actor, coordinator: Coordinator) -> Coordinator:
    """Staff add a membership or change one (its side, its dates) in the admin, on the locality's page or the
    membership's own."""
    require_staff(actor)
    history.save(coordinator, actor=actor, reason="edited" if coordinator.pk else "created")
    return coordinator


@transaction.atomic
def coordinator_end(
    *, actor: User | None, coordinator: Coordinator, ended_on: datetime.date | None = None
) -> Coordinator:
    """End a membership; the row stays for history."""
    require_staff(actor)
    coordinator.ended_on = ended_on or timezone.localdate()
    history.save(coordinator, actor=actor, reason="membership.ended", update_fields=["ended_on"])
    return coordinator


@transaction.atomic
def invitations_purge_expired(*, older_than_days: int = 30) -> int:
    """Forget unaccepted invitations (an e-mail address is personal data) a while after they expired."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _per_model = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def access_request_create(*, actor: User | None, locality: Locality, side: str, reason: str = "") -> AccessRequest:
    """A coordinator asks to coordinate a further locality. Staff see it in the administration."""
    if not Coordinator.objects.active().filter(user=actor).exists():
        raise PermissionDenied(_("Only coordinators can ask for access to a further locality."))
    if locality.status not in Locality.ACCESS_REQUEST_STATUSES:
        raise ValidationError({"locality": _("Choose a locality that prepares or runs Kaikukortti.")})
    if Coordinator.objects.active().filter(user=actor, locality=locality).exists():
        raise ValidationError({"locality": _("You coordinate this locality already.")})
    if AccessRequest.objects.filter(user=actor, locality=locality, status=AccessRequest.Status.PENDING).exists():
        raise ValidationError({"locality": _("You have asked for this locality already; Kaikukeskus will answer.")})
    access_request = AccessRequest(user=actor, locality=locality, side=side, reason=reason)
    access_request.full_clean()
    access_request.save()
    return access_request


def _pending_for_update(access_request: AccessRequest) -> AccessRequest:
    """The request, locked; only a pending one may change (the decision has been sent)."""
    access_request = (
        AccessRequest.objects.select_for_update().select_related("user", "locality").get(pk=access_request.pk)
    )
    if access_request.status != AccessRequest.Status.PENDING:
        raise ValidationError(_("This request has been decided already."))
    return access_request


@transaction.atomic
def access_request_note_update(*, actor: User | None, access_request: AccessRequest, note: str) -> AccessRequest:
    """Staff write the message to the coordinator before deciding; it is sent with the decision."""
    require_staff(actor)
    access_request = _pending_for_update(access_request)
    access_request.decision_note = note
    history.save(access_request, actor=actor, reason="message written")
    return access_request


def _decide(*, actor: User | None, access_request: AccessRequest, status: str, note: str | None) -> AccessRequest:
    """`note` None sends the message staff wrote before deciding (`access_request_note_update`)."""
    require_staff(actor)
    access_request = _pending_for_update(access_request)
    access_request.status = status
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    if note is not None:
        access_request.decision_note = note
    history.save(access_request, actor=actor, reason=status)
    _send_access_request_decision(access_request=access_request)
    return access_request


@transaction.atomic
def access_request_approve(
    *, actor: User | None, access_request: AccessRequest, note: str | None = None
) -> AccessRequest:
    """Approve: the membership opens at once; the coordinator is told by e-mail and on the portal."""
    access_request = _decide(
        actor=actor, access_request=access_request, status=AccessRequest.Status.APPROVED, note=note
    )
    coordinator_start(actor=actor, user=access_request.user, locality=access_request.locality, side=access_request.side)
    return access_request


@transaction.atomic
def access_request_decline(
    *, actor: User | None, access_request: AccessRequest, note: str | None = None
) -> AccessRequest:
    return _decide(actor=actor, access_request=access_request, status=AccessRequest.Status.DECLINED, note=note)


def _send_access_request_decision(*, access_request: AccessRequest) -> None:
    user = access_request.user
    language = language_of(user)
    send_later(
        to=user.email,
        template="localities/email/access_request_decided.txt",
        context={
            "access_request": access_request,
            "approved": access_request.status == AccessRequest.Status.APPROVED,
            "portal_link": site_url("portal", language=language),
        },
        language=language,
    )
