"""The localities' panels on the coordinator's front page: their localities, overdue milestones and follow-up
actions (a to-do for the locality's coordinators and for staff), and the answers to access requests."""

from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from localities import selectors

# Longer lists end in "and N more" with a link: the panel stays short, its queries the same for any number.
PANEL_ROWS = 10


def panels(user) -> list[Panel]:
    localities = list(selectors.coordinator_localities(user=user))
    is_staff = user.acts_as_national_staff
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
    overdue = [
        (_("Overdue pilot milestones"), "milestones", selectors.overdue_milestones_for(user=user)),
        (_("Overdue follow-up actions"), "actions", selectors.overdue_actions_for(user=user)),
    ]
    for title, rows_name, rows in overdue:
        total = rows.count()
        if total:
            context = {
                rows_name: list(rows[:PANEL_ROWS]),
                "more": max(0, total - PANEL_ROWS),
                "is_national_staff": is_staff,
            }
            result.append(
                Panel(title=title, template=f"localities/panels/overdue_{rows_name}.html", context=context, kind="todo")
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
        prospects = selectors.overdue_prospects_for(user=user)
        if prospects:
            result.append(
                Panel(
                    title=_("Prospects with an overdue next step"),
                    template="localities/panels/overdue_prospects.html",
                    context={"prospects": prospects[:PANEL_ROWS], "more": max(0, len(prospects) - PANEL_ROWS)},
                    kind="todo",
                )
            )
        pending = selectors.pending_access_requests(user=user).count()
        result.append(
            Panel(
                title=_("Pilots and prospects"),
                template="localities/panels/staff_overview.html",
                context={"pending_requests": pending},
                kind="todo" if pending else "info",  # access requests waiting for staff are today's work
            )
        )
    return result
