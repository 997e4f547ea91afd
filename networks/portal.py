"""The networks' panels on the coordinator's front page: partners without a primary contact (a to-do) and the
user's localities' issuers and venues."""

from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from networks import selectors


def panels(user) -> list[Panel]:
    summaries = selectors.locality_partner_summaries(user=user)
    if not summaries:
        return []
    result = []
    missing, missing_count = selectors.partners_missing_primary_contact(user=user)
    if missing_count:
        result.append(
            Panel(
                title=_("Partners without a primary contact"),
                template="networks/panels/missing_primary_contact.html",
                context={"partners": missing, "count": missing_count, "shown": len(missing)},
                kind="todo",
            )
        )
    result.append(
        Panel(
            title=_("Issuers and venues"),
            template="networks/panels/partners.html",
            context={"localities": summaries},
        )
    )
    return result
