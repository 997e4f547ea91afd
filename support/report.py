"""What staff learn from the questions: how many per locality, category and month, the median time to the first
reply (in Finnish working days) and the share answered within the 3-working-day target, and the categories (the
guideline's sections) that collect the most questions, flagged for the guideline's next revision.

One query for the year's questions, whatever their number; the figures are counted in Python."""

import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from kaikukeskus.workdays import working_days_between
from support.models import Category, Question

# Categories whose share of the year's questions is at least this are flagged (and always the largest one).
FLAG_SHARE = 0.25


@dataclass
class Report:
    year: int
    total: int = 0
    # (locality name, category label, month) → questions
    counts: list[tuple[str, str, int, int]] = field(default_factory=list)
    by_category: list[tuple[str, int, bool]] = field(default_factory=list)
    median_working_days: float | None = None
    replied: int = 0
    within_target: int = 0

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.replied if self.replied else None

    def header(self) -> list[str]:
        return [_("Locality"), _("Category"), _("Month"), _("Questions")]


def yearly(*, year: int) -> Report:
    rows = list(
        Question.objects.filter(asked_at__year=year)
        .annotate(month=ExtractMonth("asked_at"))
        .values_list("locality__name_fi", "category", "month", "asked_at", "due_on", "done_on")
    )
    report = Report(year=year, total=len(rows))
    labels = dict(Category.choices)
    national = _("National")
    counts = Counter((locality or national, category, month) for locality, category, month, *_rest in rows)
    report.counts = sorted(
        (
            (locality, str(labels.get(category, category)), month, count)
            for (locality, category, month), count in counts.items()
        ),
        key=lambda row: (row[0], row[1], row[2]),
    )
    per_category = Counter(category for _locality, category, *_rest in rows)
    largest = max(per_category.values(), default=0)
    report.by_category = [
        (
            str(label),
            per_category[value],
            bool(per_category[value])
            and (per_category[value] == largest or per_category[value] / report.total >= FLAG_SHARE),
        )
        for value, label in Category.choices
    ]
    delays = []
    for *_head, asked_at, due_on, done_on in rows:
        if done_on is not None:
            delays.append(working_days_between(timezone.localdate(asked_at), done_on))
            report.within_target += done_on <= due_on
    report.replied = len(delays)
    report.median_working_days = statistics.median(delays) if delays else None
    return report
