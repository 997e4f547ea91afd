"""The e-mails to a registrant, each in the registrant's language (`Registration.language`), queued in the
outbox (kaikukeskus/mail.py) inside the service's transaction. A template's first line is its subject."""

from django.utils import translation

from kaikukeskus import ics as calendar_files
from kaikukeskus.mail import send_later
from trainings import ics, links
from trainings.models import Registration

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
PROMOTED = "promoted"
REMINDER = "reminder"
CANCELLED = "cancelled"
TRAINING_CANCELLED = "training_cancelled"
KINDS = (CONFIRMED, WAITLISTED, PROMOTED, REMINDER, CANCELLED, TRAINING_CANCELLED)

# The e-mails that add the event to the registrant's calendar, and those that take it away.
CALENDAR_KINDS = {CONFIRMED, PROMOTED, REMINDER}
CALENDAR_CANCEL_KINDS = {CANCELLED, TRAINING_CANCELLED}


def send_registration_email(registration: Registration, kind: str) -> bool:
    """Queue the e-mail of `kind`; False when the registration has no address any more (anonymised)."""
    if not registration.email:
        return False
    with translation.override(registration.language):
        training = registration.training
        context = {
            "registration": registration,
            "training": training,
            "manage_url": links.manage_url(registration),
            "online_link": training.online_link if registration.sees_online_link else "",
            "kind": kind,
        }
        attachments = []
        if kind in CALENDAR_KINDS:
            attachments.append(calendar_files.attachment(ics.registration_calendar(registration)))
        elif kind in CALENDAR_CANCEL_KINDS:
            calendar = ics.registration_calendar(registration, cancelled=True)
            attachments.append(calendar_files.attachment(calendar, cancelled=True))
    send_later(
        to=registration.email,
        template=f"trainings/email/{kind}.txt",
        context=context,
        language=registration.language,
        attachments=attachments,
    )
    return True
