"""`/api/v1/venues/`: paged JSON, the whole filtered list as CSV with the columns of DESIGN §6, flat queries, and
answers that depend on nothing but the address."""

import csv
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from kaikukeskus.api import Pages
from networks.models import Partner
from tests.networks.factories import PartnerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/venues/"
# DESIGN §6: the CSV columns (and the JSON fields) in this order.
CSV_HEADER = (
    "id,locality,name,parent_organisation,municipality,municipality_name_fi,municipality_name_sv,address,website,"
    "sector,category,offer_fi,offer_sv,offer_en,joined_on,accessibility"
)
CSV_COLUMNS = CSV_HEADER.split(",")


def csv_rows(response) -> tuple[str, list[dict]]:
    """The header line as sent, and the rows."""
    text = response.getvalue().decode()
    return text.splitlines()[0], list(csv.DictReader(io.StringIO(text)))


def test_venue_list_is_paged_and_keeps_count_and_results(client, locality, other_locality):
    PartnerFactory.create_batch(102, locality=locality)
    PartnerFactory(locality=other_locality)
    first = client.get(URL).json()
    assert list(first) == ["count", "next", "previous", "results"]
    assert (first["count"], len(first["results"]), first["previous"]) == (103, 100, None)
    assert first["next"] == "http://testserver/api/v1/venues/?page=2"
    second = client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (3, None)
    assert second["previous"] == "http://testserver/api/v1/venues/"
    ids = [venue["id"] for venue in first["results"] + second["results"]]
    assert sorted(ids) == sorted(Partner.objects.values_list("pk", flat=True))


def test_page_size_is_chosen_up_to_a_limit(client, locality):
    PartnerFactory.create_batch(3, locality=locality)
    page = client.get(URL, {"locality": locality.slug, "page_size": 2}).json()
    assert (page["count"], len(page["results"])) == (3, 2)
    assert page["next"] == f"http://testserver/api/v1/venues/?locality={locality.slug}&page=2&page_size=2"
    assert Pages.max_page_size == 1000
    assert client.get(URL, {"page_size": 1000}).status_code == 200
    # Above the limit the schema documents: refused, not silently cut.
    response = client.get(URL, {"page_size": 1001})
    assert response.status_code == 400
    assert list(response.json()["parameters"]) == ["page_size"]


