import pytest
from django.conf import settings
from django.core import mail

from tests.trainings.factories import RegistrationFactory, TrainingFactory, in_days
from trainings import tasks
from trainings.models import Registration

pytestmark = pytest.mark.django_db


def test_the_beat_runs_the_reminders_and_the_minimisation_daily():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"trainings.tasks.send_training_reminders", "trainings.tasks.minimise_registration_data"} <= schedule


def test_the_reminder_task_sends_once(django_capture_on_commit_callbacks):
    training = TrainingFactory(starts_at=in_days(1), registration_closes_at=in_days(0.5, hour=0))
    RegistrationFactory(training=training)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_training_reminders.delay().get() == 1
        assert tasks.send_training_reminders.delay().get() == 0
    assert len(mail.outbox) == 1


def test_the_minimisation_task_erases_and_anonymises():
    old = TrainingFactory(starts_at=in_days(-400), registration_opens_at=in_days(-430))
    RegistrationFactory(training=old, dietary_needs="Vegaani")
    result = tasks.minimise_registration_data.delay().get()
    assert result == {"needs_erased": 1, "anonymised": 1}
    assert Registration.objects.get().email == ""
