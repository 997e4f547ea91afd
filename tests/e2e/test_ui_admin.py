"""The admin pages staff use: no axe violations (WCAG rules and axe's best practices: every field labelled,
no empty table heading, links told apart by more than colour), and, as in every browser test, no CSP refusal
and no asset that fails to load (the admin asked for a /favicon.ico that does not exist)."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from localities.models import Locality
from materials.models import Material
from tests.e2e.conftest import assert_accessible, log_in
from tests.kaikukeskus.portal_pages import make_portal_pages
from tests.materials.factories import MaterialFactory
from tests.networks.factories import ContactPersonFactory, PartnerFactory


@pytest.mark.parametrize("language", ["fi", "en"])
def test_admin_pages_staff_use_are_accessible(page, staff, coordinator, locality, password, language):
    make_portal_pages(locality=locality, coordinator=coordinator)  # pilots, meetings, partners to list
    partner = PartnerFactory(locality=locality, name="Kajaanin teatteri")
    ContactPersonFactory(partner=partner, name="Maija Meikäläinen")
    with translation.override(language):
        pages = [
            reverse("admin:index"),
            reverse("admin:localities_locality_changelist"),
            reverse("admin:localities_locality_change", args=[locality.pk]),  # tabular inlines
            reverse("admin:localities_locality_add"),  # the municipalities' filter widget
            reverse("admin:localities_locality_transition", args=[locality.pk]),
            reverse("admin:localities_locality_history", args=[locality.pk]),
            reverse("admin:localities_pilotboard_changelist"),
            reverse("admin:localities_pilotboard_timeline", args=[locality.pk]),
            reverse("admin:localities_invitation_add"),
            reverse("admin:localities_feedbackmeeting_add"),  # autocomplete fields, inline rows
            reverse("admin:localities_milestonetemplate_changelist"),  # editable columns
            reverse("admin:networks_partner_changelist"),
            reverse("admin:networks_partner_change", args=[partner.pk]),
            reverse("admin:kaikukeskus_user_change", args=[coordinator.pk]),  # the groups' filter widget
        ]
    log_in(page, email=staff.email, password=password, language_prefix="" if language == "fi" else "/en")

    for url in pages:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")  # the admin's widgets are built after load
        assert_accessible(page, best_practice=True)


@pytest.mark.parametrize(
    "export_url",
    ["admin:stats_localityreport_export", "admin:networks_partner_export", "admin:localities_locality_export"],
)
def test_the_export_pages_select_all_toggle_works_under_the_csp_and_is_labelled(
    page, staff, locality, password, export_url
):
    """django-import-export's "Select all" box switches the fields by an inline onchange handler, which the CSP
    refuses, and its label points at an id the box does not have: admin-accessibility.js binds and names it."""
    PartnerFactory(locality=locality)
    log_in(page, email=staff.email, password=password, language_prefix="/en")
    with translation.override("en"):
        page.goto(reverse(export_url))
    page.wait_for_load_state("networkidle")
    fields = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
    assert fields.count() > 1
    page.get_by_label("Select all").uncheck()
    assert all(not fields.nth(index).is_checked() for index in range(fields.count()))
    page.get_by_label("Select all").check()
    assert all(fields.nth(index).is_checked() for index in range(fields.count()))
    assert_accessible(page, best_practice=True)


@pytest.mark.parametrize("kind", ["training", "partner", "locality", "material"])
def test_staff_save_a_row_saved_before_and_are_told_of_a_save_made_meanwhile(page, staff, locality, password, kind):
    """The admin forms with optimistic locking carry the version the page was opened with (the change form renders
    it: templates/admin/change_form.html): a row saved before saves again, and a save made by someone else while
    the page was open is refused with what was typed kept."""
    from tests.trainings.factories import TrainingFactory
    from trainings import services as training_services

    if kind == "training":
        row = TrainingFactory(title_fi="Perehdytys")
        training_services.training_save(actor=staff, training=row, expected_version=row.version)  # saved before
        url, field, model = reverse("admin:trainings_training_change", args=[row.pk]), "title_fi", type(row)
    elif kind == "partner":
        row = PartnerFactory(locality=locality, name="Kajaanin teatteri")
        row.version = 3
        row.save()
        url, field, model = reverse("admin:networks_partner_change", args=[row.pk]), "name", type(row)
    elif kind == "locality":
        row = locality
        Locality.objects.filter(pk=row.pk).update(version=2)  # saved before
        url, field, model = reverse("admin:localities_locality_change", args=[row.pk]), "staff_notes", Locality
    else:
        row = MaterialFactory(title_fi="Opas")
        Material.objects.filter(pk=row.pk).update(version=2)
        url, field, model = reverse("admin:materials_material_change", args=[row.pk]), "description_fi", Material
    log_in(page, email=staff.email, password=password, language_prefix="/en")
    with translation.override("en"):
        page.goto(url)
    page.fill(f"#id_{field}", "Tallennettu ensin")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert getattr(model.objects.get(pk=row.pk), field) == "Tallennettu ensin"

    model.objects.filter(pk=row.pk).update(version=model.objects.get(pk=row.pk).version + 1)  # someone else saves
    page.fill(f"#id_{field}", "Minun muutokseni")
    page.click("input[name=_continue]")
    expect(page.locator(".errorlist.nonfield")).to_be_visible()  # "Someone else saved this …"
    expect(page.locator("table.version-conflict")).to_contain_text("Tallennettu ensin")
    assert_accessible(page, best_practice=True)
    assert page.locator(f"#id_{field}").input_value() == "Minun muutokseni"
    assert getattr(model.objects.get(pk=row.pk), field) == "Tallennettu ensin"
    page.click("input[name=_continue]")  # saving again overwrites knowingly
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert getattr(model.objects.get(pk=row.pk), field) == "Minun muutokseni"
