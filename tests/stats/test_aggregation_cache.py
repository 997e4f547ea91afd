import datetime

import pytest

from kaikukeskus import public_cache
from stats import aggregation
from stats.models import LocalityYear
from tests.localities.factories import LocalityFactory
from tests.stats.factories import ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_aggregating_again_tells_the_public_cache_once_whatever_the_number_of_localities(monkeypatch):
    """Replacing a year's locality rows sent a signal per row, and each told the shared cache (bench_stats: ten
    times the aggregation's own time at 300 localities)."""
    reporting_round = RoundFactory()
    for _ in range(6):
        ReportFactory(
            round=reporting_round, locality=LocalityFactory(pilot_start_on=datetime.date(2020, 1, 1)), approved=True
        )
    aggregation.aggregate_year(year=2025)
    calls = []
    monkeypatch.setattr(public_cache, "data_changed", lambda: calls.append("changed"))
    aggregation.aggregate_year(year=2025)
    assert LocalityYear.objects.filter(national_year__year=2025).count() == 6
    assert len(calls) <= 2
