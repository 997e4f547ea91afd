"""Statistics' URLs: the public statistics, their downloads and their open data are open to everybody (a
published year; any other year is 404 to everybody too)."""

from tests.security.authz import Case, public


def populate(world):
    import datetime

    from stats import aggregation
    from tests.stats.factories import ReportFactory, RoundFactory

    yearly = RoundFactory(period_start=datetime.date(2025, 1, 1))
    ReportFactory(round=yearly, locality=world.locality, approved=True)
    ReportFactory(round=yearly, locality=world.other_locality, status="draft")
    aggregation.aggregate_year(year=2025, publish=True)


CASES = [
    # 2023 is published history (from the data migration).
    Case("stats:public-download", public(200), kwargs=lambda w: {"year": 2023, "file_format": "csv"}),
    # Open data (DESIGN §6).
    Case("stats-api:national", public()),
    Case("stats-api:localities", public()),
]
