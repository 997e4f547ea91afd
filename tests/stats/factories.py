import datetime

import factory
from django.utils import timezone

from stats.models import FIGURES, NETWORK_FIELDS, USE_FIELDS, LocalityReport, LocalityYear, NationalYear, ReportingRound
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


class NationalYearFactory(factory.django.DjangoModelFactory):
    """An aggregated and published year (the published history 2015–2023 is already there from its migration)."""

    class Meta:
        model = NationalYear

    year = factory.Sequence(lambda n: 2030 + n)
    source = NationalYear.Source.AGGREGATED
    cards_registered = 1200
    cards_activated = 900
    adult_culture = 4000
    adult_education = 300
    adult_science = 200
    adult_sports = 1500
    child_culture = 2000
    child_education = 100
    child_science = 400
    child_sports = 2500
    total_uses = factory.LazyAttribute(lambda year: sum(getattr(year, name) for name in USE_FIELDS))
    municipalities = 12
    localities = 2
    localities_expected = 3
    issuers = 40
    venues = 90
    generated_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)


class LocalityYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalityYear

    national_year = factory.SubFactory(NationalYearFactory)
    locality = factory.SubFactory(LocalityFactory)
    cards_registered = 600
    cards_activated = 450
    adult_culture = 2000
    adult_education = 150
    adult_science = 100
    adult_sports = 750
    child_culture = 1000
    child_education = 50
    child_science = 200
    child_sports = 1250
    municipalities = 6
    issuers = 20
    venues = 45
    reports = 1


# The report form's tests: a report as opened (nothing filled in yet), and figures that raise no warning alone.
BLANK = dict.fromkeys((*FIGURES, *NETWORK_FIELDS))
FILLED = {
    "cards_registered": 120,
    "cards_activated": 100,
    "adult_culture": 300,
    "adult_education": 40,
    "adult_science": 20,
    "adult_sports": 60,
    "child_culture": 200,
    "child_education": 10,
    "child_science": 30,
    "child_sports": 50,
    "municipalities": 2,
    "issuers": 5,
    "venues": 12,
}


def yearly_round(year: int, **kwargs) -> ReportingRound:
    return RoundFactory(period_start=datetime.date(year, 1, 1), title=str(year), **kwargs)
