"""The coordinators' download of their own locality's reports: every round and status of their locality, the
admin export's columns, CSV and XLSX; another locality's is 404 (also its drafts never appear)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from stats.models import LocalityReport
from stats.resources import COLUMNS
from tests.stats.factories import ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db


def _url(locality, file_format):
    return reverse("stats:report-download", kwargs={"slug": locality.slug, "file_format": file_format})


@pytest.fixture
def reports(locality, other_locality):
    own = [
        ReportFactory(locality=locality, round=RoundFactory(title="2025"), approved=True),
        ReportFactory(locality=locality, round=RoundFactory(title="=2024", period_start=datetime.date(2024, 1, 1))),
    ]
    ReportFactory(locality=other_locality, round=own[0].round, cards_registered=987654)
    return own


def test_csv_has_the_columns_and_only_the_own_localitys_reports(coordinator_client, locality, reports):
    response = coordinator_client.get(_url(locality, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="kaikukortti-reports-{locality.slug}-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(COLUMNS)
    assert len(lines) == 3
    # Newest round first, as in the portal's list of reports.
    assert lines[1].endswith(";2025;approved")
    assert lines[2].startswith("kajaani;2024-01-01;2024-12-31;100;") and lines[2].endswith(";'=2024;draft")
    assert "987654" not in response.content.decode()


def test_xlsx(coordinator_client, locality, reports):
    response = coordinator_client.get(_url(locality, "xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert list(rows[0]) == list(COLUMNS) and len(rows) == 3


def test_the_portal_list_links_the_downloads(coordinator_client, locality, reports):
    response = coordinator_client.get(reverse("stats:report-list", kwargs={"slug": locality.slug}))
    assert _url(locality, "xlsx") in response.content.decode() and _url(locality, "csv") in response.content.decode()


def test_another_locality_or_format_is_404(coordinator_client, other_locality, locality, reports):
    assert coordinator_client.get(_url(other_locality, "csv")).status_code == 404
    assert coordinator_client.get(_url(locality, "pdf")).status_code == 404


def test_staff_download_any_locality(staff_client, other_locality, reports):
    response = staff_client.get(_url(other_locality, "csv"))
    assert response.status_code == 200 and "987654" in response.content.decode()


def test_query_count_does_not_grow_with_the_reports(coordinator_client, locality, django_assert_max_num_queries):
    for year in range(2000, 2040):
        ReportFactory(locality=locality, round=RoundFactory(period_start=datetime.date(year, 1, 1)))
    assert LocalityReport.objects.count() == 40
    with django_assert_max_num_queries(12):
        assert coordinator_client.get(_url(locality, "csv")).status_code == 200
