"""Lost updates: two people editing the same partner or contact, and imports confirmed after the
partners changed. The optimistic lock of `kaikukeskus.locking` refuses the stale save and shows what the other
person saved; nothing is silently overwritten."""

import pytest
from django.test import Client
from django.urls import reverse

from kaikukeskus.locking import StaleVersionError, check_and_bump
from networks import services
from networks.models import ContactPerson, Partner
from tests.localities.factories import CoordinatorFactory
from tests.networks.factories import ContactPersonFactory, PartnerFactory
from tests.networks.test_views import edit_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_client(locality):
    """Another coordinator of the same locality, in their own browser."""
    client = Client()
    client.force_login(CoordinatorFactory(locality=locality, user__email="toinen@kajaani.example.fi").user)
    return client


def opened_version(client, partner) -> str:
    """The version the edit page hands out, as a browser would post it back."""
    return str(client.get(edit_url(partner)).context["form"]["version"].value())


def contact_row(contact, version, **changes):
    row = {"id": contact.pk, "name": contact.name, "title": contact.title, "email": contact.email}
    row.update({"phone": contact.phone, "is_primary": "on" if contact.is_primary else "", "version": version})
    row.update(changes)
    return row


def test_check_and_bump_claims_the_next_version_once(locality):
    partner = PartnerFactory(locality=locality)
    stale = Partner.objects.get(pk=partner.pk)
    check_and_bump(partner, expected_version=1)
    assert partner.version == 2 and Partner.objects.get(pk=partner.pk).version == 2
    with pytest.raises(StaleVersionError) as error:
        check_and_bump(stale, expected_version=1)
    assert error.value.current.version == 2 and error.value.code == "stale_version"


