"""The trainings' group of the site search (`kaikukeskus.search`): published trainings (what the public list
shows; never drafts), by title and description in the reader's language, the next ones first."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kaikukeskus.search import Group, Result, matching, shown_text
from trainings.models import Training


def trainings(*, user, query: str, language: str, limit: int) -> Group:
    title = shown_text("title", language)
    found, total = matching(
        Training.objects.published(),
        query=query,
        language=language,
        texts=[title, shown_text("description", language)],
        name=title,
        limit=limit,
        order_by=["-starts_at"],
    )
    results = [
        Result(
            title=training.title,
            url=reverse("trainings:detail", kwargs={"pk": training.pk}),
            summary=formats.date_format(timezone.localtime(training.starts_at), "DATE_FORMAT"),
            note=training.get_status_display() if training.status == Training.Status.CANCELLED else "",
        )
        for training in found
    ]
    return Group(key="trainings", label=_("Trainings"), results=results, total=total)
