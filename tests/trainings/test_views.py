import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from kaikukeskus.forms import started_token
from tests.localities.factories import CoordinatorFactory, LocalityFactory
from tests.trainings.factories import RegistrationFactory, TrainingFactory
from trainings import links
from trainings.models import Registration, Training

pytestmark = pytest.mark.django_db

SECRET_LINK = "https://meet.example.fi/kaikukortti-secret"


@pytest.fixture
def default_language() -> str:
    return "fi"


def _visitor_data(locality, **extra):
    """What a visitor sends: the form was shown to them a minute earlier (the minimum fill time, not a bot)."""
    return {
        "started": started_token(at=time.time() - 60),
        "website": "",
        "name": "Maija Meikäläinen",
        "email": "maija@example.fi",
        "organisation": "Kirjasto",
        "locality": locality.pk,
        "accessibility_needs": "",
        "dietary_needs": "",
        "submission": "form-1",
        **extra,
    }


# --- The list ---------------------------------------------------------------------------------------------


def test_the_list_shows_upcoming_and_past_trainings_never_drafts(client):
    TrainingFactory(title_fi="Tuleva koulutus")
    TrainingFactory(title_fi="Mennyt koulutus", past=True)
    TrainingFactory(title_fi="Luonnos", status=Training.Status.DRAFT)
    TrainingFactory(title_fi="Peruttu mennyt", past=True, status=Training.Status.CANCELLED)
    page = client.get(reverse("trainings:list")).content.decode()
    assert "Tuleva koulutus" in page and "Mennyt koulutus" in page
    assert "Luonnos" not in page and "Peruttu mennyt" not in page


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("trainings:list"), {"page": 1}).status_code == 200
    return len(queries)


def test_the_list_makes_the_same_queries_for_5_and_50_trainings(client, staff):
    client.force_login(staff)  # signed in: the page is rendered, not served from the cache
    TrainingFactory.create_batch(3)
    TrainingFactory.create_batch(2, past=True)
    few = _list_queries(client)
    TrainingFactory.create_batch(25)
    TrainingFactory.create_batch(20, past=True)
    assert _list_queries(client) == few


# --- The detail page and registration --------------------------------------------------------------------


def test_the_online_link_is_never_on_the_public_page(client, coordinator):
    training = TrainingFactory(online=True)
    assert SECRET_LINK not in client.get(reverse("trainings:detail", kwargs={"pk": training.pk})).content.decode()
    client.force_login(coordinator)
    assert SECRET_LINK not in client.get(reverse("trainings:detail", kwargs={"pk": training.pk})).content.decode()
    RegistrationFactory(training=training, user=coordinator, email=coordinator.email)
    assert SECRET_LINK in client.get(reverse("trainings:detail", kwargs={"pk": training.pk})).content.decode()


def test_a_draft_answers_404(client):
    training = TrainingFactory(status=Training.Status.DRAFT)
    assert client.get(reverse("trainings:detail", kwargs={"pk": training.pk})).status_code == 404


