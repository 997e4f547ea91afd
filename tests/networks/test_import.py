import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from networks import imports, services
from networks.models import ContactPerson, Partner, PartnerImport
from tests.networks.factories import ContactPersonFactory, PartnerFactory

pytestmark = pytest.mark.django_db

HEADER = "role;name;municipality;sector;issuer_kind;joined_on;offer_fi;contact_name;contact_email;contact_phone"


def csv_bytes(*lines, header=HEADER, encoding="utf-8"):
    return "\n".join([header, *lines]).encode(encoding)


def upload(actor, locality, content, name="kumppanit.csv"):
    return services.partner_import_create(actor=actor, locality=locality, file_name=name, content=content)


def statuses(partner_import):
    return [(row["line"], row["status"]) for row in partner_import.plan["rows"]]


def messages(partner_import, line):
    return next(row["messages"] for row in partner_import.plan["rows"] if row["line"] == line)


def test_preview_says_new_update_unchanged_and_changes_nothing(coordinator, locality):
    existing = PartnerFactory(locality=locality, name="Kajaanin teatteri", joined_on=datetime.date(2024, 1, 1))
    same = PartnerFactory(locality=locality, name="Museo", joined_on=datetime.date(2024, 1, 1), offer_fi="Vapaa pääsy")
    content = csv_bytes(
        "venue;Uusi kohde;Kajaani;culture;;2025-01-01;Lippukassalta;;;",
        f"venue;{existing.name.upper()};Kajaani;sports;;2024-01-01;Vapaalippu lippukassalta.;;;",
        f"venue;{same.name};{same.municipality.code};culture;;1.1.2024;Vapaa pääsy;;;",
        header="role;name;municipality;sector;issuer_kind;joined_on;offer_fi;contact_name;contact_email;contact_phone",
    )
    partner_import = upload(coordinator, locality, content)
    assert statuses(partner_import) == [(2, "new"), (3, "update"), (4, "unchanged")]
    assert partner_import.plan["counts"] == {"new": 1, "update": 1, "unchanged": 1, "error": 0}
    assert Partner.objects.count() == 2
    existing.refresh_from_db()
    assert existing.sector == "culture"


def test_applying_creates_and_updates_all_rows_with_history(coordinator, locality):
    existing = PartnerFactory(locality=locality, name="Kajaanin teatteri")
    ContactPersonFactory(partner=existing, name="Vanha", email="vanha@example.fi", is_primary=True)
    content = csv_bytes(
        "venue;Uusi kohde;Kajaani;culture;;2025-01-01;Lippukassalta;Maija;maija@example.fi;040 123 4567",
        "issuer;Sosiaalitoimi;Sotkamo;;social_services;;;Matti;;+358 40 765 4321",
        f"venue;{existing.name};Kajaani;sports;;;;Uusi Nimi;uusi@example.fi;",
    )
    partner_import = upload(coordinator, locality, content)
    counts = services.partner_import_apply(actor=coordinator, upload=partner_import, sha256=partner_import.sha256)
    assert counts == {"new": 2, "update": 1, "unchanged": 0, "error": 0}
    new = Partner.objects.get(name="Uusi kohde")
    assert new.joined_on == datetime.date(2025, 1, 1) and new.offer_fi == "Lippukassalta"
    assert new.contacts.get().is_primary
    issuer = Partner.objects.get(name="Sosiaalitoimi")
    assert issuer.joined_on == timezone.localdate() and issuer.contacts.get().phone == "+358 40 765 4321"
    existing.refresh_from_db()
    assert existing.sector == "sports"
    assert existing.contacts.get().name == "Uusi Nimi"  # the primary contact is updated, not duplicated
    assert new.history.get().history_user == coordinator
    assert existing.history.latest().history_user == coordinator
    assert ContactPerson.history.filter(history_user=coordinator).count() == 3
    partner_import.refresh_from_db()
    assert partner_import.status == PartnerImport.Status.APPLIED


