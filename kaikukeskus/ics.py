"""Calendar files attached to e-mails (RFC 5545, written with the `icalendar` package): the one way to write an
event, for training registrations, consultation appointments and meeting invitations alike.

Times are in UTC, so that the file needs no VTIMEZONE block; calendars show them in the reader's own zone. The UID
must stay the same in every file about one event for one person, so that a later file (a moved event with a higher
`sequence`, a cancelled one with METHOD:CANCEL) replaces the event the first one added instead of adding another."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from kaikukeskus.mail import Attachment

PRODID = "-//Kaikukeskus//Kaikukortti portal//FI"
# The name e-mails give the attachment.
FILENAME = "kaikukortti.ics"


def uid(local_part: str) -> str:
    """A globally unique event id: `local_part` (e.g. `training-3-registration-9`) at the site's host."""
    host = urlsplit(settings.SITE_URL).hostname or "kaikukortti.fi"
    return f"{local_part}@{host}"


def event_calendar(
    *,
    uid: str,
    start: datetime.datetime,
    end: datetime.datetime,
    summary: str,
    description: str = "",
    location: str = "",
    cancelled: bool = False,
    sequence: int = 0,
) -> bytes:
    """One event as an .ics file's bytes. A cancellation outranks the file it cancels (RFC 5545 3.8.7.4): pass the
    last `sequence` sent, and it is raised by one here."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", start.astimezone(datetime.UTC))
    event.add("dtend", end.astimezone(datetime.UTC))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    event.add("sequence", sequence + 1 if cancelled else sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def attachment(content: bytes, *, cancelled: bool = False) -> Attachment:
    """The file for `send_later(attachments=[...])`, with the METHOD that mail clients read from its type."""
    return Attachment(FILENAME, content, f"text/calendar; method={'CANCEL' if cancelled else 'PUBLISH'}")