def test_page_out_of_range_is_404_in_json(client, locality):
    PartnerFactory(locality=locality)
    response = client.get(URL, {"page": 2})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_csv_is_the_whole_filtered_list_in_the_contract_columns(client, locality, other_locality):
    PartnerFactory.create_batch(101, locality=locality)
    PartnerFactory(locality=other_locality, name="Vieras")
    response = client.get(URL, {"locality": locality.slug, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="kaikukortti-venues-{locality.slug}.csv"'
    header, rows = csv_rows(response)
    assert header == CSV_HEADER
    assert len(rows) == 101 and {row["locality"] for row in rows} == {locality.slug}
    everything = client.get(URL, {"format": "csv"})
    assert everything["Content-Disposition"] == 'attachment; filename="kaikukortti-venues.csv"'
    assert len(csv_rows(everything)[1]) == 102


def test_csv_of_nothing_still_has_the_header(client, locality):
    header, rows = csv_rows(client.get(URL, {"locality": locality.slug, "format": "csv"}))
    assert (header, rows) == (CSV_HEADER, [])


def test_json_fields_are_the_csv_columns_in_the_same_order(client, locality):
    PartnerFactory(locality=locality)
    assert list(client.get(URL).json()["results"][0]) == CSV_COLUMNS


@pytest.mark.parametrize("query", [{"locality": "ei-ole"}, {"locality": "ei-ole", "format": "csv"}])
def test_unknown_locality_is_404_in_json_even_when_csv_was_asked(client, locality, query):
    response = client.get(URL, query)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Content-Disposition" not in response


def _queries(client, django_assert_num_queries, query: dict, expected: int) -> None:
    with django_assert_num_queries(expected):
        assert client.get(URL, query).status_code == 200


@pytest.mark.parametrize("venues", [5, 50])
def test_queries_do_not_grow_with_the_venues(client, locality, venues, django_assert_num_queries):
    PartnerFactory.create_batch(venues, locality=locality)
    _queries(client, django_assert_num_queries, {}, 3)  # the public data version (changed by the venues), count, page
    _queries(client, django_assert_num_queries, {"format": "csv"}, 1)
    # the locality (and what its page shows), count, page
    _queries(client, django_assert_num_queries, {"locality": locality.slug}, 4)


def test_answers_depend_on_nothing_but_the_address(client, coordinator, password, locality):
    """No session or cookie is read: a logged-in coordinator gets the anonymous answer, which varies on no
    cookie and sets none."""
    PartnerFactory(locality=locality)
    anonymous = client.get(URL)
    assert "Cookie" not in anonymous.get("Vary", "") and not anonymous.cookies
    assert client.login(email=coordinator.email, password=password)
    logged_in = client.get(URL)
    assert logged_in.content == anonymous.content
    assert "Cookie" not in logged_in.get("Vary", "") and not logged_in.cookies


def test_head_and_options_answer_and_writes_are_refused(client, locality):
    PartnerFactory(locality=locality)
    head = client.head(URL)
    assert (head.status_code, head.content) == (200, b"")
    csv_head = client.head(URL, {"format": "csv"})  # the CSV's file: its length, no body
    assert (csv_head.status_code, csv_head.getvalue()) == (200, b"")
    assert int(csv_head["Content-Length"]) == len(client.get(URL, {"format": "csv"}).getvalue())
    assert client.options(URL)["Access-Control-Allow-Origin"] == "*"
    before = list(Partner.objects.values_list("pk", "name"))
    for method in (client.post, client.put, client.patch, client.delete):
        response = method(URL, {"name": "Uusi"}, content_type="application/json")
        assert response.status_code == 405, method
    assert list(Partner.objects.values_list("pk", "name")) == before


def test_url_name_is_kept(client):
    assert reverse("networks-api:venues") == URL


# --- The whole CSV, written once per public data version (kaikukeskus/open_data_files.py) ----------------------


def _tricky_venues(locality) -> None:
    PartnerFactory(locality=locality, name='=HYPERLINK("x")', address="Katu 1,\nA 2", parent_organisation="")
    PartnerFactory(locality=locality, name='Åbo "svenska" teatern', website="", category="")
    PartnerFactory(locality=locality, name="Kohde ääkköset", offer_en="+ tax; -10 %")


def test_whole_csv_from_its_file_is_byte_for_byte_the_rendered_one(client, locality):
    """The one locality's list is rendered as before (a filter); with every venue in that locality the whole
    list, served from its file, must be the same bytes."""
    _tricky_venues(locality)
    rendered = client.get(URL, {"locality": locality.slug, "format": "csv"})
    served = client.get(URL, {"format": "csv"})
    assert served.streaming and not rendered.streaming
    assert served.getvalue() == rendered.content
    assert served["Content-Type"] == rendered["Content-Type"] == "text/csv; charset=utf-8"
    assert served["Content-Disposition"] == 'attachment; filename="kaikukortti-venues.csv"'
    assert served["Access-Control-Allow-Origin"] == "*"
    # The CSV ignores pages, as before: the same file.
    assert client.get(URL, {"format": "csv", "page": 3, "page_size": 5}).getvalue() == rendered.content


def test_whole_csv_is_written_once_per_data_version(client, locality, django_assert_num_queries):
    PartnerFactory.create_batch(3, locality=locality)
    first = client.get(URL, {"format": "csv"})
    content = first.getvalue()
    assert content.count(b"\r\n") == 4  # the header and 3 venues
    with django_assert_num_queries(0):  # no partner rows read: the version is known, the file is there
        second = client.get(URL, {"format": "csv"})
        assert second.getvalue() == content
    assert second["ETag"] == first["ETag"]
    with django_assert_num_queries(0):
        assert client.get(URL, {"format": "csv"}, headers={"If-None-Match": first["ETag"]}).status_code == 304

    PartnerFactory(locality=locality, name="Uusi")  # public data changes: a new version, a new file
    third = client.get(URL, {"format": "csv"})
    assert third["ETag"] != first["ETag"]
    assert "Uusi" in {row["name"] for row in csv_rows(third)[1]}
    folders, _files = default_storage.listdir("open-data")
    assert [name for folder in folders for name in default_storage.listdir(f"open-data/{folder}")[1]] == [
        "kaikukortti-venues-fi.csv"
    ]  # the older version's file is removed


def test_whole_csv_file_is_renamed_into_place_on_disk(client, locality, settings, tmp_path):
    """On disk the file is written under a temporary name and renamed, so a download never reads half of it; the
    older version's folder goes when a new one is written."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    _tricky_venues(locality)
    rendered = client.get(URL, {"locality": locality.slug, "format": "csv"}).content
    assert client.get(URL, {"format": "csv"}).getvalue() == rendered
    (old,) = (tmp_path / "open-data").iterdir()
    assert [path.name for path in old.iterdir()] == ["kaikukortti-venues-fi.csv"]
    PartnerFactory(locality=locality)
    assert len(csv_rows(client.get(URL, {"format": "csv"}))[1]) == 4
    (new,) = (tmp_path / "open-data").iterdir()
    assert new != old and [path.name for path in new.iterdir()] == ["kaikukortti-venues-fi.csv"]
