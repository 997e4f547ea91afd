"""The calendar file attached to a registrant's e-mails (written by `kaikukeskus.ics`).

The UID is the same in every file for one registration, so a later file (the cancelled training's) replaces the
event the first one added instead of adding another."""

from django.utils import translation
from django.utils.translation import gettext as _

from kaikukeskus import ics
from kaikukeskus.mail import site_url


def registration_calendar(registration, *, cancelled: bool = False) -> bytes:
    training = registration.training
    with translation.override(registration.language):
        description = [training.description]
        if registration.sees_online_link:
            description.append(_("Join online: %(link)s") % {"link": training.online_link})
        # The training's public page, not the registration's signed link: a calendar entry is often shared.
        description.append(site_url("trainings:detail", language=registration.language, kwargs={"pk": training.pk}))
        location = training.place if training.is_on_site else ""
        if registration.sees_online_link and not location:
            location = training.online_link
        return ics.event_calendar(
            uid=ics.uid(f"training-{training.pk}-registration-{registration.pk}"),
            start=training.starts_at,
            end=training.ends_at,
            summary=str(training.title),
            description="\n\n".join(part for part in description if part),
            location=location,
            cancelled=cancelled,
        )
