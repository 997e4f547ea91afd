"""`/api/v1/localities/`: the localities the public sees, with municipality codes; JSON or CSV."""

import csv
import datetime
import io

import pytest

from localities.models import Locality
from tests.localities.factories import LocalityFactory

pytestmark = pytest.mark.django_db

S = Locality.Status
URL = "/api/v1/localities/"
# DESIGN §6: the CSV columns (and the JSON fields) in this order.
CSV_HEADER = (
    "slug,name_fi,name_sv,name_en,kind,status,municipalities,pilot_start_on,pilot_end_on,permanent_since,website"
)


def test_api_lists_running_localities_with_municipality_codes(client):
    LocalityFactory(
        slug="forssa",
        name_fi="Forssan seutu",
        name_sv="Forssa-regionen",
        name_en="Forssa region",
        kind=Locality.Kind.GROUP,
        status=S.PILOTING,
        pilot_start_on=datetime.date(2026, 1, 1),
        pilot_end_on=datetime.date(2026, 12, 31),
        municipalities=["169", "061"],
    )
    LocalityFactory(
        slug="tornio",
        status=S.PERMANENT,
        pilot_start_on=datetime.date(2019, 4, 1),
        permanent_since=datetime.date(2020, 1, 1),
        municipalities=["851"],
    )
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["count"] == 2
    forssa, tornio = data["results"]
    assert forssa == {
        "slug": "forssa",
        "name_fi": "Forssan seutu",
        "name_sv": "Forssa-regionen",
        "name_en": "Forssa region",
        "kind": "group",
        "status": "piloting",
        "municipalities": ["061", "169"],
        "pilot_start_on": "2026-01-01",
        "pilot_end_on": "2026-12-31",
        "permanent_since": None,
        "website": "",
    }
    assert (tornio["status"], tornio["permanent_since"], tornio["municipalities"]) == (
        "permanent",
        "2020-01-01",
        ["851"],
    )


@pytest.mark.parametrize("status", [S.PROSPECT, S.PREPARING, S.PAUSED, S.ENDED])
def test_api_never_lists_prospects_or_localities_not_running(client, status):
    LocalityFactory(slug="hidden", status=status)
    assert client.get(URL).json() == {"count": 0, "results": []}


def test_api_never_shows_staff_notes_or_contacts(client):
    LocalityFactory(staff_notes="Luottamuksellinen", feedback_email="palaute@example.fi")
    body = client.get(URL).content.decode()
    assert "Luottamuksellinen" not in body
    assert "staff_notes" not in body


def test_api_csv_has_codes_in_one_cell_and_neutralised_formulas(client):
    LocalityFactory(slug="kajaani", name_fi='=HYPERLINK("x")', municipalities=["205", "105"])
    response = client.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="kaikukortti-localities.csv"'
    text = response.getvalue().decode()
    assert text.splitlines()[0] == CSV_HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["slug"] == "kajaani"
    assert rows[0]["municipalities"] == "105 205"
    assert rows[0]["name_fi"].startswith("'=")


def test_api_is_language_neutral_and_constant_in_queries(client, django_assert_max_num_queries):
    for index in range(30):
        LocalityFactory(municipalities=["091", "049"] if index % 2 else ["205"])
    with django_assert_max_num_queries(3):  # the public data version (changed by the localities), count, page
        assert client.get(URL).json()["count"] == 30
    assert client.get("/en" + URL).status_code == 404


def test_openapi_schema_describes_exactly_the_fields_served_in_their_order(client):
    LocalityFactory(municipalities=["205"])
    row = client.get(URL).json()["results"][0]
    schema = client.get("/api/v1/schema/").json()
    assert list(row) == list(schema["components"]["schemas"]["Locality"]["properties"]) == CSV_HEADER.split(",")
    assert URL in schema["paths"]
