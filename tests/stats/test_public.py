"""The public statistics pages: every published year with its trend chart and the latest year's splits,
a year's figures by locality with its completeness; numbers in the language's format in fi, sv and en;
unpublished years nowhere; the same number of queries for 5 and 50 localities; publishing reaches the cached
pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from localities.models import Locality
from stats import aggregation
from stats.models import LocalityYear, NationalYear
from tests.localities.factories import LocalityFactory
from tests.stats.factories import ReportFactory, RoundFactory
from tests.test_translations import english_msgids, walk

pytestmark = pytest.mark.django_db

INDEX = "/statistics/"


def _url(name: str, language: str = "fi", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _publish_2025(localities, **figures) -> NationalYear:
    yearly = RoundFactory(period_start=datetime.date(2025, 1, 1))
    for locality in localities:
        ReportFactory(round=yearly, locality=locality, approved=True, **figures)
    return aggregation.aggregate_year(year=2025, publish=True).national_year


@pytest.fixture
def published(locality, other_locality):
    """2025 published from two approved reports of 1 234 567 cards each; 2026 aggregated but not published."""
    Locality.objects.filter(pk__in=[locality.pk, other_locality.pk]).update(pilot_start_on=datetime.date(2020, 1, 1))
    _publish_2025([locality, other_locality], cards_registered=1_234_567)
    ReportFactory(round=RoundFactory(period_start=datetime.date(2026, 1, 1)), locality=locality, approved=True,
                  cards_registered=7_777_777)  # fmt: skip
    aggregation.aggregate_year(year=2026)


def test_the_urls():
    assert _url("stats:public-index") == INDEX
    assert _url("stats:public-year", year=2025) == "/statistics/2025/"
    assert _url("stats:public-year", "sv", year=2025) == "/sv/statistics/2025/"


def test_index_lists_every_published_year_newest_first(client, published):
    html = client.get(INDEX).content.decode()
    years = re.findall(r'<th scope="row"><a href="/statistics/(\d{4})/">', html)
    assert years == ["2025", *[str(year) for year in range(2023, 2014, -1)]]
    assert "2026" not in years and "7\xa0777\xa0777" not in html


@pytest.mark.parametrize(
    ("language", "number", "share", "history"),
    [
        ("fi", "2\xa0469\xa0134", "50,0\xa0%", "Julkaistu historia"),
        ("sv", "2\xa0469\xa0134", "50,0\xa0%", "Publicerad historik"),
        ("en", "2,469,134", "50.0\xa0%", "Published history"),
    ],
)
def test_index_in_each_language_with_its_number_format(client, published, language, number, share, history):
    response = client.get(_url("stats:public-index", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<td>{number}</td>" in html  # cards registered in 2025: two reports of 1 234 567
    assert history in html
    assert "<td>–</td>" in html  # the history's unknown localities


def test_index_has_an_accessible_trend_chart_and_the_splits(client, published):
    html = client.get(INDEX).content.decode()
    svgs = re.findall(r"<svg [^>]*>", html)
    assert len(svgs) == 3  # the trend, the sectors, adults and children
    for svg in svgs:
        assert 'role="img"' in svg and "aria-labelledby=" in svg
        for reference in re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split():
            assert f'id="{reference}"' in html
    trend = html[html.index('<svg class="chart chart-columns"') : html.index("</svg>")]
    assert "<title" in trend and "<desc" in trend
    assert trend.count('class="chart-bar"') == 10  # 2015-2023 and 2025
    # Coordinates are plain numbers, not in the Finnish format.
    assert not re.search(r'(?:x|y|width|height)="[^"]*,', html)
    assert "<script" not in html and "style=" not in html


def test_the_charts_columns_follow_the_figures(client, published):
    from stats.charts import column_chart

    chart = column_chart([("2024", 100), ("2025", None), ("2026", 50)])
    first, unknown, half = chart.columns
    assert unknown.height == 0 and unknown.value is None
    assert first.height == 2 * half.height
    assert chart.ticks[-1].value == 100


def test_year_page_with_localities_and_completeness(client, published, locality, other_locality):
    LocalityFactory(pilot_start_on=datetime.date(2024, 1, 1))  # running, did not report
    aggregation.aggregate_year(year=2025)
    html = client.get(_url("stats:public-year", year=2025)).content.decode()
    assert "Kajaani" in html and "Tornio" in html
    assert "2 paikkakunnan" in html and "66,7\xa0%" in html
    assert "<td>2 / 3</td>" in html  # localities reporting of those expected, as on the index
    assert "<td>2 / 3</td>" in client.get(_url("stats:public-index")).content.decode()
    assert html.count('<th scope="row">Kajaani</th>') == 1
    assert "/statistics/2025/download.csv" in html and "/statistics/2025/download.xlsx" in html
    assert "/api/v1/statistics/localities/?year=2025" in html


def test_year_page_of_history_says_there_are_no_locality_figures(client, published):
    html = client.get(_url("stats:public-year", "en", year=2020)).content.decode()
    assert "Figures by locality are not available" in html
    assert "published history" in html


@pytest.mark.parametrize("year", [2026, 1999])
def test_a_year_not_published_is_404(client, published, year):
    assert client.get(_url("stats:public-year", year=year)).status_code == 404


def test_without_published_years(client):
    NationalYear.objects.all().delete()
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "Tilastoja ei ole vielä julkaistu." in response.content.decode()


def _localities(count: int) -> list[Locality]:
    return [LocalityFactory(pilot_start_on=datetime.date(2020, 1, 1), municipalities=["205"]) for _ in range(count)]


@pytest.mark.parametrize("name", ["stats:public-index", "stats:public-year"])
def test_query_count_does_not_grow_with_the_localities(client, django_assert_num_queries, name):
    """5 and 50 reporting localities take the same number of queries (the cache is bypassed by a fresh
    rendering: each count is measured on a miss)."""
    kwargs = {"year": 2025} if name == "stats:public-year" else {}
    _publish_2025(_localities(5))
    with django_assert_num_queries(_count_queries(client, name, kwargs)) as few:
        _render(client, name, kwargs)
    LocalityYear.objects.all().delete()
    _publish_2025(_localities(45))
    aggregation.aggregate_year(year=2025)
    assert LocalityYear.objects.count() == 50
    with django_assert_num_queries(len(few.captured_queries)):
        _render(client, name, kwargs)


def _render(client, name, kwargs):
    from kaikukeskus import public_cache

    public_cache.bump()  # a miss: render the page
    assert client.get(_url(name, **kwargs)).status_code == 200


def _count_queries(client, name, kwargs) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _render(client, name, kwargs)
    return len(captured.captured_queries)


def test_publishing_reaches_the_cached_pages(client, published):
    assert "/statistics/2026/" not in client.get(INDEX).content.decode()
    assert client.get(INDEX)["Cache-Control"].startswith("public")  # cached now
    aggregation.year_publish(year=2026)
    assert "/statistics/2026/" in client.get(INDEX).content.decode()
    assert client.get(_url("stats:public-year", year=2026)).status_code == 200
    aggregation.year_unpublish(year=2026)
    assert "/statistics/2026/" not in client.get(INDEX).content.decode()
    assert client.get(_url("stats:public-year", year=2026)).status_code == 404


def test_navigation_links_the_statistics(client, published):
    html = client.get(INDEX).content.decode()
    assert '<a href="/statistics/" aria-current="page">Tilastot</a>' in html
    assert '<a href="/statistics/">Tilastot</a>' in client.get("/").content.decode()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_english_on_the_statistics_pages(client, published, language):
    pages = {
        "index": _url("stats:public-index", language),
        "year": _url("stats:public-year", language, year=2025),
        "history": _url("stats:public-year", language, year=2020),
    }
    with translation.override(language):
        assert walk(client, pages, language=language, msgids=english_msgids()) == {}


def test_the_sector_split_is_each_sectors_uses_and_share_of_the_known_uses():
    from stats.models import LocalityYear

    figures = LocalityYear(adult_culture=30, child_culture=10, adult_education=None, child_education=None)
    figures.adult_science, figures.child_science, figures.adult_sports, figures.child_sports = 40, None, 20, 0
    split = {row.sector: row for row in figures.sector_split()}
    assert (split["culture"].adult, split["culture"].child, split["culture"].total) == (30, 10, 40)
    assert split["education"].total is None and split["education"].share is None
    assert split["culture"].share == 40 and split["science"].share == 40 and split["sports"].share == 20
    assert str(split["sports"].label)
