import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from materials import services
from materials.models import ConsultationComment, MaterialVersion
from tests.materials.factories import MaterialFactory, PublishedVersionFactory, VersionFactory, add_file

pytestmark = pytest.mark.django_db
S = MaterialVersion.Status


@pytest.fixture
def default_language() -> str:
    return "fi"


@pytest.fixture
def draft():
    material = MaterialFactory(slug="guideline", kind="guideline", title_fi="Toimintamalli", title_sv="Modell")
    PublishedVersionFactory(material=material, label="2024")
    version = VersionFactory(material=material, label="2026", changes_fi="Uusi luku 4.", changes_sv="Nytt kapitel 4.")
    add_file(version, "fi")
    return version


def _open(staff, draft, partners=()):
    return services.consultation_open(
        actor=staff,
        version=draft,
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        introduction="Kommentoikaa lukua 4.",
        partner_emails=list(partners),
    )


def test_opening_tells_coordinators_and_partners_each_in_their_language(
    staff, coordinator, other_coordinator, draft, django_capture_on_commit_callbacks
):
    other_coordinator.preferred_language = "sv"
    other_coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        _open(staff, draft, [("Partner@Example.fi", "Liisa", "Kirjasto")])
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {coordinator.email, other_coordinator.email, "partner@example.fi"}
    assert by_recipient[coordinator.email].subject == "Kommentteja pyydetään: Toimintamalli 2026"
    assert by_recipient[other_coordinator.email].subject.startswith("Kommentarer önskas: Modell")
    assert "/consultation/" in by_recipient["partner@example.fi"].body


def test_only_staff_open_a_round_on_a_draft_closing_in_the_future(staff, coordinator, draft):
    with pytest.raises(PermissionDenied):
        _open(coordinator, draft)
    with pytest.raises(ValidationError):
        services.consultation_open(actor=staff, version=draft, closes_on=timezone.localdate() - datetime.timedelta(1))
    with pytest.raises(ValidationError):
        _open(staff, PublishedVersionFactory())


def test_a_coordinator_comments_with_their_locality_and_sees_only_their_own(
    client, staff, coordinator, other_coordinator, locality, draft
):
    consultation = _open(staff, draft)
    services.consultation_comment_add(consultation=consultation, actor=other_coordinator, section="1", body="Muu")
    client.force_login(coordinator)
    url = reverse("materials:consultation", kwargs={"pk": consultation.pk})
    page = client.get(url)
    assert "Uusi luku 4." in page.content.decode() and "Muu" not in page.content.decode()
    response = client.post(url, {"section": "4.2", "body": "Lainausaika selvemmin."})
    assert response.status_code == 302
    comment = consultation.comments.get(author=coordinator)
    assert (comment.locality, comment.section, comment.status) == (locality, "4.2", "new")


