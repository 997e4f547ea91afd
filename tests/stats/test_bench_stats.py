"""The statistics benchmark's generator and comparison at a tiny size (the speed is measured by `make bench`)."""

import pytest

from bench.bench_stats import bare_group_by, compare_aggregation, statistics_urls
from bench.stats_data import SLUG_PREFIX, database_url, generate
from stats import services
from stats.models import FIGURES, USE_FIELDS, LocalityReport, ReportingRound, VenueFigure

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    return generate(localities=3, years=2, venues=5, last_year=2025)


def test_generator_writes_localities_times_years_times_months_reports_with_their_venue_rows(generated):
    assert (generated.localities, generated.rounds, generated.reports, generated.venue_rows) == (3, 24, 72, 360)
    assert (generated.first_year, generated.last_year) == (2024, 2025)
    reports = LocalityReport.objects.filter(locality__slug__startswith=SLUG_PREFIX)
    assert reports.count() == 72 and VenueFigure.objects.filter(report__in=reports).count() == 360
    assert ReportingRound.objects.filter(period_start__year=2025).count() == 12
    assert set(reports.values_list("status", flat=True)) == {"approved", "submitted"}
    assert reports.filter(status="submitted").count() < 72 / 10


def test_generated_reports_pass_the_submit_rules_and_their_uses_are_the_venue_rows_sums(generated):
    for report in LocalityReport.objects.filter(locality__slug__startswith=SLUG_PREFIX).order_by("pk")[:12]:
        findings = services.report_findings(report)
        assert not findings.errors, findings.errors
        rows = list(report.venue_figures.all())
        assert len(rows) == 5 and report.venues == 5
        for name in USE_FIELDS:
            age, sector = name.split("_")
            assert getattr(report, name) == sum(getattr(row, age) for row in rows if row.sector == sector)
        assert 0 < report.cards_activated <= report.cards_registered


def test_generated_figures_grow_from_year_to_year(generated):
    yearly = {
        year: sum(sum(getattr(r, name) for name in FIGURES[2:]) for r in LocalityReport.objects.within_year(year))
        for year in (2024, 2025)
    }
    assert yearly[2025] > yearly[2024] > 0


def test_aggregation_and_the_bare_group_by_agree_on_the_same_rows(generated):
    rows = bare_group_by(2025)
    assert len(rows) == 3
    assert sum(row[-1] for row in rows) == LocalityReport.objects.approved().within_year(2025).count()
    compared = compare_aggregation(2025, repeats=1)
    assert compared["sums_agree"] and compared["localities"] == 3 and compared["ratio"] > 0


def test_statistics_urls_are_the_ones_that_exist_and_the_database_url_names_the_current_database():
    for url in statistics_urls(2025):
        assert "statistics" in url
    assert database_url().endswith(str(__import__("django.db").db.connection.settings_dict["NAME"]))


def test_the_pdf_is_timed_cold_in_each_language(generated):
    from bench.bench_stats import time_pdf
    from stats import aggregation

    aggregation.aggregate_year(year=2025, publish=True)
    timed = time_pdf(2025)
    assert set(timed["seconds"]) == {"fi", "sv", "en"} and timed["bytes"] > 1000
