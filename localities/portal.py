"""The localities' panels on the coordinator's front page: their localities, overdue milestones and follow-up
actions (a to-do for the locality's coordinators and for staff), and the answers to access requests."""

from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from localities import selectors
from localities.models import AccessRequest

# Longer lists end in a link: the panel stays short and its queries few.
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
    milestone_rows = list(overdue_milestones[: PANEL_ROWS + 1])
    if milestone_rows:
        result.append(
            Panel(
                title=_("Overdue pilot milestones"),
                template="localities/panels/overdue_milestones.html",
                context={
                    "milestones": milestone_rows[:PANEL_ROWS],
                    "more": overdue_milestones.count() - PANEL_ROWS if len(milestone_rows) > PANEL_ROWS else 0,
                    "is_national_staff": is_staff,
                },
                kind="todo",
            )
        )
    overdue_actions = selectors.overdue_actions_for(user=user)
    action_rows = list(overdue_actions[: PANEL_ROWS + 1])
    if action_rows:
        result.append(
            Panel(
                title=_("Overdue follow-up actions"),
                template="localities/panels/overdue_actions.html",
                context={
                    "actions": action_rows[:PANEL_ROWS],
                    "more": overdue_actions.count() - PANEL_ROWS if len(action_rows) > PANEL_ROWS else 0,
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
