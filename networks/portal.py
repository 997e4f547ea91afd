"""The networks' panels on the coordinator's front page: partners without a primary contact (a to-do) and the
user's localities' issuers and venues."""

from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from localities.permissions import acts_as_national_staff
from networks import selectors


def staff_panels(user) -> list[Panel]:
    """National staff's front page: issuers proposed by coordinators, waiting for a decision, and where the
    venues' accessibility work is followed (the self-assessments' national totals)."""
    if not acts_as_national_staff(user):
        return []
    result = []
    proposed = selectors.proposed_issuers(user=user)
    count = proposed.count()
    if count:
        result.append(
            Panel(
                title=_("New issuers to discuss"),
                template="networks/panels/proposed_issuers.html",
                context={"issuers": list(proposed[:20]), "count": count},
                kind="todo",
            )
        )
    result.append(Panel(title=_("Accessibility and equality"), template="networks/panels/staff_accessibility.html"))
    return result


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
    stale, stale_count = selectors.stale_accessibility(user=user)
    if stale_count:
        result.append(
            Panel(
                title=_("Accessibility possibly out of date"),
                template="networks/panels/stale_accessibility.html",
                context={"venues": stale, "count": stale_count, "shown": len(stale)},
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
