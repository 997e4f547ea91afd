"""The statistics' open data (DESIGN §6): published years only, the locality figures of approved reports only
(never a coordinator's draft), JSON and CSV with the contract's field names."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from localities.models import Municipality
from stats import aggregation
from stats.models import FIGURES, NationalYear
from tests.stats.factories import ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db

NATIONAL = "/api/v1/statistics/national/"
LOCALITIES = "/api/v1/statistics/localities/"
NATIONAL_FIELDS = [
    "year",
    "source",
    "cards_registered",
    "cards_activated",
    "adult_culture",
    "adult_education",
    "adult_science",
    "adult_sports",
    "child_culture",
    "child_education",
    "child_science",
    "child_sports",
    "uses_total",
    "municipalities",
    "localities",
    "issuers",
    "venues",
]


@pytest.fixture
def published_2025(locality, other_locality):
    """2025 aggregated and published from two approved reports; a draft and a submitted report of 2025 and an
    approved report of the unpublished 2026 stay out of the open data."""
    locality.municipalities.set(Municipality.objects.filter(code__in=["205", "765"]))
    other_locality.municipalities.set(Municipality.objects.filter(code="851"))
    yearly = RoundFactory(period_start=datetime.date(2025, 1, 1))
    ReportFactory(round=yearly, locality=locality, approved=True, cards_registered=111)
    ReportFactory(round=yearly, locality=other_locality, approved=True, cards_registered=222)
    half = RoundFactory(period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 6, 30))
    ReportFactory(round=half, locality=locality, status="draft", cards_registered=99_999)
    ReportFactory(round=half, locality=other_locality, status="submitted", cards_registered=88_888)
    aggregation.aggregate_year(year=2025, publish=True)
    ReportFactory(round=RoundFactory(period_start=datetime.date(2026, 1, 1)), locality=locality, approved=True)
    aggregation.aggregate_year(year=2026)


def test_the_urls_are_the_contracts():
    assert reverse("stats-api:national") == NATIONAL
    assert reverse("stats-api:localities") == LOCALITIES


def test_national_lists_the_published_years_with_the_contracts_fields(client, published_2025):
    body = client.get(NATIONAL).json()
    years = [row["year"] for row in body["results"]]
    assert years == [*range(2015, 2024), 2025]  # the history, then 2025; 2026 is not published
    assert body["count"] == len(years)
    assert all(list(row) == NATIONAL_FIELDS for row in body["results"])
    history = body["results"][0]
    assert history["source"] == "published" and history["localities"] is None and history["issuers"] is None
    row = body["results"][-1]
    assert row["source"] == "aggregated"
    assert row["cards_registered"] == 333
    assert row["uses_total"] == 260
    assert (row["localities"], row["municipalities"]) == (2, 3)


def test_national_matches_the_stored_years(client, published_2025):
    for row in client.get(NATIONAL).json()["results"]:
        year = NationalYear.objects.get(year=row["year"])
        assert row["uses_total"] == year.uses_total
        assert {name: row[name] for name in FIGURES} == year.figures()


def test_an_unpublished_year_leaves_the_open_data(client, published_2025):
    aggregation.year_unpublish(year=2025)
    assert 2025 not in [row["year"] for row in client.get(NATIONAL).json()["results"]]
    assert client.get(LOCALITIES, {"year": "2025"}).status_code == 404


def test_localities_of_a_year_are_the_approved_figures(client, published_2025, locality, other_locality):
    body = client.get(LOCALITIES, {"year": "2025"}).json()
    assert body["count"] == 2
    rows = {row["locality"]: row for row in body["results"]}
    assert rows["kajaani"]["cards_registered"] == 111
    assert rows["tornio"]["cards_registered"] == 222
    assert rows["kajaani"]["locality_name_sv"] == "Kajana"
    assert list(rows["kajaani"])[:5] == ["year", "locality", "locality_name_fi", "locality_name_sv", "locality_name_en"]
    assert list(rows["kajaani"])[5:] == [*NATIONAL_FIELDS[2:13], "municipalities", "issuers", "venues"]
    # The draft's and the submitted report's figures are nowhere.
    assert "99999" not in client.get(LOCALITIES).content.decode()
    assert "88888" not in client.get(LOCALITIES).content.decode()


def test_localities_without_a_year_lists_every_published_year(client, published_2025):
    body = client.get(LOCALITIES).json()
    assert {row["year"] for row in body["results"]} == {2025}  # 2026 is not published


@pytest.mark.parametrize("year", ["2026", "1999"])
def test_localities_of_a_year_not_published_is_404(client, published_2025, year):
    response = client.get(LOCALITIES, {"year": year})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("year", ["x", "20251", "-1", ""])
def test_localities_of_something_not_a_year_is_400(client, published_2025, year):
    response = client.get(LOCALITIES, {"year": year})
    assert response.status_code == 400
    assert list(response.json()["parameters"]) == ["year"]


def test_a_history_year_has_no_locality_rows(client, published_2025):
    body = client.get(LOCALITIES, {"year": "2020"}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_national_as_csv(client, published_2025):
    response = client.get(NATIONAL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="kaikukortti-statistics-national.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == NATIONAL_FIELDS
    last = dict(zip(rows[0], rows[-1], strict=True))
    assert last["year"] == "2025" and last["cards_registered"] == "333"
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["year"] == "2015" and first["localities"] == ""  # unknown: an empty cell


def test_localities_as_csv(client, published_2025):
    response = client.get(LOCALITIES, {"year": "2025", "format": "csv"})
    assert 'filename="kaikukortti-statistics-localities-2025.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[1] for row in rows[1:]] == ["kajaani", "tornio"]


def test_publishing_reaches_the_cached_api(client, published_2025):
    before = client.get(NATIONAL).json()
    assert client.get(NATIONAL).json() == before  # served from the public cache now
    aggregation.year_publish(year=2026)
    assert [row["year"] for row in client.get(NATIONAL).json()["results"]][-1] == 2026
