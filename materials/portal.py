"""The materials' panels on the coordinator's front page: what was published since the last visit, and drafts
open for comments."""

from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from localities.permissions import is_coordinator
from materials import selectors, services


def panels(user) -> list[Panel]:
    if not (is_coordinator(user=user) or user.acts_as_national_staff):
        return []
    result = []
    consultations = selectors.open_consultations_for(user=user)
    if consultations:
        result.append(
            Panel(
                title=_("Drafts open for comments"),
                template="materials/panels/consultations.html",
                context={"consultations": consultations},
                kind="todo",
            )
        )
    if user.acts_as_national_staff:
        waiting = selectors.comments_awaiting_answer()
        if waiting:
            result.append(
                Panel(
                    title=_("Comments awaiting an answer"),
                    template="materials/panels/comments_waiting.html",
                    context={"consultations": waiting},
                    kind="todo",
                )
            )
    # Opening the front page is the visit the panel counts from (see services.news_visit).
    since = services.news_visit(user=user)
    result.append(
        Panel(
            title=_("New material versions"),
            template="materials/panels/news.html",
            context={"versions": selectors.news_since(user=user, since=since), "since": since},
        )
    )
    return result
