import datetime

import factory

from stats.models import LocalityReport, ReportingRound
from tests.localities.factories import LocalityFactory


class RoundFactory(factory.django.DjangoModelFactory):
    """A yearly round (pass period_start/period_end for a half-year or a month)."""

    class Meta:
        model = ReportingRound
        django_get_or_create = ("period_start", "period_end")

    title = factory.LazyAttribute(lambda r: f"{r.period_start:%Y-%m-%d}–{r.period_end:%Y-%m-%d}")
    period_start = datetime.date(2025, 1, 1)
    period_end = factory.LazyAttribute(lambda r: r.period_start.replace(month=12, day=31))
    opens_on = factory.LazyAttribute(lambda r: r.period_end + datetime.timedelta(days=1))
    due_on = factory.LazyAttribute(lambda r: r.period_end + datetime.timedelta(days=30))
    closes_on = factory.LazyAttribute(lambda r: r.period_end + datetime.timedelta(days=60))
    status = ReportingRound.Status.OPEN


class ReportFactory(factory.django.DjangoModelFactory):
    """A filled-in report (every figure given); `status` draft unless told."""

    class Meta:
        model = LocalityReport

    round = factory.SubFactory(RoundFactory)
    locality = factory.SubFactory(LocalityFactory)
    cards_registered = 100
    cards_activated = 60
    adult_culture = 40
    adult_education = 10
    adult_science = 5
    adult_sports = 20
    child_culture = 30
    child_education = 4
    child_science = 6
    child_sports = 15
    municipalities = 1
    issuers = 5
    venues = 8
    status = LocalityReport.Status.DRAFT
    # A reopened report is open for correction until a day (the database insists).
    reopened_until = factory.LazyAttribute(
        lambda r: r.round.period_end + datetime.timedelta(days=400) if r.status == "reopened" else None
    )

    class Params:
        approved = factory.Trait(status=LocalityReport.Status.APPROVED)