def test_a_visitor_registers_and_lands_on_their_registration(client, locality, django_capture_on_commit_callbacks):
    training = TrainingFactory(online=True)
    url = reverse("trainings:detail", kwargs={"pk": training.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _visitor_data(locality, accessibility_needs="Induktiosilmukka"))
    registration = Registration.objects.get()
    assert response.status_code == 302
    token = resolve(response["Location"]).kwargs["token"]
    assert links.registration_from_token(token, queryset=Registration.objects.all()) == registration
    assert (registration.locality, registration.accessibility_needs, registration.language) == (
        locality,
        "Induktiosilmukka",
        "fi",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Olet ilmoittautunut" in page and SECRET_LINK in page
    assert mail.outbox[0].subject.startswith("Ilmoittautuminen vahvistettu")


def test_a_registration_in_swedish_gets_swedish_emails(client, locality, django_capture_on_commit_callbacks):
    training = TrainingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/sv/trainings/{training.pk}/", _visitor_data(locality))
    assert Registration.objects.get().language == "sv"
    assert mail.outbox[0].subject.startswith("Anmälan bekräftad")


def test_bad_input_is_told_next_to_the_fields_and_kept(client, locality):
    training = TrainingFactory()
    response = client.post(
        reverse("trainings:detail", kwargs={"pk": training.pk}),
        _visitor_data(locality, email="ei-osoite", name="", dietary_needs="Vegaani"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page and 'href="#id_email"' in page and 'href="#id_name"' in page
    assert "Vegaani" in page
    assert not Registration.objects.exists()


def test_a_second_registration_with_the_same_address_is_told_clearly(client, locality):
    training = TrainingFactory()
    url = reverse("trainings:detail", kwargs={"pk": training.pk})
    client.post(url, _visitor_data(locality))
    response = client.post(url, _visitor_data(locality, email="MAIJA@example.fi", submission="form-2"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "maija@example.fi on jo ilmoittautunut tähän koulutukseen" in page
    assert Registration.objects.count() == 1


def test_a_double_submit_is_harmless(client, locality, django_capture_on_commit_callbacks):
    training = TrainingFactory()
    url = reverse("trainings:detail", kwargs={"pk": training.pk})
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, _visitor_data(locality))
        second = client.post(url, _visitor_data(locality))
    assert first.status_code == second.status_code == 302
    assert Registration.objects.count() == 1 and len(mail.outbox) == 1


def test_a_coordinators_details_are_prefilled(client, coordinator, locality):
    coordinator.first_name, coordinator.last_name = "Kaisa", "Koordinaattori"
    coordinator.save()
    client.force_login(coordinator)
    training = TrainingFactory()
    response = client.get(reverse("trainings:detail", kwargs={"pk": training.pk}))
    form = response.context["form"]
    assert "email" not in form.fields
    assert form.initial["name"] == "Kaisa Koordinaattori"
    assert form.initial["locality"] == locality.pk
    assert coordinator.email in response.content.decode()
    response = client.post(
        reverse("trainings:detail", kwargs={"pk": training.pk}),
        {"name": "Kaisa Koordinaattori", "locality": locality.pk, "submission": "x", "organisation": ""},
    )
    registration = Registration.objects.get()
    assert (registration.user, registration.email, response.status_code) == (coordinator, coordinator.email, 302)


def test_a_visitor_cannot_choose_a_prospect_locality(client):
    prospect = LocalityFactory(status="prospect", name_fi="Salainen")
    training = TrainingFactory()
    response = client.get(reverse("trainings:detail", kwargs={"pk": training.pk}))
    assert "Salainen" not in response.content.decode()
    response = client.post(reverse("trainings:detail", kwargs={"pk": training.pk}), _visitor_data(prospect))
    assert response.status_code == 200 and not Registration.objects.exists()


def test_the_needs_note_says_when_they_are_erased(client, settings):
    settings.TRAININGS_NEEDS_ERASED_AFTER_DAYS = 21
    page = client.get(reverse("trainings:detail", kwargs={"pk": TrainingFactory().pk})).content.decode()
    assert "poistetaan 21 päivää koulutuksen jälkeen" in page


def test_a_closed_training_shows_no_form_and_refuses_a_post(client, locality):
    training = TrainingFactory(past=True)
    url = reverse("trainings:detail", kwargs={"pk": training.pk})
    assert client.get(url).context["form"] is None
    assert client.post(url, _visitor_data(locality)).status_code == 302
    assert not Registration.objects.exists()


# --- The signed link --------------------------------------------------------------------------------------


def test_the_link_cancels_by_post_only_and_promotes_the_waitlist(client, django_capture_on_commit_callbacks):
    training = TrainingFactory(capacity=1)
    holder = RegistrationFactory(training=training)
    waiting = RegistrationFactory(training=training, status=Registration.Status.WAITLISTED)
    url = reverse("trainings:registration-manage", kwargs={"token": links.registration_token(holder)})
    assert client.get(url).status_code == 200
    # The button asks first: a confirmation page (a GET, which cancels nothing), and a bare POST asks again.
    confirm = client.get(url, {"cancel": "1"})
    assert confirm.status_code == 200
    assert 'name="confirm"' in confirm.content.decode()
    assert client.post(url).status_code == 200
    holder.refresh_from_db()
    assert holder.status == Registration.Status.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "True"})
    assert response.status_code == 302
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (holder.status, waiting.status) == ("cancelled", "confirmed")
    assert waiting.email in {message.to[0] for message in mail.outbox}


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "1" + t, lambda t: "nothing"])
def test_an_altered_link_is_refused(client, mangle):
    registration = RegistrationFactory()
    token = mangle(links.registration_token(registration))
    for name in ("trainings:registration-manage", "trainings:registration-certificate"):
        assert client.get(reverse(name, kwargs={"token": token})).status_code == 404
    assert client.post(reverse("trainings:registration-manage", kwargs={"token": token})).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_an_expired_link_is_refused(client, settings):
    registration = RegistrationFactory()
    token = links.registration_token(registration)
    settings.TRAININGS_LINK_MAX_AGE_DAYS = -1
    response = client.get(reverse("trainings:registration-manage", kwargs={"token": token}))
    assert response.status_code == 404
    assert "Linkki ei ole voimassa" in response.content.decode()


# --- Certificates -----------------------------------------------------------------------------------------


def test_a_certificate_for_attendees_only_by_the_link(client):
    training = TrainingFactory(past=True)
    came = RegistrationFactory(training=training, status=Registration.Status.ATTENDED, language="sv")
    missed = RegistrationFactory(training=training, status=Registration.Status.NO_SHOW)
    confirmed = RegistrationFactory(training=training)
    response = client.get(
        reverse("trainings:registration-certificate", kwargs={"token": links.registration_token(came)})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    for registration in (missed, confirmed):
        url = reverse("trainings:registration-certificate", kwargs={"token": links.registration_token(registration)})
        assert client.get(url).status_code == 404


def test_a_certificate_from_the_portal_is_the_users_own(client, coordinator, other_coordinator):
    training = TrainingFactory(past=True)
    own = RegistrationFactory(
        training=training, user=coordinator, email=coordinator.email, status=Registration.Status.ATTENDED
    )
    url = reverse("trainings:my-certificate", kwargs={"pk": own.pk})
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).content.startswith(b"%PDF")


# --- Portal and staff pages -------------------------------------------------------------------------------


def test_the_portal_suggests_the_onboarding_training_to_a_new_coordinator(client, coordinator):
    onboarding = TrainingFactory(title_fi="Perehdytys uusille")
    client.force_login(coordinator)
    page = client.get(reverse("portal")).content.decode()
    assert "Aloita perehdytyskoulutuksesta" in page and "Perehdytys uusille" in page
    RegistrationFactory(training=onboarding, user=coordinator, email=coordinator.email)
    assert "Aloita perehdytyskoulutuksesta" not in client.get(reverse("portal")).content.decode()


def test_my_trainings_lists_own_registrations_and_cancels(client, coordinator, other_coordinator):
    own = RegistrationFactory(user=coordinator, email=coordinator.email, training__title_fi="Oma koulutus")
    other = RegistrationFactory(user=other_coordinator, training__title_fi="Toisen koulutus")
    client.force_login(coordinator)
    response = client.get(reverse("trainings:mine"))
    assert response.context["registrations"] == [own]
    assert "Oma koulutus" in response.content.decode()
    assert client.post(reverse("trainings:my-cancel", kwargs={"pk": other.pk})).status_code == 404
    client.post(reverse("trainings:my-cancel", kwargs={"pk": own.pk}))
    own.refresh_from_db()
    assert own.status == Registration.Status.CANCELLED


def test_staff_mark_attendance_in_bulk_on_the_page(staff_client):
    training = TrainingFactory(past=True)
    rows = RegistrationFactory.create_batch(3, training=training)
    response = staff_client.post(
        reverse("trainings:attendance", kwargs={"pk": training.pk}),
        {"status": "attended", "registrations": [rows[0].pk, rows[1].pk]},
    )
    assert response.status_code == 302
    assert sorted(Registration.objects.values_list("status", flat=True)) == ["attended", "attended", "confirmed"]


def test_staff_print_the_participant_list(staff_client):
    training = TrainingFactory()
    RegistrationFactory.create_batch(2, training=training)
    response = staff_client.get(reverse("trainings:participants-pdf", kwargs={"pk": training.pk}))
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]


