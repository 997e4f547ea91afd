"""The published year's table for download: CSV and XLSX, the national row and one row per locality, in the
reader's language; a year that is not published is not there."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from stats import exports
from stats.models import FIGURES, NationalYear
from tests.localities.factories import LocalityFactory
from tests.stats.factories import LocalityYearFactory, NationalYearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    national_year = NationalYearFactory(year=2031)
    LocalityYearFactory(
        national_year=national_year, locality=LocalityFactory(name_fi="Kajaani", name_en="", slug="kajaani")
    )
    LocalityYearFactory(
        national_year=national_year,
        locality=LocalityFactory(name_fi="=Ahtäri", name_sv="=Etseri", name_en="", slug="ahtari"),
        cards_registered=600,
        adult_culture=None,
    )
    return national_year


def download(client, year: int, file_format: str, language: str = "fi"):
    with translation.override(language):
        return client.get(reverse("stats:public-download", kwargs={"year": year, "file_format": file_format}))


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_year_rows_have_the_national_row_then_every_locality(year):
    with translation.override("en"):
        table = exports.year_rows(2031)
    assert [row[:2] for row in table.rows] == [["Whole country", ""], ["=Ahtäri", "ahtari"], ["Kajaani", "kajaani"]]
    assert table.rows[0][2 : 2 + len(FIGURES)] == [getattr(year, name) for name in FIGURES]
    assert table.rows[0][exports.FIGURE_COLUMNS.index("uses_total") + 2] == year.total_uses == 11000
    assert table.rows[1][exports.FIGURE_COLUMNS.index("adult_culture") + 2] is None
    assert len(table.header) == len(table.rows[0]) == 2 + len(FIGURES) + 4


def test_year_rows_take_two_queries_whatever_the_number_of_localities(year, django_assert_num_queries):
    LocalityYearFactory.create_batch(20, national_year=year)
    with django_assert_num_queries(2):
        assert len(exports.year_rows(2031).rows) == 23


def test_unpublished_year_has_no_rows():
    NationalYearFactory(year=2032, published_at=None)
    with pytest.raises(NationalYear.DoesNotExist):
        exports.year_rows(2032)


def test_csv_download_in_finnish_neutralises_formulas(client, year):
    response = download(client, 2031, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kaikukortti-statistics-2031.csv"'
    rows = read_csv(response)
    assert rows[0][:4] == ["Paikkakunta", "Tunniste", "Rekisteröidyt kortit", "Käyttöönotetut kortit"]
    assert rows[1][:3] == ["Koko maa", "", "1200"]
    assert rows[2][:2] == ["'=Ahtäri", "ahtari"]
    assert rows[2][2 + FIGURES.index("adult_culture")] == ""
    assert rows[3][-4:] == ["5500", "6", "20", "45"]


def test_xlsx_download_in_swedish_has_numbers_and_no_formulas(client, year):
    response = download(client, 2031, "xlsx", language="sv")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "2031"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Ort", "Identifierare", "Registrerade kort"]
    assert rows[1][:3] == ["Hela landet", None, 1200]
    assert rows[2][:2] == ["'=Etseri", "ahtari"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_published_history_year_downloads_with_its_national_row_only(client):
    rows = read_csv(download(client, 2023, "csv", language="en"))
    assert rows[0][0] == "Locality" and [row[0] for row in rows[1:]] == ["Whole country"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_unpublished_or_unknown_year_is_404(client, file_format):
    NationalYearFactory(year=2032, published_at=None)
    assert download(client, 2032, file_format).status_code == 404
    assert download(client, 1999, file_format).status_code == 404


def test_unknown_format_is_404(client, year):
    assert download(client, 2031, "ods").status_code == 404


def test_download_is_served_from_the_public_cache_until_the_year_changes(client, year, django_assert_num_queries):
    first = download(client, 2031, "csv")
    with django_assert_num_queries(0):
        assert download(client, 2031, "csv").content == first.content
    year.cards_registered = 1300
    year.save()
    assert read_csv(download(client, 2031, "csv"))[1][2] == "1300"
