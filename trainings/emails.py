"""The e-mails to a registrant, each in the registrant's language (`Registration.language`). Sent by the Celery
task `trainings.tasks.send_registration_email`, which the services queue after their transaction commits."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from trainings import ics, links
from trainings.models import Registration

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
PROMOTED = "promoted"
REMINDER = "reminder"
CANCELLED = "cancelled"
TRAINING_CANCELLED = "training_cancelled"

SUBJECTS = {
    CONFIRMED: gettext_lazy("Registration confirmed: %(title)s"),
    WAITLISTED: gettext_lazy("You are on the waitlist: %(title)s"),
    PROMOTED: gettext_lazy("A place opened up for you: %(title)s"),
    REMINDER: gettext_lazy("Reminder, tomorrow: %(title)s"),
    CANCELLED: gettext_lazy("Your registration was cancelled: %(title)s"),
    TRAINING_CANCELLED: gettext_lazy("Cancelled: %(title)s"),
}
# The e-mails that add the event to the registrant's calendar, and those that take it away.
CALENDAR_KINDS = {CONFIRMED, PROMOTED, REMINDER}
CALENDAR_CANCEL_KINDS = {CANCELLED, TRAINING_CANCELLED}
ICS_NAME = "kaikukortti.ics"


def registration_email(registration: Registration, kind: str) -> EmailMessage:
    with translation.override(registration.language):
        training = registration.training
        context = {
            "registration": registration,
            "training": training,
            "manage_url": links.manage_url(registration),
            "online_link": training.online_link if registration.sees_online_link else "",
            "kind": kind,
        }
        subject = str(SUBJECTS[kind]) % {"title": training.title}
        body = render_to_string(f"trainings/email/{kind}.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
        if kind in CALENDAR_KINDS:
            message.attach(ICS_NAME, ics.registration_calendar(registration), "text/calendar; method=PUBLISH")
        elif kind in CALENDAR_CANCEL_KINDS:
            message.attach(
                ICS_NAME, ics.registration_calendar(registration, cancelled=True), "text/calendar; method=CANCEL"
            )
    return message


def send_registration_email(registration: Registration, kind: str) -> None:
    if not registration.email:  # anonymised meanwhile
        return
    registration_email(registration, kind).send()