def test_coverage_shows_who_is_trained_and_which_sides_are_not(staff_client, coordinator, locality):
    social = CoordinatorFactory(locality=locality, side="social_health", user__last_name="Sosiaalinen").user
    onboarding = TrainingFactory(past=True, kind=Training.Kind.COORDINATOR_TRAINING)
    meeting = TrainingFactory(past=True, kind=Training.Kind.NATIONAL_MEETING)
    RegistrationFactory(training=onboarding, user=coordinator, email=coordinator.email, status="attended")
    RegistrationFactory(training=meeting, user=social, email=social.email, status="attended")
    entry = staff_client.get(reverse("trainings:coverage")).context["localities"][0]
    assert entry.locality == locality
    assert [str(side) for side in entry.untrained_sides] == ["Sosiaali- ja terveyspalvelut"]
    export = reverse("trainings:coverage-export", kwargs={"file_format": "csv"})
    csv_text = staff_client.get(export).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Paikkakunta;Koordinaattori")
    assert len(lines) == 3 and onboarding.starts_at.date().isoformat() in csv_text
    xlsx = staff_client.get(reverse("trainings:coverage-export", kwargs={"file_format": "xlsx"}))
    assert xlsx.content.startswith(b"PK")
    assert staff_client.get(reverse("trainings:coverage-export", kwargs={"file_format": "pdf"})).status_code == 404


