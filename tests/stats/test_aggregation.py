"""The annual aggregation: approved reports in, per-locality and national sums out (also over half-years and
months), drafts and other statuses ignored, idempotent, the published history untouched unless forced, the
completeness and the network at year end; publishing and unpublishing."""

import datetime
from collections import defaultdict

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localities.models import Locality
from stats import aggregation, tasks
from stats.models import FIGURES, LocalityReport, LocalityYear, NationalYear
from tests.localities.factories import LocalityFactory
from tests.networks.factories import IssuerFactory, PartnerFactory
from tests.stats.factories import ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
D = datetime.date


def _month_end(year: int, month: int) -> datetime.date:
    return (D(year + month // 12, month % 12 + 1, 1)) - datetime.timedelta(days=1)


# Rounds of the year (yearly, half-yearly, monthly) and two that do not lie in it.
IN_YEAR = [
    (D(YEAR, 1, 1), D(YEAR, 12, 31)),
    (D(YEAR, 1, 1), D(YEAR, 6, 30)),
    (D(YEAR, 7, 1), D(YEAR, 12, 31)),
    *[(D(YEAR, month, 1), _month_end(YEAR, month)) for month in range(1, 13)],
]
OUTSIDE = [(D(YEAR - 1, 12, 1), D(YEAR - 1, 12, 31)), (D(YEAR - 1, 7, 1), D(YEAR, 6, 30))]
PERIODS = IN_YEAR + OUTSIDE
STATUSES = [choice for choice, _label in LocalityReport.Status.choices]


@pytest.fixture
def localities():
    """Three localities running through the year, with one, two and one municipalities (Kajaani in two)."""
    return [
        LocalityFactory(pilot_start_on=D(2020, 1, 1), municipalities=codes)
        for codes in (["205"], ["205", "765"], ["851"])
    ]


def _national(year: int = YEAR) -> NationalYear:
    return NationalYear.objects.get(year=year)


def _rows(year: int = YEAR) -> dict[int, dict]:
    return {
        row.locality_id: {**row.figures(), "reports": row.reports}
        for row in LocalityYear.objects.filter(national_year__year=year)
    }


figures = st.fixed_dictionaries({name: st.integers(min_value=0, max_value=100_000) for name in FIGURES})
report = st.tuples(
    st.integers(min_value=0, max_value=2),  # the locality
    st.integers(min_value=0, max_value=len(PERIODS) - 1),  # the period
    st.sampled_from(STATUSES),
    figures,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports=st.lists(report, max_size=25, unique_by=lambda r: (r[0], r[1])))
def test_national_sums_are_the_sums_of_the_approved_reports_of_the_year(localities, reports):
    with transaction.atomic():
        expected = defaultdict(lambda: defaultdict(int))
        for locality_index, period_index, status, values in reports:
            start, end = PERIODS[period_index]
            ReportFactory(
                round=RoundFactory(period_start=start, period_end=end),
                locality=localities[locality_index],
                status=status,
                **values,
            )
            if status == LocalityReport.Status.APPROVED and (start, end) in IN_YEAR:
                sums = expected[localities[locality_index].pk]
                sums["reports"] += 1
                for name in FIGURES:
                    sums[name] += values[name]

        result = aggregation.aggregate_year(year=YEAR)

        national = _national()
        assert _rows() == {pk: dict(sums) for pk, sums in expected.items()}
        assert result.localities == national.localities == len(expected)
        assert national.localities_expected == 3
        assert national.source == NationalYear.Source.AGGREGATED
        for name in FIGURES:
            total = sum(sums[name] for sums in expected.values())
            assert getattr(national, name) == (total if expected else None), name
        uses = sum(sums[name] for sums in expected.values() for name in FIGURES[2:])
        assert national.uses_total == (uses if expected else None)
        transaction.set_rollback(True)


def test_drafts_submitted_returned_and_reopened_reports_are_left_out(localities):
    yearly = RoundFactory(period_start=D(YEAR, 1, 1))
    for locality, status in zip(localities, ["draft", "submitted", "returned"], strict=True):
        ReportFactory(round=yearly, locality=locality, status=status)
    ReportFactory(
        round=RoundFactory(period_start=D(YEAR, 1, 1), period_end=D(YEAR, 6, 30)),
        locality=localities[0],
        status="reopened",
        reopened_until=D(YEAR + 1, 1, 31),
    )
    aggregation.aggregate_year(year=YEAR)
    national = _national()
    assert national.localities == 0
    assert national.uses_total is None and national.cards_registered is None
    assert not LocalityYear.objects.exists()


def test_half_years_and_months_add_up_and_municipalities_are_not_added(localities):
    first, second = localities[:2]
    ReportFactory(round=RoundFactory(period_start=D(YEAR, 1, 1), period_end=D(YEAR, 6, 30)), locality=first,
                  approved=True, adult_culture=10, municipalities=1)  # fmt: skip
    ReportFactory(round=RoundFactory(period_start=D(YEAR, 7, 1), period_end=D(YEAR, 12, 31)), locality=first,
                  approved=True, adult_culture=15, municipalities=2)  # fmt: skip
    for month in (1, 2, 3):
        ReportFactory(
            round=RoundFactory(period_start=D(YEAR, month, 1), period_end=_month_end(YEAR, month)),
            locality=second,
            approved=True,
            adult_culture=month,
            municipalities=2,
        )
    aggregation.aggregate_year(year=YEAR)
    rows = {row.locality_id: row for row in LocalityYear.objects.all()}
    assert rows[first.pk].adult_culture == 25 and rows[first.pk].reports == 2
    assert rows[first.pk].municipalities == 2  # the largest figure of the year, not 1 + 2
    assert rows[second.pk].adult_culture == 6 and rows[second.pk].reports == 3
    national = _national()
    assert national.adult_culture == 31
    # Kajaani is in both localities: it counts once.
    assert national.municipalities == 2


def test_running_twice_gives_the_same_rows(localities):
    for locality in localities:
        ReportFactory(round=RoundFactory(period_start=D(YEAR, 1, 1)), locality=locality, approved=True)
    first = aggregation.aggregate_year(year=YEAR)
    before = (_rows(), {name: getattr(_national(), name) for name in FIGURES})
    second = aggregation.aggregate_year(year=YEAR)
    assert first.created and not second.created
    assert (_rows(), {name: getattr(_national(), name) for name in FIGURES}) == before
    assert LocalityYear.objects.count() == 3 and NationalYear.objects.filter(year=YEAR).count() == 1


def test_a_report_approved_since_is_in_the_next_run_and_a_reopened_one_leaves(localities):
    yearly = RoundFactory(period_start=D(YEAR, 1, 1))
    approved = ReportFactory(round=yearly, locality=localities[0], approved=True)
    aggregation.aggregate_year(year=YEAR)
    ReportFactory(round=yearly, locality=localities[1], approved=True)
    LocalityReport.objects.filter(pk=approved.pk).update(status="reopened", reopened_until=D(YEAR + 1, 1, 1))
    aggregation.aggregate_year(year=YEAR)
    assert set(_rows()) == {localities[1].pk}


def test_completeness_counts_the_localities_running_during_the_year(localities):
    LocalityFactory(status=Locality.Status.PROSPECT, pilot_start_on=None)
    LocalityFactory(status=Locality.Status.PILOTING, pilot_start_on=D(YEAR + 1, 2, 1))  # starts next year
    LocalityFactory(status=Locality.Status.ENDED, pilot_start_on=D(2020, 1, 1), ended_on=D(YEAR, 3, 31))  # owes
    ReportFactory(round=RoundFactory(period_start=D(YEAR, 1, 1)), locality=localities[0], approved=True)
    aggregation.aggregate_year(year=YEAR)
    national = _national()
    assert (national.localities, national.localities_expected) == (1, 4)


def test_a_locality_that_reported_was_expected_to(localities):
    early = LocalityFactory(pilot_start_on=D(YEAR + 1, 1, 1))  # its dates say it started later
    ReportFactory(round=RoundFactory(period_start=D(YEAR, 1, 1)), locality=early, approved=True)
    aggregation.aggregate_year(year=YEAR)
    national = _national()
    assert (national.localities, national.localities_expected) == (1, 4)
    assert national.reporting_share == 25.0


def test_issuers_and_venues_are_counted_at_year_end(localities):
    first, second = localities[:2]
    PartnerFactory(locality=first, joined_on=D(2020, 1, 1))
    PartnerFactory(locality=first, joined_on=D(2020, 1, 1), left_on=D(YEAR, 6, 30))  # left during the year
    PartnerFactory(locality=first, joined_on=D(YEAR + 1, 1, 1))  # joined after
    IssuerFactory(locality=first, joined_on=D(2020, 1, 1))
    IssuerFactory(locality=first, joined_on=D(2020, 1, 1))
    PartnerFactory(locality=localities[2], joined_on=D(2020, 1, 1))  # no report: not in the figures
    yearly = RoundFactory(period_start=D(YEAR, 1, 1))
    ReportFactory(round=yearly, locality=first, approved=True)
    ReportFactory(round=yearly, locality=second, approved=True)
    aggregation.aggregate_year(year=YEAR)
    rows = {row.locality_id: row for row in LocalityYear.objects.all()}
    assert (rows[first.pk].issuers, rows[first.pk].venues) == (2, 1)
    assert (rows[second.pk].issuers, rows[second.pk].venues) == (0, 0)
    national = _national()
    assert (national.issuers, national.venues) == (2, 1)


def test_a_published_history_year_is_left_alone_unless_forced(localities):
    history = _national(2023)
    before = (history.source, history.uses_total, history.published_at, history.municipalities)
    ReportFactory(round=RoundFactory(period_start=D(2023, 1, 1)), locality=localities[0], approved=True)
    with pytest.raises(aggregation.HistoryYearError):
        aggregation.aggregate_year(year=2023)
    history.refresh_from_db()
    assert (history.source, history.uses_total, history.published_at, history.municipalities) == before
    assert not LocalityYear.objects.exists()

    aggregation.aggregate_year(year=2023, force=True)
    history.refresh_from_db()
    assert history.source == NationalYear.Source.AGGREGATED
    assert history.uses_total == 130
    assert history.published_at == before[2]  # still public, now with the aggregated figures


def test_publish_and_unpublish(localities):
    aggregation.aggregate_year(year=YEAR)
    assert not _national().is_published
    published = aggregation.year_publish(year=YEAR)
    assert published.is_published
    when = published.published_at
    assert aggregation.year_publish(year=YEAR).published_at == when  # a second time changes nothing
    aggregation.aggregate_year(year=YEAR)
    assert _national().published_at == when  # re-aggregating keeps the year public
    aggregation.year_unpublish(year=YEAR)
    assert not _national().is_published
    assert NationalYear.objects.published().filter(year=YEAR).count() == 0


def test_aggregate_and_publish_in_one_go(localities):
    result = aggregation.aggregate_year(year=YEAR, publish=True)
    assert result.national_year.is_published


def test_only_staff_may_aggregate_and_publish(localities, coordinator, staff):
    with pytest.raises(PermissionDenied):
        aggregation.aggregate_year(year=YEAR, actor=coordinator)
    aggregation.aggregate_year(year=YEAR, actor=staff)
    with pytest.raises(PermissionDenied):
        aggregation.year_publish(year=YEAR, actor=coordinator)
    with pytest.raises(PermissionDenied):
        aggregation.year_unpublish(year=YEAR, actor=coordinator)
    assert aggregation.year_publish(year=YEAR, actor=staff).is_published


def test_the_aggregation_makes_the_same_statements_for_any_number_of_localities(localities):
    """The GROUP BY and the localities' rows are one INSERT … SELECT: no statement per locality or report."""
    yearly = RoundFactory(period_start=D(YEAR, 1, 1))
    ReportFactory(round=yearly, locality=localities[0], approved=True)
    aggregation.aggregate_year(year=YEAR)  # the first run also creates the national year
    with CaptureQueriesContext(connection) as one:
        aggregation.aggregate_year(year=YEAR)
    for locality in localities[1:]:
        ReportFactory(round=yearly, locality=locality, approved=True)
        PartnerFactory(locality=locality, joined_on=D(YEAR - 1, 1, 1))
    with CaptureQueriesContext(connection) as many:
        aggregation.aggregate_year(year=YEAR)
    assert len(many) == len(one)
    assert LocalityYear.objects.count() == len(localities)
    inserts = [query["sql"] for query in many if query["sql"].startswith('INSERT INTO "stats_localityyear"')]
    assert len(inserts) == 1 and "GROUP BY" in inserts[0]


def test_the_celery_task_runs_the_same_code(localities):
    ReportFactory(round=RoundFactory(period_start=D(YEAR, 1, 1)), locality=localities[0], approved=True)
    result = tasks.aggregate_year.delay(YEAR, publish=True).get()
    assert result == {"year": YEAR, "localities": 1, "published": True}
    assert _national().uses_total == 130
    assert tasks.aggregate_year.acks_late and tasks.aggregate_year.max_retries == 5


def test_the_celery_task_does_not_retry_a_history_year():
    with pytest.raises(aggregation.HistoryYearError):
        tasks.aggregate_year.delay(2020).get()
