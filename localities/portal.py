"""The localities' panels on the coordinator's front page: their localities, overdue milestones and follow-up
actions (a to-do for the locality's coordinators and for staff), and the answers to access requests."""

from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from localities import selectors
from localities.models import AccessRequest

# Longer lists end in "and N more" with a link: the panel stays short, its queries the same for any number.
PANEL_ROWS = 10


def panels(user) -> list[Panel]:
    localities = list(selectors.coordinator_localities(user=user))
    is_staff = user.is_national_staff
    result = [
        Panel(
            title=_("Your localities"),
            template="localities/panels/your_localities.html",
            context={
                "localities": localities,
                "is_national_staff": is_staff,
                "can_ask_access": bool(localities) and not is_staff,
            },
        )
    ]
    overdue_milestones = selectors.overdue_milestones_for(user=user)
    milestone_total = overdue_milestones.count()
    if milestone_total:
        result.append(
            Panel(
                title=_("Overdue pilot milestones"),
                template="localities/panels/overdue_milestones.html",
                context={
                    "milestones": list(overdue_milestones[:PANEL_ROWS]),
                    "more": max(0, milestone_total - PANEL_ROWS),
                    "is_national_staff": is_staff,
                },
                kind="todo",
            )
        )
    overdue_actions = selectors.overdue_actions_for(user=user)
    action_total = overdue_actions.count()
    if action_total:
        result.append(
            Panel(
                title=_("Overdue follow-up actions"),
                template="localities/panels/overdue_actions.html",
                context={
                    "actions": list(overdue_actions[:PANEL_ROWS]),
                    "more": max(0, action_total - PANEL_ROWS),
                    "is_national_staff": is_staff,
                },
                kind="todo",
            )
        )
    requests = list(selectors.access_requests_for(user=user))
    if requests:
        result.append(
            Panel(
                title=_("Your access requests"),
                template="localities/panels/access_requests.html",
                context={"requests": requests},
            )
        )
    if is_staff:
        result.append(
            Panel(
                title=_("Pilots and prospects"),
                template="localities/panels/staff_overview.html",
                context={"pending_requests": AccessRequest.objects.filter(status=AccessRequest.Status.PENDING).count()},
            )
        )
    return result