def test_one_bad_row_stops_the_whole_file(coordinator, locality):
    content = csv_bytes(
        "venue;Hyvä kohde;Kajaani;culture;;2025-01-01;;;;",
        "venue;Huono kohde;Kajaani;culture;;31.2.2025;;;;",
    )
    partner_import = upload(coordinator, locality, content)
    assert statuses(partner_import) == [(2, "new"), (3, "error")]
    assert messages(partner_import, 3) == ["Joined on: “31.2.2025” is not a date (write 31.12.2025 or 2025-12-31)."]
    with pytest.raises(services.ImportRefusedError):
        services.partner_import_apply(actor=coordinator, upload=partner_import, sha256=partner_import.sha256)
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("venue;Kohde;Helsinki;culture;;;;;;", "is not one of the locality's municipalities (Kajaani, Sotkamo)"),
        ("museum;Kohde;Kajaani;culture;;;;;;", "Role: “museum” is not one of the choices."),
        ("venue;Kohde;Kajaani;;;;;;;", "Sector: A venue needs a sector."),
        ("issuer;Kohde;Kajaani;;;;;;;", "Issuer kind: An issuer needs a kind."),
        ("venue;;Kajaani;culture;;;;;;", "Name: this cell is required."),
        (
            "venue;Kohde;Kajaani;culture;;;;Maija;ei-osoite;",
            "Primary contact e-mail: “ei-osoite” is not an e-mail address.",
        ),
        ("venue;Kohde;Kajaani;culture;;;;Maija;;123", "Primary contact phone: “123” is not a phone number."),
        ("venue;Kohde;Kajaani;culture;;;;Maija;;", "Give an e-mail address or a phone number."),
        ("venue;Kohde;Kajaani;culture;;eilen;;;;", "Joined on: “eilen” is not a date"),
    ],
)
def test_wrong_values_are_explained_per_row(coordinator, locality, line, expected):
    partner_import = upload(coordinator, locality, csv_bytes(line))
    assert statuses(partner_import) == [(2, "error")]
    assert any(expected in message for message in messages(partner_import, 2)), messages(partner_import, 2)


def test_left_before_joined_is_an_error(coordinator, locality):
    header = "role;name;municipality;sector;joined_on;left_on"
    partner_import = upload(
        coordinator, locality, csv_bytes("venue;Kohde;Kajaani;culture;2025-01-01;2024-01-01", header=header)
    )
    assert messages(partner_import, 2) == ["Left on: The end date cannot be before the joining date."]


def test_duplicate_rows_are_errors(coordinator, locality):
    content = csv_bytes(
        "venue;Teatteri;Kajaani;culture;;;;;;",
        "venue;TEATTERI;Kajaani;culture;;;;;;",
        "issuer;Teatteri;Kajaani;;ngo;;;;;",
    )
    partner_import = upload(coordinator, locality, content)
    assert statuses(partner_import) == [(2, "new"), (3, "error"), (4, "new")]
    assert messages(partner_import, 3) == ["The same partner is already on line 2."]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("nimi;kunta", "The header row lacks the required columns: Role"),
        ("role;name;municipality;name", "appears twice"),
        ("", "The file has no header row."),
    ],
)
def test_wrong_headers_refuse_the_file(coordinator, locality, header, message):
    with pytest.raises(imports.SpreadsheetError) as error:
        upload(coordinator, locality, csv_bytes("venue;Kohde;Kajaani", header=header) if header else b"\n\n;;\n")
    assert message in str(error.value)
    assert not PartnerImport.objects.exists()


def test_unknown_columns_are_ignored_and_reported(coordinator, locality):
    partner_import = upload(
        coordinator,
        locality,
        csv_bytes("venue;Kohde;Kajaani;culture;oma", header="role;name;municipality;sector;Muistiinpanot"),
    )
    assert partner_import.plan["ignored_columns"] == ["Muistiinpanot"]
    assert statuses(partner_import) == [(2, "new")]


def test_semicolon_csv_in_windows_encoding_with_finnish_letters(coordinator, locality):
    content = csv_bytes(
        "venue;Kajaanin Työväenopisto;Kajaani;education;;1.8.2025;Kaksi kurssia, enintään 25 €;"
        "Päivi Ääpälä;paivi@example.fi;",
        encoding="cp1252",
    )
    partner_import = upload(coordinator, locality, content)
    services.partner_import_apply(actor=coordinator, upload=partner_import, sha256=partner_import.sha256)
    partner = Partner.objects.get()
    assert partner.name == "Kajaanin Työväenopisto"
    assert partner.offer_fi == "Kaksi kurssia, enintään 25 €"
    assert partner.contacts.get().name == "Päivi Ääpälä"


