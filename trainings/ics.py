"""The calendar file attached to a registrant's e-mails (RFC 5545, written with the `icalendar` package).

Times are in UTC, so that the file needs no VTIMEZONE block; calendars show them in the reader's own zone. The
UID is the same in every file for one registration, so a later file (the cancelled training's, with
METHOD:CANCEL) replaces the event the first one added instead of adding another."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kaikukeskus.mail import site_url

PRODID = "-//Kaikukeskus//Kaikukortti portal//FI"


def registration_calendar(registration, *, cancelled: bool = False) -> bytes:
    training = registration.training
    with translation.override(registration.language):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
        event = Event()
        host = urlsplit(settings.SITE_URL).hostname or "kaikukortti.fi"
        event.add("uid", f"training-{training.pk}-registration-{registration.pk}@{host}")
        event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
        event.add("dtstart", training.starts_at.astimezone(datetime.UTC))
        event.add("dtend", training.ends_at.astimezone(datetime.UTC))
        event.add("summary", training.title)
        description = [training.description]
        if registration.sees_online_link:
            description.append(_("Join online: %(link)s") % {"link": training.online_link})
        # The training's public page, not the registration's signed link: a calendar entry is often shared.
        description.append(site_url("trainings:detail", language=registration.language, kwargs={"pk": training.pk}))
        event.add("description", "\n\n".join(part for part in description if part))
        location = training.place if training.is_on_site else ""
        if registration.sees_online_link and not location:
            location = training.online_link
        if location:
            event.add("location", location)
        # A cancellation has to outrank the first file (RFC 5545 3.8.7.4).
        event.add("sequence", 1 if cancelled else 0)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
