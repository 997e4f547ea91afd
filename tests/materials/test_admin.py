import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from materials.models import MaterialVersion
from tests.kaikukeskus.factories import StaffFactory
from tests.materials.factories import MaterialFactory, PublishedVersionFactory, VersionFactory, add_file
from tests.materials.files import ooxml_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_language() -> str:
    return "en"


def _version_data(material, files=(), label="2026"):
    data = {
        "material": str(material.pk),
        "label": label,
        "changes_fi": "Uusi luku.",
        "changes_sv": "",
        "changes_en": "",
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-2-TOTAL_FORMS": str(len(files)),
        "files-2-INITIAL_FORMS": "0",
        "files-2-MIN_NUM_FORMS": "0",
        "files-2-MAX_NUM_FORMS": "1000",
    }
    for index, (language, uploaded) in enumerate(files):
        data[f"files-2-{index}-language"] = language
        data[f"files-2-{index}-file"] = uploaded
    return data


def test_staff_add_a_draft_with_files_per_language(staff_client):
    material = MaterialFactory()
    data = _version_data(
        material, [("fi", upload("ohje.pdf", pdf_bytes("fi"))), ("sv", upload("ohje.docx", ooxml_bytes("docx")))]
    )
    response = staff_client.post(reverse("admin:materials_materialversion_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = MaterialVersion.objects.get(material=material)
    assert version.status == "draft"
    assert sorted(version.files.values_list("language", "format")) == [("fi", "pdf"), ("sv", "docx")]


def test_a_file_with_wrong_content_is_refused_next_to_the_field_and_nothing_saved(staff_client):
    material = MaterialFactory()
    data = _version_data(material, [("fi", upload("ohje.pdf", b"<html><body>not a pdf</body></html>"))])
    response = staff_client.post(reverse("admin:materials_materialversion_add"), data)
    assert response.status_code == 200
    assert "content is not PDF, although its name says so" in response.content.decode()
    assert not MaterialVersion.objects.filter(material=material).exists()


def test_a_file_the_material_has_already_is_named_next_to_the_field(staff_client):
    version = PublishedVersionFactory(label="2024")
    content = pdf_bytes("same")
    add_file(version, "fi", name="a.pdf", content=content)
    draft = VersionFactory(material=version.material, label="2026")
    data = _version_data(version.material, [("fi", upload("b.pdf", content))], label="2026")
    response = staff_client.post(reverse("admin:materials_materialversion_change", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "already uploaded: version 2024" in response.content.decode()
    assert not draft.files.exists()


def test_the_publish_action_supersedes_and_withdraw_asks_a_reason(staff_client):
    current = PublishedVersionFactory(label="2024")
    draft = VersionFactory(material=current.material, label="2026")
    add_file(draft)
    staff_client.post(
        reverse("admin:materials_materialversion_changelist"),
        {"action": "publish", "_selected_action": [str(draft.pk)]},
    )
    current.refresh_from_db()
    draft.refresh_from_db()
    assert (current.status, draft.status) == ("superseded", "published")
    url = reverse("admin:materials_materialversion_withdraw", args=[draft.pk])
    assert staff_client.post(url, {"reason": ""}).status_code == 200
    assert staff_client.post(url, {"reason": "Virhe luvussa 3"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "withdrawn"


def test_the_version_page_shows_each_files_downloads(staff_client):
    import datetime

    from materials import services

    version = PublishedVersionFactory(label="2024")
    material_file = add_file(version, "fi")
    for day in (1, 2, 2):
        services.download_count(material_file=material_file, on=datetime.date(2026, 3, day))
    page = staff_client.get(reverse("admin:materials_materialversion_change", args=[version.pk]))
    assert page.status_code == 200
    import re

    assert re.search(r'field-downloads">\s*<p>3</p>', page.content.decode())


def test_a_zip_bomb_is_refused_next_to_the_field_and_nothing_saved(staff_client):
    """A document whose embedded archive expands to 20 MiB: the message stands by the file field."""
    material = MaterialFactory()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as inner:
        inner.writestr("zeros.bin", b"\x00" * (20 * 1024 * 1024))
    document = ooxml_bytes("docx", parts={"word/embeddings/a.zip": buffer.getvalue()})
    data = _version_data(material, [("fi", upload("ohje.docx", document))])
    response = staff_client.post(reverse("admin:materials_materialversion_add"), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].errors
    assert errors["file"] == ["The archive expands too much when unpacked. It looks like a zip bomb."]
    assert not MaterialVersion.objects.filter(material=material).exists()


def _material_data(material, **changes):
    fields = ["slug", "title_fi", "title_sv", "title_en", "description_fi", "description_sv", "description_en"]
    data = {name: getattr(material, name) for name in [*fields, "kind", "audience", "visibility"]}
    inline = {"versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}
    return data | inline | {"version": material.version} | changes


def test_two_staff_saving_a_material_the_second_is_told_and_nothing_is_reverted(staff_client):
    material = MaterialFactory(title_fi="Opas", description_fi="Alku")
    url = reverse("admin:materials_material_change", args=[material.pk])
    other = Client()
    other.force_login(StaffFactory(email="toinen@kaikukeskus.example.fi"))
    opened = staff_client.get(url).context["adminform"].form["version"].value()
    other_opened = other.get(url).context["adminform"].form["version"].value()
    assert other.post(url, _material_data(material, title_fi="Toisen otsikko", version=other_opened)).status_code == 302

    mine = _material_data(material, description_fi="Minun kuvaukseni", version=opened)
    response = staff_client.post(url, mine)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Someone else saved this material while you were editing it" in " ".join(form.non_field_errors())
    assert ("Title in Finnish", "Toisen otsikko", "Opas") in form.conflict_rows
    assert "Minun kuvaukseni" in response.content.decode()
    material.refresh_from_db()
    assert (material.title_fi, material.description_fi) == ("Toisen otsikko", "Alku")
    assert (
        staff_client.post(url, mine | {"version": form.data["version"], "title_fi": "Toisen otsikko"}).status_code
        == 302
    )
    material.refresh_from_db()
    assert (material.title_fi, material.description_fi) == ("Toisen otsikko", "Minun kuvaukseni")


def test_a_draft_edited_after_it_was_published_is_a_conflict(staff_client, staff):
    from materials import services

    version = VersionFactory(label="2026", changes_fi="Alku")
    add_file(version)
    url = reverse("admin:materials_materialversion_change", args=[version.pk])
    opened = staff_client.get(url).context["adminform"].form["version"].value()
    services.material_version_publish(actor=staff, version=version)
    data = _version_data(version.material) | {"changes_fi": "Minun muutokseni", "version": opened}
    response = staff_client.post(url, data)
    assert response.status_code == 200 and "Minun muutokseni" in response.content.decode()
    assert MaterialVersion.objects.get(pk=version.pk).changes_fi == "Alku"
