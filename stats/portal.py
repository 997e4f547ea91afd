"""The statistics' panels on the portal's front page. Coordinators: the reports their localities still have to fill
in or fix (an open round's draft with its due date, a returned report with Kaikukeskus's comment, a reopened one
with its last day). National staff: the reports waiting for their review, by round, linked to the admin's queue."""

from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from stats import selectors

# Longer lists end in "and N more": the panel stays short, its queries the same for any number.
PANEL_ROWS = 10


def panels(user) -> list[Panel]:
    if user.acts_as_national_staff:
        return _review_panels()
    reports = selectors.reports_to_do(user=user)
    rows = list(reports[:PANEL_ROWS])
    if not rows:
        return []
    more = max(0, reports.count() - PANEL_ROWS) if len(rows) == PANEL_ROWS else 0
    return [
        Panel(
            title=_("Statistics reports to fill in"),
            template="stats/panels/reports_to_do.html",
            context={"reports": rows, "more": more},
            kind="todo",
        )
    ]


def _review_panels() -> list[Panel]:
    rounds = list(selectors.rounds_awaiting_review())
    if not rounds:
        return []
    return [
        Panel(
            title=_("Statistics reports to review"),
            template="stats/panels/reports_to_review.html",
            context={"rounds": rounds},
            kind="todo",
        )
    ]
