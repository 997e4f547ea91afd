"""Completeness and timeliness per round: expected, on time, late, imported, missing (the selector the rounds'
admin shows)."""

import datetime
import zoneinfo

import pytest

from stats import selectors
from stats.models import LocalityReport
from tests.stats.factories import ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db

S = LocalityReport.Status
HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI)


def test_counts_by_first_submission_against_the_due_date_in_local_time():
    reporting_round = RoundFactory()
    due = reporting_round.due_on
    # 23:30 on the due date in Helsinki is 21:30 UTC: on time, although UTC has the same date only by luck.
    ReportFactory(round=reporting_round, status=S.SUBMITTED, first_submitted_at=_at(due, 23))
    ReportFactory(round=reporting_round, status=S.APPROVED, first_submitted_at=_at(due - datetime.timedelta(days=9), 9))
    # Just past midnight in Helsinki on the day after (still the due date in UTC): late.
    ReportFactory(
        round=reporting_round, status=S.SUBMITTED, first_submitted_at=_at(due + datetime.timedelta(days=1), 1)
    )
    # Returned and not yet sent again: its first submission counts.
    ReportFactory(round=reporting_round, status=S.RETURNED, first_submitted_at=_at(due + datetime.timedelta(days=3), 9))
    ReportFactory(round=reporting_round, status=S.APPROVED)  # imported
    ReportFactory(round=reporting_round, status=S.DRAFT)
    ReportFactory(round=reporting_round, status=S.DRAFT)
    ReportFactory(round=RoundFactory(period_start=datetime.date(2024, 1, 1)), status=S.DRAFT)  # another round

    completeness = selectors.round_completeness(reporting_round)
    assert completeness == selectors.Completeness(expected=7, on_time=2, late=2, imported=1, missing=2)
    assert completeness.reported == 5
    # The same numbers for a list of rounds, in one query.
    row = selectors.rounds_with_completeness().get(pk=reporting_round.pk)
    assert (row.expected, row.on_time, row.late, row.imported, row.missing) == (7, 2, 2, 1, 2)
    # The model's own rule agrees with the SQL.
    by_rule = [report.is_submitted_on_time for report in reporting_round.reports.all()]
    assert by_rule.count(True) == 2 and by_rule.count(False) == 2


def test_rounds_list_is_one_query(django_assert_num_queries):
    for year in range(2019, 2025):
        ReportFactory(round=RoundFactory(period_start=datetime.date(year, 1, 1)))
    with django_assert_num_queries(1):
        rows = list(selectors.rounds_with_completeness())
    assert len(rows) == 6 and all(row.expected == 1 and row.missing == 1 for row in rows)


def test_a_planned_round_expects_the_localities_its_opening_will_ask(staff):
    """Before it opens a round has no reports; it still expects those running during its period (not 0)."""
    from localities.models import Locality
    from stats import services
    from stats.models import ReportingRound
    from tests.localities.factories import LocalityFactory

    planned = RoundFactory(period_start=datetime.date(2025, 1, 1), status=ReportingRound.Status.PLANNED)
    LocalityFactory(pilot_start_on=datetime.date(2024, 3, 1))
    LocalityFactory(pilot_start_on=datetime.date(2025, 11, 1))
    LocalityFactory(pilot_start_on=datetime.date(2026, 1, 1))  # starts after the period
    LocalityFactory(status=Locality.Status.PREPARING, pilot_start_on=None)
    LocalityFactory(
        status=Locality.Status.ENDED, pilot_start_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2024, 12, 31)
    )

    assert selectors.rounds_with_completeness().get(pk=planned.pk).expected == 2
    assert selectors.round_completeness(planned) == selectors.Completeness(
        expected=2, on_time=0, late=0, imported=0, missing=0, planned=True
    )
    # Opening makes exactly those reports, and the count stays.
    assert services.round_open(actor=staff, reporting_round=planned) == 2
    planned.refresh_from_db()
    assert selectors.round_completeness(planned) == selectors.Completeness(
        expected=2, on_time=0, late=0, imported=0, missing=2
    )
