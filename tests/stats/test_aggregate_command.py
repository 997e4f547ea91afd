"""`manage.py aggregate_statistics --year YEAR [--publish] [--force]`: the aggregation's own code."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from stats.models import LocalityYear, NationalYear
from tests.stats.factories import ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("aggregate_statistics", *args, stdout=out)
    return out.getvalue()


def test_aggregates_the_year_without_publishing_it(locality):
    ReportFactory(round=RoundFactory(period_start=datetime.date(2025, 1, 1)), locality=locality, approved=True)
    output = _run("--year", "2025")
    year = NationalYear.objects.get(year=2025)
    assert year.uses_total == 130 and not year.is_published
    assert LocalityYear.objects.get().locality == locality
    assert "2025: 1 of" in output and "not published" in output


def test_publish(locality):
    _run("--year", "2025", "--publish")
    assert NationalYear.objects.get(year=2025).is_published


def test_refuses_a_history_year_without_force():
    before = NationalYear.objects.get(year=2019).uses_total
    with pytest.raises(CommandError, match="2019"):
        _run("--year", "2019")
    assert NationalYear.objects.get(year=2019).source == "published"
    _run("--year", "2019", "--force")
    year = NationalYear.objects.get(year=2019)
    assert year.source == "aggregated" and year.uses_total is None and before is not None


def test_year_is_required():
    with pytest.raises(CommandError):
        _run()
