"""The news panels of the portal's front page: announcements a coordinator has to acknowledge, how the
localities have acknowledged them (staff), and the latest news the reader sees."""

from django.utils.translation import gettext_lazy as _

from communications import selectors
from kaikukeskus.portal import Panel
from localities.permissions import acts_as_national_staff, is_coordinator

LATEST = 5


def panels(user) -> list[Panel]:
    staff = acts_as_national_staff(user)
    if not (staff or is_coordinator(user=user)):
        return []
    result = []
    awaiting = selectors.awaiting_acknowledgement(user=user)
    if awaiting:
        result.append(
            Panel(
                title=_("Announcements to acknowledge"),
                template="communications/panels/to_acknowledge.html",
                context={"items": awaiting},
                kind="todo",
            )
        )
    if staff:
        statuses = selectors.acknowledgement_status()
        if statuses:
            result.append(
                Panel(
                    title=_("Acknowledgements of announcements"),
                    template="communications/panels/acknowledgement_status.html",
                    context={"statuses": statuses},
                )
            )
        drafts = list(selectors.newsletter_drafts()[:LATEST])
        result.append(
            Panel(title=_("Newsletter"), template="communications/panels/newsletter.html", context={"drafts": drafts})
        )
    latest = list(selectors.news_list(user=user)[:LATEST])
    result.append(Panel(title=_("News"), template="communications/panels/latest.html", context={"items": latest}))
    return result