def test_a_comment_without_a_section_is_refused_next_to_the_field(client, staff, coordinator, draft):
    consultation = _open(staff, draft)
    client.force_login(coordinator)
    response = client.post(reverse("materials:consultation", kwargs={"pk": consultation.pk}), {"body": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["section"]
    assert 'href="#id_section"' in response.content.decode()


def test_a_comment_longer_than_5000_characters_is_refused_at_the_field_and_by_the_service(
    client, staff, coordinator, draft
):
    consultation = _open(staff, draft)
    client.force_login(coordinator)
    url = "/en" + reverse("materials:consultation", kwargs={"pk": consultation.pk})
    response = client.post(url, {"section": "1", "body": "x" * 200_000})
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == ["Ensure this value has at most 5000 characters (it has 200000)."]
    assert 'maxlength="5000"' in response.content.decode()
    with pytest.raises(ValidationError) as error:
        services.consultation_comment_add(consultation=consultation, actor=coordinator, section="1", body="x" * 5001)
    assert "body" in error.value.message_dict
    assert not consultation.comments.exists()
    assert client.post(url, {"section": "1", "body": "x" * 5000}).status_code == 302


def test_a_closed_round_takes_no_comments(staff, coordinator, draft):
    consultation = _open(staff, draft)
    consultation.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    consultation.save()
    with pytest.raises(ValidationError, match=r"päättynyt|closed"):
        services.consultation_comment_add(consultation=consultation, actor=coordinator, section="1", body="x")


def test_a_partner_comments_by_the_signed_link_and_a_forged_link_is_404(client, staff, draft):
    consultation = _open(staff, draft, [("partner@example.fi", "Liisa", "Kirjasto")])
    partner = consultation.partners.get()
    url = reverse("materials:consultation-partner", kwargs={"token": services.partner_token(partner)})
    assert client.post(url, {"section": "3", "body": "Kirjastot mukaan."}).status_code == 302
    comment = consultation.comments.get()
    assert comment.partner == partner and comment.commenter == "Liisa (Kirjasto)"
    file_url = reverse(
        "materials:consultation-partner-file",
        kwargs={"token": services.partner_token(partner), "file_pk": draft.files.get().pk},
    )
    assert client.get(file_url)["Cache-Control"] == "private, no-store"
    forged = services.partner_token(partner)[:-2] + "xx"
    assert client.get(reverse("materials:consultation-partner", kwargs={"token": forged})).status_code == 404


def test_staff_answer_comments_export_them_and_publishing_closes_the_round_citing_the_taken_in(
    client, staff, coordinator, draft
):
    consultation = _open(staff, draft)
    taken = services.consultation_comment_add(consultation=consultation, actor=coordinator, section="4", body="=A+1")
    declined = services.consultation_comment_add(consultation=consultation, actor=coordinator, section="5", body="B")
    services.consultation_comment_answer(actor=staff, comment=taken, status="accepted", reply="Lisätään.")
    services.consultation_comment_answer(actor=staff, comment=declined, status="declined", reply="Ei nyt.")
    with pytest.raises(ValidationError):
        services.consultation_comment_answer(actor=staff, comment=declined, status="answered", reply="")
    with pytest.raises(PermissionDenied):
        services.consultation_comment_answer(actor=coordinator, comment=declined, status="accepted")
    client.force_login(staff)
    export = client.get(reverse("admin:materials_consultation_export", args=[consultation.pk]))
    rows = export.content.decode().splitlines()
    assert len(rows) == 3 and "'=A+1" in rows[1] and "Kajaani" in rows[1] and "Hyväksytty" in rows[1]
    services.material_version_publish(actor=staff, version=draft)
    consultation.refresh_from_db()
    assert consultation.closed_at is not None
    page = client.get(reverse("materials:detail", kwargs={"slug": "guideline"})).content.decode()
    assert "Lausuntokierrokselta huomioidut kommentit" in page and "=A+1" in page and ">B<" not in page


def test_staff_answer_in_the_admin(client, staff, coordinator, draft):
    consultation = _open(staff, draft)
    comment = services.consultation_comment_add(consultation=consultation, actor=coordinator, section="4", body="A")
    client.force_login(staff)
    url = reverse("admin:materials_consultation_change", args=[consultation.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "closes_on": consultation.closes_on.isoformat(),
        "introduction": "x",
        "comments-TOTAL_FORMS": "1",
        "comments-INITIAL_FORMS": "1",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "comments-0-id": str(comment.pk),
        "comments-0-consultation": str(consultation.pk),
        "comments-0-status": "answered",
        "comments-0-reply": "Kiitos, katsotaan.",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    comment.refresh_from_db()
    assert (comment.status, comment.reply, comment.replied_by) == (
        ConsultationComment.Status.ANSWERED,
        "Kiitos, katsotaan.",
        staff,
    )


def test_the_portal_shows_open_rounds_and_new_versions(client, staff, coordinator, draft):
    _open(staff, draft)
    client.force_login(coordinator)
    page = client.get(reverse("portal")).content.decode()
    assert "Kommentoitavat luonnokset" in page and "Toimintamalli 2026" in page
    assert "Uudet materiaaliversiot" in page and "Toimintamalli 2024</a>" in page


def test_staff_see_rounds_with_unanswered_comments_on_the_portal(client, staff, coordinator, draft):
    consultation = _open(staff, draft)
    first = services.consultation_comment_add(consultation=consultation, actor=coordinator, section="1", body="A")
    services.consultation_comment_add(consultation=consultation, actor=coordinator, section="2", body="B")
    client.force_login(staff)
    page = client.get(reverse("portal")).content.decode()
    assert "Vastausta odottavat kommentit" in page and "2 kommenttia ilman vastausta" in page
    services.consultation_comment_answer(actor=staff, comment=first, status="accepted", reply="")
    page = client.get(reverse("portal")).content.decode()
    assert "1 kommentti ilman vastausta" in page
