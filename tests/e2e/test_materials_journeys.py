"""Staff publish a new version of the national guideline with a Swedish file, a coordinator who follows it (by
default) gets the e-mail, and a visitor finds and downloads the latest Swedish file by its stable link; a
coordinator comments on an open draft from the portal's front page and staff answer in the admin. Axe-clean on
every public and portal page."""

import datetime
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from materials import services
from materials.models import ConsultationComment, MaterialVersion
from tests.e2e.conftest import assert_accessible, log_in
from tests.kaikukeskus.factories import TEST_PASSWORD, StaffFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory
from tests.materials.factories import MaterialFactory, PublishedVersionFactory, VersionFactory, add_file
from tests.materials.files import pdf_bytes


def _guideline():
    material = MaterialFactory(
        slug="toimintamalli",
        kind="guideline",
        audience="public",
        title_fi="Valtakunnallinen toimintamalli",
        title_sv="Nationell verksamhetsmodell",
        title_en="National guideline",
    )
    add_file(PublishedVersionFactory(material=material, label="2024"), "fi")
    return material


def test_staff_publish_a_version_a_follower_is_told_and_a_visitor_downloads_it_in_swedish(page, tmp_path):
    material = _guideline()
    staff = StaffFactory(email="staff@kaikukeskus.example.fi")
    coordinator = CoordinatorFactory(
        locality=LocalityFactory(slug="kajaani"), user__email="koordinaattori@kajaani.example.fi"
    ).user

    log_in(page, email=staff.email, password=TEST_PASSWORD)
    page.goto(f"/admin/materials/materialversion/add/?material={material.pk}")
    page.locator("#id_label").fill("2026")
    page.locator("#id_changes_fi").fill("Uusi luku yhteisökorteista.")
    page.locator("#id_changes_sv").fill("Ett nytt kapitel om gemenskapskort.")
    for index, (language, text) in enumerate([("fi", "suomi"), ("sv", "svenska")]):
        path = tmp_path / f"malli-{language}.pdf"
        path.write_bytes(pdf_bytes(f"toimintamalli 2026 {text}"))
        page.locator(f"#id_files-2-{index}-language").select_option(language)
        page.locator(f"#id_files-2-{index}-file").set_input_files(str(path))
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    draft = MaterialVersion.objects.get(material=material, label="2026")
    assert sorted(draft.files.values_list("language", flat=True)) == ["fi", "sv"]

    page.goto("/admin/materials/materialversion/")
    page.locator(f"input[name=_selected_action][value='{draft.pk}']").check()
    page.locator("select[name=action]").select_option("publish")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("1")
    draft.refresh_from_db()
    assert draft.status == MaterialVersion.Status.PUBLISHED

    (message,) = [message for message in mail.outbox if message.to == [coordinator.email]]
    assert message.subject == "Uusi versio: Valtakunnallinen toimintamalli 2026"
    assert "Uusi luku yhteisökorteista." in message.body

    # A visitor, in Swedish: the library, the material, the stable link to the Swedish file.
    page.context.clear_cookies()
    page.goto("/sv/materials/")
    assert_accessible(page)
    page.get_by_role("link", name="Nationell verksamhetsmodell").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nationell verksamhetsmodell")
    expect(page.get_by_text("Ett nytt kapitel om gemenskapskort.")).to_be_visible()
    assert_accessible(page)
    stable = page.get_by_role("link", name="svenska", exact=True)
    href = stable.get_attribute("href")
    assert href == "/sv/materials/toimintamalli/latest/sv/"
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="kaikukortti-toimintamalli-2026-sv.pdf"'
    assert response.body().startswith(b"%PDF-")
    assert b"svenska" in response.body()


def test_a_coordinator_comments_on_a_draft_and_staff_answer(page):
    material = _guideline()
    staff = StaffFactory(email="staff@kaikukeskus.example.fi")
    coordinator = CoordinatorFactory(
        locality=LocalityFactory(slug="kajaani", name_fi="Kajaani"), user__email="koordinaattori@kajaani.example.fi"
    ).user
    draft = VersionFactory(material=material, label="2026", changes_fi="Uusi luku yhteisökorteista.")
    add_file(draft, "fi")
    consultation = services.consultation_open(
        actor=staff, version=draft, closes_on=timezone.localdate() + datetime.timedelta(days=14)
    )

    log_in(page, email=coordinator.email, password=TEST_PASSWORD)
    page.goto("/portal/")
    assert_accessible(page)
    page.get_by_role("link", name="Valtakunnallinen toimintamalli 2026").click()
    expect(page.get_by_text("Uusi luku yhteisökorteista.")).to_be_visible()
    assert_accessible(page)
    # A mistake first: the error summary links to the field, the comment typed is kept.
    page.locator("#id_body").fill("Lainausaika pitäisi kirjata selvemmin.")
    page.get_by_role("button", name="Lähetä kommentti").click()
    expect(page.locator(".error-summary a[href='#id_section']")).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("Lainausaika pitäisi kirjata selvemmin.")
    assert_accessible(page)
    page.locator("#id_section").fill("4.2")
    page.get_by_role("button", name="Lähetä kommentti").click()
    expect(page.get_by_text("Kiitos. Kommenttisi tallennettiin")).to_be_visible()
    assert_accessible(page)
    comment = ConsultationComment.objects.get()

    page.context.clear_cookies()
    log_in(page, email=staff.email, password=TEST_PASSWORD)
    page.goto(f"/admin/materials/consultation/{consultation.pk}/change/")
    expect(page.get_by_text("Kajaani")).to_be_visible()
    page.locator("#id_comments-0-status").select_option("accepted")
    page.locator("#id_comments-0-reply").fill("Kiitos, lisäämme lainausajan.")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    comment.refresh_from_db()
    assert (comment.status, comment.replied_by) == ("accepted", staff)

    page.context.clear_cookies()
    log_in(page, email=coordinator.email, password=TEST_PASSWORD)
    page.goto(f"/portal/consultations/{consultation.pk}/")
    expect(page.get_by_text("Kiitos, lisäämme lainausajan.")).to_be_visible()
    expect(page.get_by_text(re.compile("Hyväksytty"))).to_be_visible()
    assert_accessible(page)
