import datetime
import itertools

import pytest
from django.core.management import call_command
from django.utils import timezone

from localities.models import Locality
from stats import services
from stats.demo import YEARS, demo_figures
from stats.models import FIGURES, LocalityReport, NationalYear, ReportEvent, ReportingRound

pytestmark = pytest.mark.django_db
Status = LocalityReport.Status


def _snapshot() -> list[tuple]:
    reports = LocalityReport.objects.order_by("pk").values_list("pk", "status", "version", *FIGURES, "submitted_at")
    years = NationalYear.objects.order_by("year").values_list("year", "source", "published_at", *FIGURES)
    counts = (ReportEvent.objects.count(), LocalityReport.history.count(), ReportingRound.objects.count())
    return [*reports, *years, counts]


def test_demo_has_a_round_a_year_and_every_status_of_the_workflow(demo_data):
    today = timezone.localdate()
    rounds = ReportingRound.objects.order_by("period_start")
    assert [r.period_start for r in rounds] == [
        datetime.date(y, 1, 1) for y in range(today.year - YEARS, today.year + 1)
    ]
    assert [r.status for r in rounds] == ["closed"] * YEARS + ["open"]
    assert set(LocalityReport.objects.values_list("status", flat=True)) == set(Status.values)
    for reporting_round in rounds:
        expected = Locality.objects.running_during(reporting_round.period_start, reporting_round.period_end)
        assert set(reporting_round.reports.values_list("locality", flat=True)) == set(
            expected.values_list("pk", flat=True)
        )
    # Most past reports are approved; the current year's are drafts, some half filled in.
    past = LocalityReport.objects.exclude(round__status="open")
    assert past.approved().count() > past.count() / 2
    assert set(LocalityReport.objects.filter(round__status="open").values_list("status", flat=True)) == {"draft"}
    assert LocalityReport.objects.filter(status="draft", cards_registered__isnull=False).exists()


def test_demo_reports_in_review_are_explained_returned_with_a_comment_and_reopened_until_a_day(demo_data):
    today = timezone.localdate()
    submitted = LocalityReport.objects.get(status=Status.SUBMITTED)
    findings = services.report_findings(submitted)
    assert findings.warnings and not findings.errors
    assert not findings.unexplained(submitted.explanations)
    returned = LocalityReport.objects.get(status=Status.RETURNED)
    assert returned.return_comment and returned.editable_by_coordinators()
    assert returned.events.filter(action="returned", comment=returned.return_comment).exists()
    reopened = LocalityReport.objects.get(status=Status.REOPENED)
    assert reopened.reopened_until > today and reopened.reopen_reason
    assert reopened.editable_by_coordinators() and not reopened.editable_by_coordinators(
        reopened.reopened_until + datetime.timedelta(days=1)
    )
    # Times are as they would have been, not the moment the seed ran.
    for report in LocalityReport.objects.exclude(first_submitted_at=None):
        assert report.first_submitted_at.date() > report.round.period_end
        assert report.first_submitted_at.date() < today


def test_demo_breakdowns_add_up_and_approved_reports_pass_the_submit_rules(demo_data):
    with_breakdowns = LocalityReport.objects.filter(
        venue_figures__isnull=False, issuer_figures__isnull=False
    ).distinct()
    assert with_breakdowns.count() >= 2
    for report in LocalityReport.objects.approved():
        findings = services.report_findings(report)
        assert not findings.errors, (report, findings.errors)
        assert not findings.unexplained(report.explanations), report


def test_demo_figures_grow_year_on_year_and_are_the_same_on_every_run(demo_data):
    kainuu = Locality.objects.get(slug="kainuu")
    kainuu.municipalities_count = kainuu.municipalities.count()
    years = [demo_figures(kainuu, year) for year in range(2020, 2026)]
    assert years == [demo_figures(kainuu, year) for year in range(2020, 2026)]
    for before, after in itertools.pairwise(years):
        assert after["cards_registered"] > before["cards_registered"]
        assert sum(after[name] for name in FIGURES[2:]) > sum(before[name] for name in FIGURES[2:])


def test_demo_statistics_are_idempotent(demo_data):
    before = _snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == before


def test_scale_adds_the_national_localities_reports_approved_as_the_services_leave_them():
    call_command("seed_demo", scale=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    national = LocalityReport.objects.filter(locality__slug__startswith="kunta-")
    past = national.exclude(round__status="open")
    assert past.count() >= 9
    assert set(past.values_list("status", flat=True)) == {"approved"}
    assert set(national.filter(round__status="open").values_list("status", flat=True)) == {"draft"}
    for report in past.select_related("round", "locality"):
        assert report.version == 3 and report.submitted_by_id and report.reviewed_by_id
        assert list(report.events.values_list("action", flat=True)) == ["submitted", "approved"]
        assert report.history.count() == 1
        assert report.venues and report.municipalities == 1
        findings = services.report_findings(report)
        assert not findings.errors and not findings.unexplained(report.explanations)
    before = _snapshot()
    call_command("seed_demo", scale=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == before


def test_demo_past_years_after_the_history_are_aggregated_and_published_once_reviewed(demo_data):
    today = timezone.localdate()
    aggregated = NationalYear.objects.filter(source="aggregated").order_by("year")
    assert [year.year for year in aggregated] == [year for year in range(today.year - YEARS, today.year) if year > 2023]
    for national_year in aggregated:
        assert national_year.uses_total > 0
        assert 0 < national_year.localities <= national_year.localities_expected
        assert national_year.locality_years.count() == national_year.localities
        # Last year's reports are still in review: staff see its completeness, visitors do not see it yet (the
        # year before was published before one of its reports was reopened).
        reports = LocalityReport.objects.within_year(national_year.year)
        in_review = reports.filter(status__in=["draft", "submitted", "returned"]).exists()
        assert national_year.is_published == (not in_review)
    assert NationalYear.objects.filter(source="published", year__lte=2023).count() == 9


def test_demo_published_years_continue_the_history_in_the_open_data(demo_data, client):
    today = timezone.localdate()
    national = client.get("/api/v1/statistics/national/").json()
    by_year = {row["year"]: row for row in national["results"]}
    published = by_year[today.year - 2]
    assert published["source"] == "aggregated"
    # The demo's figures carry on from the published history's last year, growing.
    assert by_year[2023]["uses_total"] < published["uses_total"] < 2 * by_year[2023]["uses_total"]
    localities = client.get(f"/api/v1/statistics/localities/?year={today.year - 2}").json()
    assert {"kainuu", "tornio", "vaasa"} <= {row["locality"] for row in localities["results"]}


def test_demo_public_statistics_pages_show_the_published_year_and_its_localities(demo_data, client):
    year = timezone.localdate().year - 2
    index = client.get("/statistics/")
    assert index.status_code == 200 and f"/statistics/{year}/" in index.content.decode()
    page = client.get(f"/statistics/{year}/").content.decode()
    for name in ("Kainuu", "Tornio", "Vaasa"):
        assert name in page
    assert client.get(f"/statistics/{year + 1}/").status_code == 404  # in review: not published yet