def test_utf16_text_as_excel_saves_unicode_text_is_read(coordinator, locality):
    """Excel's "Unicode text": UTF-16 with a byte order mark, tabs between the cells."""
    content = "role\tname\tmunicipality\tsector\nvenue\tÄänekosken Sali 🎭\tKajaani\tculture\n".encode("utf-16")
    partner_import = upload(coordinator, locality, content)
    assert partner_import.cells == [[2, ["venue", "Äänekosken Sali 🎭", "Kajaani", "culture"]]]
    assert statuses(partner_import) == [(2, "new")]


def test_comma_csv_with_bom_and_quoted_cells(coordinator, locality):
    content = (
        '\ufeffrole,name,municipality,sector,offer_fi\nvenue,"Teatteri, pieni näyttämö",205,culture,"Liput; kassalta"\n'
    )
    partner_import = upload(coordinator, locality, content.encode("utf-8"))
    assert partner_import.plan["rows"][0]["name"] == "Teatteri, pieni näyttämö"
    assert statuses(partner_import) == [(2, "new")]


def test_xlsx_with_typed_cells(coordinator, locality):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Role",
            "Name",
            "Municipality",
            "Sector",
            "Joined on",
            "Primary contact name",
            "Primary contact phone",
            "Listed publicly",
        ]
    )
    excel_date = datetime.datetime(2025, 3, 1)  # noqa: DTZ001 - Excel cells are naive
    sheet.append(["Venue", "Uimahalli", 205, "Sports", excel_date, "Pekka", "040 111 2222", "no"])
    sheet.append(["venue", "Museo", "sotkamo", "culture", None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    partner_import = upload(coordinator, locality, buffer.getvalue(), name="kumppanit.xlsx")
    assert statuses(partner_import) == [(2, "new"), (3, "new")]
    services.partner_import_apply(actor=coordinator, upload=partner_import, sha256=partner_import.sha256)
    pool = Partner.objects.get(name="Uimahalli")
    assert pool.joined_on == datetime.date(2025, 3, 1) and pool.sector == "sports" and not pool.listed_publicly
    assert Partner.objects.get(name="Museo").municipality.code == "765"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kumppanit.txt", b"role;name;municipality", "Upload a CSV or an Excel (.xlsx) file."),
        ("kumppanit.xlsx", b"role;name;municipality\n", "not a valid Excel"),
        ("kumppanit.xlsx", b"PK\x03\x04rikki", "not a valid Excel"),
        ("kumppanit.csv", b"PK\x03\x04rikki", "looks like an Excel file"),
        ("kumppanit.csv", b"", "The file is empty."),
    ],
)
def test_wrong_file_types_are_refused(coordinator, locality, name, content, message):
    with pytest.raises(imports.SpreadsheetError) as error:
        upload(coordinator, locality, content, name=name)
    assert message in str(error.value)


def test_rows_are_validated_again_when_confirming(coordinator, locality):
    partner_import = upload(coordinator, locality, csv_bytes("venue;Kohde;Sotkamo;culture;;;;;;"))
    locality.municipalities.remove(locality.municipalities.get(code="765"))
    with pytest.raises(services.ImportRefusedError):
        services.partner_import_apply(actor=coordinator, upload=partner_import, sha256=partner_import.sha256)
    assert not Partner.objects.exists()


def test_an_upload_is_applied_once_and_only_with_its_hash(coordinator, locality):
    partner_import = upload(coordinator, locality, csv_bytes("venue;Kohde;Kajaani;culture;;;;;;"))
    with pytest.raises(PermissionDenied):
        services.partner_import_apply(actor=coordinator, upload=partner_import, sha256="0" * 64)
    services.partner_import_apply(actor=coordinator, upload=partner_import, sha256=partner_import.sha256)
    with pytest.raises(services.ImportRefusedError):
        services.partner_import_apply(actor=coordinator, upload=partner_import, sha256=partner_import.sha256)
    assert Partner.objects.count() == 1


