import re

import pytest
from django.conf import settings
from django.core import mail
from icalendar import Calendar

from kaikukeskus.mail import deliver_queued
from tests.trainings.factories import RegistrationFactory, TrainingFactory
from trainings import emails, links
from trainings.models import Registration

pytestmark = pytest.mark.django_db

SECRET_LINK = "https://meet.example.fi/kaikukortti-secret"


def _send(registration, kind) -> bool:
    """Queue the e-mail as the services do and deliver the outbox as its task does."""
    queued = emails.send_registration_email(Registration.objects.get(pk=registration.pk), kind)
    deliver_queued()
    return queued


def _calendar(message) -> Calendar:
    ((name, content, mimetype),) = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("fi", "Ilmoittautuminen vahvistettu: Koulutus", "Hei Maija"),
        ("sv", "Anmälan bekräftad: Utbildning", "Hej Maija"),
        ("en", "Registration confirmed: Training", "Hello Maija"),
    ],
)
def test_the_confirmation_is_in_the_registrants_language(language, subject, greeting):
    registration = RegistrationFactory(name="Maija", language=language)
    _send(registration, emails.CONFIRMED)
    (message,) = mail.outbox
    assert message.subject.startswith(subject)
    assert message.body.startswith(greeting)
    assert message.to == [registration.email]
    # The signed link, in the same language, opens this registration.
    prefix = "" if language == "fi" else f"/{language}"
    match = re.search(re.escape(settings.SITE_URL + prefix) + r"/trainings/registration/([^/]+)/\n", message.body)
    assert links.registration_from_token(match[1], queryset=Registration.objects.all()) == registration


def test_the_confirmation_has_a_calendar_file_that_parses():
    training = TrainingFactory(online=True, title_fi="Valtakunnallinen tapaaminen")
    registration = RegistrationFactory(training=training)
    _send(registration, emails.CONFIRMED)
    calendar = _calendar(mail.outbox[0])
    assert str(calendar["method"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Valtakunnallinen tapaaminen"
    assert event.decoded("dtstart") == training.starts_at
    assert event.decoded("dtend") == training.ends_at
    assert SECRET_LINK in str(event["description"])
    assert str(event["location"]) == SECRET_LINK
    assert str(event["uid"]).startswith(f"training-{training.pk}-registration-{registration.pk}@")


def test_the_online_link_is_in_the_emails_of_those_with_a_place_only():
    training = TrainingFactory(online=True)
    confirmed = RegistrationFactory(training=training)
    waiting = RegistrationFactory(training=training, status=Registration.Status.WAITLISTED)
    _send(confirmed, emails.CONFIRMED)
    _send(waiting, emails.WAITLISTED)
    confirmation, waitlisted = mail.outbox
    assert SECRET_LINK in confirmation.body
    assert SECRET_LINK not in waitlisted.body
    assert not waitlisted.attachments


def test_a_cancelled_training_sends_a_calendar_cancellation_with_the_same_uid():
    registration = RegistrationFactory(training=TrainingFactory(online=True))
    _send(registration, emails.CONFIRMED)
    registration.training.status = "cancelled"
    registration.training.save()
    _send(registration, emails.TRAINING_CANCELLED)
    first, cancelled = (_calendar(message) for message in mail.outbox)
    assert str(cancelled["method"]) == "CANCEL"
    (event,) = cancelled.walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert event["uid"] == first.walk("VEVENT")[0]["uid"]
    assert SECRET_LINK not in mail.outbox[1].body


def test_the_reminder_and_the_promotion_carry_the_calendar_file():
    registration = RegistrationFactory()
    _send(registration, emails.REMINDER)
    _send(registration, emails.PROMOTED)
    assert all(_calendar(message) for message in mail.outbox)


def test_an_anonymised_or_deleted_registration_gets_no_email():
    registration = RegistrationFactory()
    Registration.objects.filter(pk=registration.pk).update(email="")
    assert _send(registration, emails.REMINDER) is False
    assert mail.outbox == []


def test_the_calendar_file_names_the_public_page_not_the_secret_registration_link():
    registration = RegistrationFactory()
    _send(registration, emails.CONFIRMED)
    description = str(_calendar(mail.outbox[0]).walk("VEVENT")[0]["description"])
    assert f"/trainings/{registration.training_id}/" in description
    assert "/trainings/registration/" not in description
