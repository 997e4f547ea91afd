"""Statistics' URLs: a locality's reports are its coordinators' and staff's (another locality's report is 404,
also when its id is put under one's own locality's address; so is the download of its reports); the public
statistics, their downloads and their open data are open to everybody (a published year; any other year is 404
to everybody too)."""

from tests.security.authz import REDIRECT, Case, public, scoped, staff_only


def populate(world):
    import datetime

    from stats import aggregation
    from tests.stats.factories import ReportFactory, RoundFactory

    yearly = RoundFactory(period_start=datetime.date(2025, 1, 1))
    world.report = ReportFactory(round=yearly, locality=world.locality, approved=True)
    world.other_report = ReportFactory(round=yearly, locality=world.other_locality, status="draft")
    aggregation.aggregate_year(year=2025, publish=True)


def _own(world, **extra):
    return {"slug": world.locality.slug, **extra}


CASES = [
    Case("stats:report-list", scoped(), kwargs=_own),
    Case("stats:report-edit", scoped(), kwargs=lambda w: _own(w, pk=w.report.pk)),
    # The coordinators' download of their locality's reports (every round and status).
    Case("stats:report-download", scoped(), kwargs=lambda w: _own(w, file_format="xlsx")),
    Case("stats:public-index", public()),
    Case("stats:public-year", public(), kwargs=lambda w: {"year": 2025}),
    # 2023 is published history (from the data migration).
    Case("stats:public-download", public(200), kwargs=lambda w: {"year": 2023, "file_format": "csv"}),
    # The staff workspace: national staff only (everybody else 404; staff without the second factor are sent to
    # set it up, tests/security/test_portal_requests.py).
    Case("stats:staff-rounds", staff_only()),
    Case("stats:staff-round", staff_only(), kwargs=lambda w: {"pk": w.report.round_id}),
    Case("stats:staff-round-remind", staff_only(REDIRECT), kwargs=lambda w: {"pk": w.report.round_id}, method="post"),
    Case("stats:staff-report", staff_only(), kwargs=lambda w: {"pk": w.other_report.pk}),
    Case("stats:staff-years", staff_only()),
    Case("stats:staff-year", staff_only(), kwargs=lambda w: {"year": 2025}),
    Case("stats:staff-year-aggregate", staff_only(REDIRECT), kwargs=lambda w: {"year": 2025}, method="post"),
    Case("stats:staff-year-publish", staff_only(), kwargs=lambda w: {"year": 2025}),
    # Open data (DESIGN §6).
    Case("stats-api:national", public()),
    Case("stats-api:localities", public()),
]