def test_coordinator_cannot_import_into_another_locality(coordinator, other_coordinator, other_locality, client):
    with pytest.raises(PermissionDenied):
        upload(coordinator, other_locality, csv_bytes("venue;Kohde;Tornio;culture;;;;;;"))
    client.force_login(coordinator)
    url = reverse("networks:partner-import", kwargs={"slug": other_locality.slug})
    response = client.post(url, {"file": io.BytesIO(csv_bytes("venue;Kohde;Tornio;culture;;;;;;"))})
    assert response.status_code == 404
    # Nor confirm another coordinator's upload, in either locality's address.
    theirs = upload(other_coordinator, other_locality, csv_bytes("venue;Kohde;Tornio;culture;;;;;;"))
    for slug in (other_locality.slug, "kajaani"):
        url = reverse("networks:partner-import-preview", kwargs={"slug": slug, "pk": theirs.pk})
        assert client.post(url, {"sha256": theirs.sha256}).status_code == 404
    assert not Partner.objects.exists()


def test_import_journey_through_the_portal(coordinator_client, locality):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("networks:partner-import", kwargs={"slug": locality.slug})
    bad = SimpleUploadedFile("k.csv", csv_bytes("venue;Kohde;Kajaani;culture;;ei päivä;;;;"))
    response = coordinator_client.post(url, {"file": bad})
    preview_url = response.headers["Location"]
    preview = coordinator_client.get(preview_url)
    assert preview.context["error_rows"] and not preview.context["can_apply"]
    assert "ei päivä" in preview.content.decode()
    good = SimpleUploadedFile("k.csv", csv_bytes("venue;Kohde;Kajaani;culture;;1.1.2025;;;;"))
    preview_url = coordinator_client.post(url, {"file": good}).headers["Location"]
    preview = coordinator_client.get(preview_url)
    assert preview.context["can_apply"]
    response = coordinator_client.post(preview_url, {"sha256": preview.context["upload"].sha256})
    assert response.status_code == 302
    assert Partner.objects.get().name == "Kohde"


def test_unreadable_file_is_explained_on_the_upload_form(coordinator_client, locality):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("networks:partner-import", kwargs={"slug": locality.slug})
    response = coordinator_client.post(url, {"file": SimpleUploadedFile("k.csv", b"foo;bar\n1;2\n")})
    assert response.status_code == 400
    assert "lacks the required columns" in response.context["form"].errors["file"][0]


def test_export_then_import_is_unchanged(coordinator, coordinator_client, locality):
    partner = PartnerFactory(locality=locality, name='=HYPERLINK("x")', website="https://a.example.fi")
    ContactPersonFactory(partner=partner, phone="+358 40 123 4567")
    PartnerFactory(locality=locality, name="Museo", left_on=datetime.date(2025, 5, 1))
    for file_format in ("csv", "xlsx"):
        response = coordinator_client.get(
            reverse("networks:partner-export", kwargs={"slug": locality.slug, "file_format": file_format})
        )
        partner_import = upload(coordinator, locality, response.content, name=f"vienti.{file_format}")
        assert partner_import.plan["counts"] == {"new": 0, "update": 0, "unchanged": 2, "error": 0}, partner_import.plan


def test_swedish_headers_and_words(coordinator, locality):
    content = (
        "Roll;Namn;Kommun;Sektor;Kortutdelarens typ\n"
        "besöksmål;Kajana teater;Kajana;kultur;\n"
        "kortutdelare;Socialbyrån;Sotkamo;;Socialtjänster\n"
    )
    partner_import = upload(coordinator, locality, content.encode("utf-8"))
    assert statuses(partner_import) == [(2, "new"), (3, "new")]
    services.partner_import_apply(actor=coordinator, upload=partner_import, sha256=partner_import.sha256)
    assert Partner.objects.get(name="Socialbyrån").issuer_kind == "social_services"
    assert Partner.objects.get(name="Kajana teater").municipality.code == "205"


def test_names_match_case_insensitively_beyond_ascii(coordinator, locality):
    PartnerFactory(locality=locality, name="Äänekosken Kesäteatteri")
    partner_import = upload(coordinator, locality, csv_bytes("venue;ÄÄNEKOSKEN KESÄTEATTERI;Kajaani;sports;;;;;;"))
    assert statuses(partner_import) == [(2, "update")]
