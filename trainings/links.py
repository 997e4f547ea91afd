"""The signed link in a registrant's e-mails: it opens the registration (status, the meeting link, cancelling,
the certificate) without an account. Signed with the site's secret (django.core.signing), so it cannot be made
up or altered; it expires after `TRAININGS_LINK_MAX_AGE_DAYS`, and it names the e-mail address it was sent to
(as a hash), so it stops working once the registration has been anonymised."""

import hashlib

from django.conf import settings
from django.core import signing

from kaikukeskus.mail import site_url

SALT = "trainings.registration-link"


def _email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def registration_token(registration) -> str:
    return signing.dumps([registration.pk, _email_digest(registration.email)], salt=SALT)


def registration_from_token(token: str, *, queryset):
    """The registration the token was made for, or None when it is altered, expired or its registration gone."""
    try:
        pk, digest = signing.loads(token, salt=SALT, max_age=settings.TRAININGS_LINK_MAX_AGE_DAYS * 24 * 60 * 60)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    registration = queryset.filter(pk=pk).first()
    if registration is None or not registration.email or _email_digest(registration.email) != digest:
        return None
    return registration


def manage_url(registration, *, language: str | None = None) -> str:
    return site_url(
        "trainings:registration-manage",
        language=language or registration.language,
        kwargs={"token": registration_token(registration)},
    )