def test_second_coordinator_saving_the_same_partner_gets_a_conflict_and_keeps_what_they_typed(
    coordinator_client, second_client, locality, kajaani
):
    partner = PartnerFactory(locality=locality, name="Teatteri", address="Vanha katu 1", offer_fi="Vanha tarjous")
    first_version = opened_version(coordinator_client, partner)
    second_version = opened_version(second_client, partner)

    response = coordinator_client.post(
        edit_url(partner), form_data(kajaani, name="Teatteri", address="Ensimmäisen katu 2", version=first_version)
    )
    assert response.status_code == 302
    response = second_client.post(
        edit_url(partner),
        form_data(kajaani, name="Teatteri", address="Toisen katu 3", offer_fi="Toisen tarjous", version=second_version),
    )

    assert response.status_code == 409
    form = response.context["form"]
    assert any("Someone else saved this partner" in error for error in form.non_field_errors())
    page = response.content.decode()
    assert 'value="Toisen katu 3"' in page and "Toisen tarjous" in page  # what they typed is still there
    assert ("Address", "Ensimmäisen katu 2", "Toisen katu 3") in form.conflict_rows  # and what the other saved
    assert "Ensimmäisen katu 2" in page
    partner.refresh_from_db()
    assert partner.address == "Ensimmäisen katu 2" and partner.offer_fi == "Vapaalippu lippukassalta."
    assert partner.version == 2

    # The page now carries the current version: saving again is a deliberate overwrite, and it works.
    assert form["version"].value() == "2"
    response = second_client.post(
        edit_url(partner), form_data(kajaani, name="Teatteri", address="Toisen katu 3", version="2")
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.address == "Toisen katu 3" and partner.version == 3


def test_a_form_posted_without_its_version_is_refused_as_stale(coordinator_client, locality, kajaani):
    partner = PartnerFactory(locality=locality, name="Teatteri", address="Vanha katu 1")
    response = coordinator_client.post(edit_url(partner), form_data(kajaani, name="Teatteri", address="Uusi katu"))
    assert response.status_code == 409
    partner.refresh_from_db()
    assert partner.address == "Vanha katu 1" and partner.version == 1


def test_second_coordinator_saving_the_same_contact_gets_a_conflict(coordinator, second_client, locality, kajaani):
    partner = PartnerFactory(locality=locality, name="Teatteri")
    contact = ContactPersonFactory(partner=partner, name="Maija", email="maija@example.fi", title="Myyjä")
    # The first coordinator saves a new title for the contact.
    services.partner_update(
        actor=coordinator,
        partner=partner,
        values={},
        contacts=[services.ContactChange(pk=contact.pk, values={"title": "Päällikkö"}, version=1)],
        expected_version=1,
    )
    partner.refresh_from_db()
    response = second_client.post(
        edit_url(partner),
        form_data(
            kajaani,
            contacts=[contact_row(contact, 1, title="Myyntipäällikkö")],
            name="Teatteri",
            version=str(partner.version),
        ),
    )
    assert response.status_code == 409
    contact_form = response.context["formset"].forms[0]
    assert any("Someone else saved this contact person" in error for error in contact_form.non_field_errors())
    assert ("Title", "Päällikkö", "Myyntipäällikkö") in contact_form.conflict_rows
    assert ContactPerson.objects.get(pk=contact.pk).title == "Päällikkö"


def test_a_stale_partner_update_writes_nothing(coordinator, locality):
    partner = PartnerFactory(locality=locality, address="Vanha")
    services.partner_update(actor=coordinator, partner=partner, values={"address": "Uusi"}, expected_version=1)
    stale = Partner.objects.get(pk=partner.pk)
    with pytest.raises(StaleVersionError):
        services.partner_update(actor=coordinator, partner=stale, values={"address": "Vanhentunut"}, expected_version=1)
    stale.refresh_from_db()
    assert stale.address == "Uusi" and stale.version == 2
    assert stale.history.count() == 2


# --- Imports ----------------------------------------------------------------------------------------------

HEADER = "role;name;municipality;sector;offer_fi"


def upload(actor, locality, *lines):
    content = "\n".join([HEADER, *lines]).encode()
    return services.partner_import_create(actor=actor, locality=locality, file_name="k.csv", content=content)


def apply(actor, partner_import):
    return services.partner_import_apply(actor=actor, upload=partner_import, sha256=partner_import.sha256)


def test_confirming_after_the_partner_changed_is_refused_with_a_fresh_preview(coordinator, locality):
    partner = PartnerFactory(locality=locality, name="Teatteri", offer_fi="Vanha")
    partner_import = upload(coordinator, locality, "venue;Teatteri;Kajaani;culture;Tiedoston tarjous")
    assert partner_import.plan["counts"]["update"] == 1
    # Someone edits the partner between the preview and the confirmation: the preview never showed their edit.
    services.partner_update(actor=coordinator, partner=partner, values={"offer_fi": "Käsin"}, expected_version=1)
    with pytest.raises(services.ImportRefusedError) as error:
        apply(coordinator, partner_import)
    assert "changed since the preview" in str(error.value)
    partner.refresh_from_db()
    assert partner.offer_fi == "Käsin"
    # The fresh preview is stored; confirming it (knowingly) now works.
    partner_import.refresh_from_db()
    assert partner_import.status == "previewed"
    apply(coordinator, partner_import)
    partner.refresh_from_db()
    assert partner.offer_fi == "Tiedoston tarjous" and partner.version == 3


def test_two_previews_creating_the_same_partner_do_not_overwrite_each_other(coordinator, locality):
    second = CoordinatorFactory(locality=locality, user__email="toinen@kajaani.example.fi").user
    first_import = upload(coordinator, locality, "venue;Uusi museo;Kajaani;culture;Ensimmäisen tarjous")
    second_import = upload(second, locality, "venue;UUSI MUSEO;Kajaani;culture;Toisen tarjous")
    assert first_import.plan["counts"]["new"] == 1 and second_import.plan["counts"]["new"] == 1
    apply(coordinator, first_import)
    with pytest.raises(services.ImportRefusedError):
        apply(second, second_import)
    museum = Partner.objects.get()
    assert museum.offer_fi == "Ensimmäisen tarjous"
    second_import.refresh_from_db()
    assert second_import.plan["counts"] == {"new": 0, "update": 1, "unchanged": 0, "error": 0}


def test_the_import_job_reports_the_refusal_and_the_preview_shows_the_fresh_plan(
    coordinator, coordinator_client, locality
):
    partner = PartnerFactory(locality=locality, name="Teatteri", offer_fi="Vanha")
    partner_import = upload(coordinator, locality, "venue;Teatteri;Kajaani;culture;Vanha")
    assert partner_import.plan["counts"]["unchanged"] == 1
    services.partner_update(actor=coordinator, partner=partner, values={"offer_fi": "Käsin"}, expected_version=1)
    url = reverse("networks:partner-import-preview", kwargs={"slug": locality.slug, "pk": partner_import.pk})
    job_page = coordinator_client.post(url, {"sha256": partner_import.sha256}, follow=True)
    assert job_page.context["job"].status == "failed"
    assert "The partners have changed since the preview" in job_page.content.decode()
    response = coordinator_client.get(url)
    assert response.context["counts"]["update"] == 1 and response.context["can_apply"]
    partner.refresh_from_db()
    assert partner.offer_fi == "Käsin"


def test_an_import_bumps_versions_so_an_open_form_notices_it(coordinator, coordinator_client, locality, kajaani):
    partner = PartnerFactory(locality=locality, name="Teatteri", offer_fi="Vanha")
    version = opened_version(coordinator_client, partner)
    apply(coordinator, upload(coordinator, locality, "venue;Teatteri;Kajaani;culture;Tiedostosta"))
    response = coordinator_client.post(edit_url(partner), form_data(kajaani, name="Teatteri", version=version))
    assert response.status_code == 409
    partner.refresh_from_db()
    assert partner.offer_fi == "Tiedostosta"


def test_a_contact_saved_in_the_admin_gets_a_new_version_and_an_open_portal_form_notices(
    staff, coordinator_client, locality, kajaani
):
    staff_client = Client()  # the coordinator's browser is the `client` fixture
    staff_client.force_login(staff)
    partner = PartnerFactory(locality=locality, name="Teatteri")
    contact = ContactPersonFactory(partner=partner, name="Maija", email="maija@example.fi", title="Myyjä")
    response = staff_client.post(
        reverse("admin:networks_contactperson_change", args=[contact.pk]),
        {
            "partner": partner.pk,
            "name": "Maija",
            "title": "Päällikkö",
            "email": "maija@example.fi",
            "phone": "",
            "version": contact.version,  # as the change form renders it
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == reverse("admin:networks_contactperson_changelist"), response.url
    contact.refresh_from_db()
    assert (contact.title, contact.version) == ("Päällikkö", 2)
    assert contact.history.latest().history_user == staff
    # A coordinator who opened the partner page before the admin's save.
    response = coordinator_client.post(
        edit_url(partner),
        form_data(kajaani, contacts=[contact_row(contact, 1, title="Myyntipäällikkö")], name="Teatteri", version="1"),
    )
    assert response.status_code == 409
    contact.refresh_from_db()
    assert contact.title == "Päällikkö"
