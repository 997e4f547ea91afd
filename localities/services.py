"""Writes for localities. Every state change is a function here: keyword-only, one transaction, `actor=` for
checks and history, e-mail sent after commit."""

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from localities.models import Coordinator, Invitation, Locality, Side

User = get_user_model()


def _require_staff(actor) -> None:
    if not (actor and actor.is_national_staff):
        raise PermissionDenied(_("Only Kaikukeskus staff can do this."))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str, *, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("localities:invitation-accept", kwargs={"token": token})


@transaction.atomic
def invitation_create(
    *, actor, email: str, locality: Locality, side: str, language: str = "fi"
) -> tuple[Invitation, str]:
    """Staff invite a coordinator. Returns the invitation and the raw token (only its hash is stored); the
    e-mail with the single-use link leaves after commit, in the invitee's language."""
    _require_staff(actor)
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
    link = invitation_link(token, language=language)
    transaction.on_commit(lambda: _send_invitation_email(invitation=invitation, link=link))
    return invitation, token


def _send_invitation_email(*, invitation: Invitation, link: str) -> None:
    with translation.override(invitation.language):
        context = {"invitation": invitation, "link": link, "valid_days": settings.INVITATION_VALID_DAYS}
        subject = _("Invitation to the Kaikukortti coordinator portal")
        body = render_to_string("localities/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation if the token is known, unused and not expired; else None (all three look alike)."""
    invitation = Invitation.objects.select_related("locality").filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str | None, user=None):
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
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from error
        user.set_password(password)
        user.save()
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    coordinator_start(user=user, locality=invitation.locality, side=invitation.side)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def coordinator_start(*, user, locality: Locality, side: str) -> Coordinator:
    """Open a membership unless one is open already (then its side is updated)."""
    coordinator = Coordinator.objects.filter(user=user, locality=locality, ended_on__isnull=True).first()
    if coordinator is None:
        coordinator = Coordinator(user=user, locality=locality, side=Side(side))
    coordinator.side = side
    coordinator.full_clean()
    coordinator.save()
    return coordinator


@transaction.atomic
def coordinator_end(*, actor, coordinator: Coordinator, ended_on: datetime.date | None = None) -> Coordinator:
    """End a membership; the row stays for history."""
    _require_staff(actor)
    coordinator.ended_on = ended_on or timezone.localdate()
    coordinator.full_clean()
    coordinator.save(update_fields=["ended_on"])
    return coordinator


@transaction.atomic
def invitations_purge_expired(*, older_than_days: int = 30) -> int:
    """Forget unaccepted invitations (an e-mail address is personal data) a while after they expired."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _per_model = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted
