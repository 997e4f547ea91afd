import pytest
from django.core import mail
from django.urls import reverse

from tests.trainings.factories import RegistrationFactory, TrainingFactory, in_days
from trainings.models import Registration, Training

pytestmark = pytest.mark.django_db


def _training_form(**values):
    data = {
        "status": "published",
        "kind": "webinar",
        "audience": "everyone",
        "format": "online",
        "language": "fi",
        "title_fi": "Webinaari",
        "online_link": "https://meet.example.fi/webinaari",
        "starts_at_0": in_days(20).strftime("%d.%m.%Y"),
        "starts_at_1": "09:00",
        "ends_at_0": in_days(20).strftime("%d.%m.%Y"),
        "ends_at_1": "11:00",
        "registration_opens_at_0": in_days(-1).strftime("%d.%m.%Y"),
        "registration_opens_at_1": "08:00",
        "registration_closes_at_0": in_days(18).strftime("%d.%m.%Y"),
        "registration_closes_at_1": "16:00",
        "capacity": "30",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
        **values,
    }
    return data


def test_staff_create_a_training_in_the_admin(staff_client):
    response = staff_client.post(reverse("admin:trainings_training_add"), _training_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    training = Training.objects.get()
    assert training.title_fi == "Webinaari" and training.history.get().history_user is not None


def test_cancelling_in_the_admin_tells_the_registrants(staff_client, django_capture_on_commit_callbacks):
    training = TrainingFactory()
    RegistrationFactory(training=training, email="maija@example.fi")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:trainings_training_changelist"),
            {"action": "cancel_trainings", "_selected_action": [training.pk]},
        )
    assert response.status_code == 302
    assert Training.objects.get().is_cancelled
    assert [message.to for message in mail.outbox] == [["maija@example.fi"]]


def test_bulk_attendance_in_the_admin_goes_through_the_service(staff_client):
    training = TrainingFactory(past=True)
    rows = RegistrationFactory.create_batch(2, training=training)
    staff_client.post(
        reverse("admin:trainings_registration_changelist"),
        {"action": "mark_attended", "_selected_action": [row.pk for row in rows]},
    )
    assert set(Registration.objects.values_list("status", flat=True)) == {"attended"}
    assert all(row.history.filter(history_change_reason="attendance").exists() for row in Registration.objects.all())


def test_the_admin_lists_and_pages_open(staff_client):
    training = TrainingFactory()
    RegistrationFactory(training=training)
    for url in [
        reverse("admin:trainings_training_changelist"),
        reverse("admin:trainings_training_change", args=[training.pk]),
        reverse("admin:trainings_registration_changelist"),
    ]:
        assert staff_client.get(url).status_code == 200
    assert staff_client.get(reverse("admin:trainings_registration_add")).status_code == 302


def test_a_cancelled_trainings_status_cannot_be_changed_in_the_admin(staff_client):
    training = TrainingFactory(status=Training.Status.CANCELLED)
    response = staff_client.get(reverse("admin:trainings_training_change", args=[training.pk]))
    assert "status" not in response.context["adminform"].form.fields


def test_a_stale_admin_save_is_refused_and_keeps_what_was_typed(staff_client, staff):
    from trainings import services

    training = TrainingFactory(title_fi="Alkuperäinen")
    url = reverse("admin:trainings_training_change", args=[training.pk])
    opened_version = staff_client.get(url).context["adminform"].form["version"].value()
    training.title_fi = "Toisen tallentama"
    services.training_save(actor=staff, training=training, expected_version=training.version)
    data = _training_form(title_fi="Minun versioni", version=opened_version, status="published")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Minun versioni" in response.content.decode()
    assert Training.objects.get().title_fi == "Toisen tallentama"
    # Saving again (the form now carries the current version) overwrites knowingly.
    data["version"] = response.context["adminform"].form.data["version"]
    assert staff_client.post(url, data).status_code == 302
    assert Training.objects.get().title_fi == "Minun versioni"


def test_the_service_refuses_a_stale_version(staff):
    from kaikukeskus.locking import StaleVersionError
    from trainings import services

    training = TrainingFactory()
    with pytest.raises(StaleVersionError):
        services.training_save(actor=staff, training=training, expected_version=training.version + 5)


def test_cancelling_registrations_in_the_admin_counts_them_and_leaves_a_refused_one(staff_client):
    """The action is `act_on_each`: a registration the service refuses (its training has started) is told as a
    warning and left; the rest are cancelled and counted."""
    open_one = RegistrationFactory(training=TrainingFactory(), email="maija@example.fi")
    started = RegistrationFactory(training=TrainingFactory(past=True), email="pekka@example.fi")
    response = staff_client.post(
        reverse("admin:trainings_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [open_one.pk, started.pk]},
        follow=True,
    )
    shown = [(message.level_tag, message.message) for message in response.context["messages"]]
    assert ("success", "1 registration cancelled.") in shown
    assert [level for level, text in shown if text.startswith(str(started))] == ["warning"]
    assert Registration.objects.get(pk=open_one.pk).status == Registration.Status.CANCELLED
    assert Registration.objects.get(pk=started.pk).status != Registration.Status.CANCELLED
