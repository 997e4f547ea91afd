"""Every door through which a spreadsheet enters the portal, tried with the hostile files: the coordinators'
partner import, the statistics import page, and django-import-export's imports in the partner and locality
admins. Each answers a page (a message, or the few rows the file really has) within 8 s and 200 MB more
address space, never a 500 and never a traceback; the admin offers only CSV and .xlsx, read by the bounded
reader."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin

from kaikukeskus import admin_spreadsheets
from localities.models import Locality
from networks.models import Partner, PartnerImport
from stats.imports import HEADER as REPORT_HEADER
from stats.models import LocalityReport
from tests.spreadsheet_bombs import amplified, bounded, huge_dimension, yaml_alias_bomb

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_language():
    return "en"


PARTNER_HEADER = ["locality", "role", "name", "municipality", "sector"]
LOCALITY_HEADER = ["slug", "name_fi", "kind"]

ADMIN_DOORS = {
    "partner admin": ("admin:networks_partner_import", PARTNER_HEADER, ["kajaani", "venue", "Kohde", "205", "culture"]),
    "locality admin": ("admin:localities_locality_import", LOCALITY_HEADER, ["uusi", "Uusi", "municipality"]),
}
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def admin_import(client, door: str, name: str, content: bytes, file_format: str = XLSX_FORMAT):
    url_name = ADMIN_DOORS[door][0]
    data = {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, content)}
    return client.post(reverse(url_name), data)


def assert_no_traceback(response):
    html = response.content.decode()
    assert "Traceback" not in html and 'class="traceback"' not in html.replace('class="traceback"></div>', "")


@pytest.mark.parametrize("door", sorted(ADMIN_DOORS))
def test_an_admin_import_reads_only_the_rows_a_huge_declared_dimension_holds(staff_client, locality, door):
    _url, header, row = ADMIN_DOORS[door]
    content = huge_dimension(header, row)
    assert len(content) < 2_000
    with bounded():
        response = admin_import(staff_client, door, "huge.xlsx", content)
    assert response.status_code == 200
    assert "import_file" not in response.context["form"].errors, response.context["form"].errors
    assert response.context["result"].total_rows == 1
    assert_no_traceback(response)


@pytest.mark.parametrize("door", sorted(ADMIN_DOORS))
def test_an_admin_import_refuses_the_amplified_spreadsheet_with_a_message(staff_client, locality, door):
    _url, header, _row = ADMIN_DOORS[door]
    with bounded():
        response = admin_import(staff_client, door, "amplified.xlsx", amplified(header, columns=len(header)))
    assert response.status_code == 200
    [message] = response.context["form"].errors["import_file"]
    assert "characters of text in all" in message
    assert_no_traceback(response)
    assert not Partner.objects.exists() and list(Locality.objects.all()) == [locality]


@pytest.mark.parametrize("door", sorted(ADMIN_DOORS))
def test_an_admin_import_offers_no_yaml_and_refuses_an_alias_bomb(staff_client, locality, door):
    page = staff_client.get(reverse(ADMIN_DOORS[door][0]))
    assert [label for value, label in page.context["form"].fields["format"].choices if value] == ["csv", "xlsx"]
    with bounded(seconds=2):
        response = admin_import(staff_client, door, "bomb.yaml", yaml_alias_bomb(), file_format=CSV_FORMAT)
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == ["Upload a CSV or an Excel (.xlsx) file."]


def test_an_admin_import_names_what_it_imports_when_a_file_unpacks_too_far(staff_client, locality):
    from tests.networks.test_import_safety import bomb

    response = admin_import(staff_client, "locality admin", "many.xlsx", bomb("fifty thousand empty parts"))
    [message] = response.context["form"].errors["import_file"]
    assert message == "The Excel file unpacks to too much data. Save only the sheet of localities, or save it as CSV."


def test_an_admin_import_error_shows_its_message_and_no_traceback(staff_client, locality, monkeypatch):
    from networks.admin import PartnerResource

    monkeypatch.setattr(PartnerResource, "max_rows", 1)
    rows = [PARTNER_HEADER, ["kajaani", "venue", "A", "205", "culture"], ["kajaani", "venue", "B"]]
    content = "\n".join(",".join(row) for row in rows).encode()
    response = admin_import(staff_client, "partner admin", "k.csv", content, file_format=CSV_FORMAT)
    html = response.content.decode()
    assert "The admin imports at most 1 partners at a time" in html
    assert "Traceback" not in html and "before_import" not in html


def test_the_portal_and_the_statistics_page_refuse_the_amplified_spreadsheet(
    coordinator_client, staff_client, locality
):
    url = reverse("networks:partner-import", kwargs={"slug": locality.slug})
    content = amplified(["role", "name", "municipality"])
    with bounded():
        response = coordinator_client.post(url, {"file": SimpleUploadedFile("k.xlsx", content)})
    assert response.status_code == 400
    assert "characters of text in all" in response.context["form"].errors["file"][0]
    assert not PartnerImport.objects.exists()

    content = amplified(REPORT_HEADER, columns=len(REPORT_HEADER))
    with bounded():
        response = staff_client.post(
            reverse("admin:stats_localityreport_import"),
            {"file": SimpleUploadedFile("r.xlsx", content), "check": "1"},
        )
    assert response.status_code == 200
    assert "characters of text in all" in str(response.context["plan"].errors[0])
    assert not LocalityReport.objects.exists()


def test_every_admin_with_imports_or_exports_offers_only_the_bounded_formats():
    offered = []
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, ImportMixin):
            offered.append((model_admin, model_admin.get_import_formats()))
        if isinstance(model_admin, ExportMixin):
            offered.append((model_admin, model_admin.get_export_formats()))
    assert len(offered) >= 5  # partner and locality import and export, report export
    for model_admin, formats in offered:
        assert [fmt.__mro__[1] for fmt in formats] == admin_spreadsheets.FORMATS, model_admin


def test_the_locality_admin_refuses_more_rows_than_one_request_can_save(staff_client, locality, monkeypatch):
    from localities.resources import LocalityResource

    assert LocalityResource.max_rows == admin_spreadsheets.ADMIN_IMPORT_MAX_ROWS == 1_000
    monkeypatch.setattr(LocalityResource, "max_rows", 2)
    rows = [LOCALITY_HEADER, *([f"uusi-{number}", f"Uusi {number}", "municipality"] for number in range(3))]
    content = "\n".join(",".join(row) for row in rows).encode()
    response = admin_import(staff_client, "locality admin", "l.csv", content, file_format=CSV_FORMAT)
    html = response.content.decode()
    assert "The admin imports at most 2 rows at a time, and this file has 3. Split it." in html
    assert "Traceback" not in html and "import_file_name" not in html
    assert list(Locality.objects.all()) == [locality]


@pytest.mark.parametrize("stored", ["six megabytes", "amplified", "gone"])
def test_a_confirmation_naming_another_file_is_a_message_not_a_500(staff_client, locality, stored):
    """The confirmation names the stored file in a hidden field: whatever file of the temporary folder it
    names, at most 5 MB of it is read, by the bounded reader."""
    import os
    import tempfile

    handle, path = tempfile.mkstemp()
    with os.fdopen(handle, "wb") as file:
        if stored == "six megabytes":
            file.truncate(6 * 1024 * 1024)
        elif stored == "amplified":
            file.write(amplified(LOCALITY_HEADER, columns=3))
    if stored == "gone":
        os.remove(path)
    try:
        data = {"import_file_name": os.path.basename(path), "original_file_name": "l.xlsx", "format": "1"}
        data["resource"] = "0"
        with bounded():
            response = staff_client.post(reverse("admin:localities_locality_process_import"), data)
    finally:
        if os.path.exists(path):
            os.remove(path)
    assert response.status_code == 302 and response["Location"] == reverse("admin:localities_locality_import")
    [message] = [str(message) for message in response.wsgi_request._messages]
    assert {
        "six megabytes": "The file is larger than 5 MB.",
        "amplified": "characters of text in all",
        "gone": "Upload the file again.",
    }[stored] in message
    assert list(Locality.objects.all()) == [locality]