def test_coverage_queries_do_not_grow_with_localities(staff_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            staff_client.get(reverse("trainings:coverage"))
        return len(captured)

    CoordinatorFactory.create_batch(2)
    few = queries()
    CoordinatorFactory.create_batch(20)
    assert queries() == few


def test_linked_materials_show_as_each_reader_may_see_them(client, coordinator):
    from materials.models import Visibility
    from tests.materials.factories import MaterialFactory, PublishedVersionFactory

    public = MaterialFactory(title_fi="Esite kohteille")
    internal = MaterialFactory(title_fi="Koordinaattorin opas", visibility=Visibility.COORDINATORS)
    unpublished = MaterialFactory(title_fi="Keskeneräinen")
    for material in (public, internal):
        PublishedVersionFactory(material=material)
    training = TrainingFactory()
    training.materials.set([public, internal, unpublished])
    url = reverse("trainings:detail", kwargs={"pk": training.pk})
    assert client.get(url).context["materials"] == [public]
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Esite kohteille" in page and "Koordinaattorin opas" in page and "Keskeneräinen" not in page


def test_the_portal_panel_makes_the_same_queries_for_5_and_50_trainings(client, coordinator):
    client.force_login(coordinator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal")).status_code == 200
        return [query["sql"] for query in captured if "trainings_" in query["sql"]]

    for training in TrainingFactory.create_batch(5):
        RegistrationFactory(training=training, user=coordinator, email=coordinator.email)
    few = queries()
    for training in TrainingFactory.create_batch(45):
        RegistrationFactory(training=training, user=coordinator, email=coordinator.email)
    assert len(queries()) == len(few) > 0
