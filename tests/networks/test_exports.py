import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.networks.factories import ContactPersonFactory, IssuerFactory, PartnerFactory

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example")', "+SUM(1,1)", "-2+3", "@cmd"]


def export(client, locality, file_format):
    with translation.override("en"):
        url = reverse("networks:partner-export", kwargs={"slug": locality.slug, "file_format": file_format})
    return client.get(url)


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_export_neutralises_formulas(coordinator_client, locality):
    for index, formula in enumerate(FORMULAS):
        partner = PartnerFactory(locality=locality, name=formula, address=formula, offer_fi=f"{index}")
        ContactPersonFactory(partner=partner, name=formula)
    response = export(coordinator_client, locality, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = read_csv(response)
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert '\'=HYPERLINK("http://evil.example")' in cells and "'@cmd" in cells


def test_xlsx_export_stores_formulas_as_text(coordinator_client, locality):
    PartnerFactory(locality=locality, name="=1+1")
    response = export(coordinator_client, locality, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [cell.value for cell in sheet["B"]][1:]
    assert names == ["'=1+1"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_has_the_template_columns_and_only_own_partners(coordinator_client, locality, other_locality):
    venue = PartnerFactory(locality=locality, name="Teatteri")
    ContactPersonFactory(partner=venue, name="Maija", email="maija@example.fi")
    IssuerFactory(locality=locality, name="Sosiaalitoimi")
    PartnerFactory(locality=other_locality, name="Vieras")
    rows = read_csv(export(coordinator_client, locality, "csv"))
    assert rows[0][:3] == ["Role", "Name", "Parent organisation"]
    assert {row[1] for row in rows[1:]} == {"Teatteri", "Sosiaalitoimi"}
    assert "maija@example.fi" in rows[[row[1] for row in rows].index("Teatteri")]


def test_coordinator_cannot_export_another_locality(coordinator_client, other_locality):
    PartnerFactory(locality=other_locality)
    assert export(coordinator_client, other_locality, "csv").status_code == 404
    assert export(coordinator_client, other_locality, "xlsx").status_code == 404


def test_unknown_export_format_is_404(coordinator_client, locality):
    assert export(coordinator_client, locality, "pdf").status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_template_downloads_with_the_localitys_municipality(coordinator_client, locality, file_format):
    with translation.override("en"):
        url = reverse("networks:partner-import-template", kwargs={"slug": locality.slug, "file_format": file_format})
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if file_format == "csv":
        rows = read_csv(response)
    else:
        rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[0][0] == "Role" and rows[1][3] == "Kajaani"


def test_template_in_finnish_has_finnish_headers_that_import_back(coordinator, coordinator_client, locality):
    from networks import services

    url = "/portal/localities/kajaani/partners/import/template.csv"
    response = coordinator_client.get(url, headers={"accept-language": "fi"})
    rows = read_csv(response)
    assert rows[0][:2] == ["Rooli", "Nimi"]
    upload = services.partner_import_create(
        actor=coordinator, locality=locality, file_name="t.csv", content=response.content
    )
    assert upload.plan["counts"] == {"new": 2, "update": 0, "unchanged": 0, "error": 0}, upload.plan


def test_xlsx_export_streams_its_rows_in_bounded_memory():
    """openpyxl's write-only mode: memory does not grow with the rows (the normal mode keeps every cell, about
    3 kB a row of this width)."""
    import tracemalloc

    from kaikukeskus.spreadsheets import write_xlsx

    row = ["Kumppani", "venue", "205", "Kauppakatu 1", "https://example.fi", "culture", "theatre", "Vapaalippu"]
    tracemalloc.start()
    try:
        write_xlsx([[*row, n] for n in range(1000)], header=[str(n) for n in range(9)], title="Kumppanit")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_500_000
