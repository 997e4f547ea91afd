"""Support's panels on the portal's front page: for staff, the questions whose first reply is overdue; for a
coordinator, the questions that wait for the locality's answer."""

from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from localities.permissions import acts_as_national_staff, is_coordinator
from support import selectors
from support.models import Question

PANEL_ROWS = 10


def panels(user) -> list[Panel]:
    result = []
    if acts_as_national_staff(user):
        overdue = selectors.overdue_first_replies()
        total = overdue.count()
        result.append(
            Panel(
                title=_("Questions without a first reply in time"),
                template="support/panels/overdue.html",
                context={"questions": list(overdue[:PANEL_ROWS]), "more": max(0, total - PANEL_ROWS), "total": total},
                kind="todo" if total else "info",
            )
        )
    elif is_coordinator(user=user):
        waiting = selectors.question_list(user=user, state=Question.State.WAITING)
        rows = list(waiting[:PANEL_ROWS])
        result.append(
            Panel(
                title=_("Questions to Kaikukeskus"),
                template="support/panels/mine.html",
                context={"waiting": rows},
                kind="todo" if rows else "info",
            )
        )
    return result
