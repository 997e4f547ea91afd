"""The outbox (kaikukeskus/mail.py): a message is stored in the action's transaction, delivered after it commits,
tried again with a growing wait while the mail server or the broker is down, and delivered once."""

import datetime
import smtplib
import threading
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail as django_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from post_office.models import STATUS, Email

from kaikukeskus import mail
from tests.trainings.factories import TrainingFactory, visitor_form_data
from trainings import services as trainings
from trainings.models import Registration

pytestmark = pytest.mark.django_db

FAILING = "tests.kaikukeskus.test_mail.FailingBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that does not answer."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _smtp(backend: str):
    from django.conf import settings

    return override_settings(POST_OFFICE={**settings.POST_OFFICE, "BACKENDS": {"default": backend}})


def _register_as_visitor(client, training, locality, **values):
    url = reverse("trainings:detail", kwargs={"pk": training.pk})
    return client.post(url, visitor_form_data(locality, **values))


def test_a_message_is_stored_in_the_actions_transaction_and_goes_when_it_commits(
    client, locality, django_capture_on_commit_callbacks
):
    training = TrainingFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _register_as_visitor(client, training, locality)
        assert Email.objects.get().status == STATUS.queued, "stored before the commit, not sent"
    assert response.status_code == 302 and len(callbacks) >= 1
    (message,) = django_mail.outbox
    assert message.to == ["maija@example.fi"] and Email.objects.get().status == STATUS.sent


def test_a_rolled_back_action_leaves_no_message(locality):
    training = TrainingFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        trainings.registration_create(
            actor=AnonymousUser(), training=training, email="maija@example.fi", name="Maija", language="fi"
        )
        raise RuntimeError("the action failed after queueing its e-mail")
    assert not Email.objects.exists() and not Registration.objects.exists()


def test_a_mail_server_that_is_down_never_turns_a_saved_action_into_an_error(
    client, locality, django_capture_on_commit_callbacks, outbox
):
    training = TrainingFactory()
    with _smtp(FAILING), django_capture_on_commit_callbacks(execute=True):
        response = _register_as_visitor(client, training, locality)
    assert response.status_code == 302, "the visitor is told the registration was saved"
    assert Registration.objects.count() == 1
    email = Email.objects.get()
    assert (email.status, email.number_of_retries) == (STATUS.requeued, 1) and django_mail.outbox == []
    # The server answers again; the retry is due.
    Email.objects.update(scheduled_time=timezone.now())
    assert len(outbox.deliver()) == 1
    assert len(outbox.deliver()) == 1, "delivered once: a second run sends nothing"
    assert Email.objects.get().status == STATUS.sent


def test_a_broker_that_is_down_leaves_the_message_for_the_beat(
    client, locality, django_capture_on_commit_callbacks, monkeypatch, caplog, outbox
):
    from kaikukeskus import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(tasks.send_queued_mail, "delay", broker_down)
    training = TrainingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = _register_as_visitor(client, training, locality)
    assert response.status_code == 302 and Registration.objects.count() == 1
    assert Email.objects.get().status == STATUS.queued and django_mail.outbox == []
    assert "could not reach the task broker" in caplog.text
    # The beat's minute run (the same task) delivers it, once.
    monkeypatch.undo()
    tasks.send_queued_mail()
    tasks.send_queued_mail()
    assert [message.to for message in django_mail.outbox] == [["maija@example.fi"]]


def test_each_retry_waits_twice_as_long_and_the_last_marks_the_message_failed(locality):
    trainings.registration_create(
        actor=AnonymousUser(), training=TrainingFactory(), email="maija@example.fi", name="Maija", language="fi"
    )
    base = datetime.timedelta(minutes=1)
    waits = []
    with _smtp(FAILING), override_settings(POST_OFFICE=_with(MAX_RETRIES=3, RETRY_INTERVAL=base)):
        for _attempt in range(4):
            Email.objects.filter(status__in=[STATUS.queued, STATUS.requeued]).update(scheduled_time=None)
            mail.deliver_queued()
            email = Email.objects.get()
            if email.status == STATUS.requeued:
                waits.append(email.scheduled_time - email.last_updated)
    assert waits == [base, 2 * base, 4 * base]
    assert Email.objects.get().status == STATUS.failed
    assert Email.objects.get().logs.filter(status=STATUS.failed).exists(), "why it failed is kept for staff"


def _stored(**values) -> Email:
    return Email.objects.create(from_email="noreply@kaikukortti.fi", **values)


def _with(**options):
    from django.conf import settings

    return {**settings.POST_OFFICE, **options}


def test_staff_find_a_failed_message_in_the_admin_and_requeue_it(staff_client, outbox):
    _stored(to="maija@example.fi", subject="Hei", message="Hei", status=STATUS.failed)
    changelist = reverse("admin:post_office_email_changelist")
    page = staff_client.get(changelist, {"status__exact": STATUS.failed})
    assert page.status_code == 200 and "maija@example.fi" in page.content.decode()
    email = Email.objects.get()
    response = staff_client.post(changelist, {"action": "send_again", "_selected_action": [email.pk]})
    assert response.status_code == 302
    assert Email.objects.get().status == STATUS.queued
    assert [message.to for message in outbox.deliver()] == [["maija@example.fi"]]


def test_plain_text_is_not_html_escaped(locality, outbox):
    trainings.registration_create(
        actor=AnonymousUser(), training=TrainingFactory(), email="anna@example.fi", name="Anna & Ben", language="en"
    )
    (message,) = outbox.deliver()
    assert "Hello Anna & Ben," in message.body and "&amp;" not in message.body


def test_a_template_gives_the_subject_on_its_first_line_in_the_recipients_language(locality):
    training = TrainingFactory(title_sv="Utbildning")
    registration = trainings.registration_create(
        actor=AnonymousUser(), training=training, email="a@example.fi", name="Anna", language="sv"
    )
    email = Email.objects.get()
    assert email.subject.startswith("Anmälan bekräftad") and registration.language == "sv"
    assert email.message.startswith("Hej Anna,")


def test_sent_and_failed_messages_are_forgotten_after_the_keeping_time(locality):
    old = timezone.now() - datetime.timedelta(days=40)
    sent = _stored(to="a@example.fi", subject="s", message="m", status=STATUS.sent)
    queued = _stored(to="b@example.fi", subject="s", message="m", status=STATUS.queued)
    fresh = _stored(to="c@example.fi", subject="s", message="m", status=STATUS.sent)
    Email.objects.filter(pk__in=[sent.pk, queued.pk]).update(last_updated=old)
    assert mail.purge_sent(older_than_days=30) == 1
    assert set(Email.objects.values_list("pk", flat=True)) == {queued.pk, fresh.pk}


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_deliver_each_message_once(locality):
    for number in range(30):
        _stored(to=f"n{number}@example.fi", subject="s", message="m", status=STATUS.queued)
    barrier = threading.Barrier(2)
    errors = []

    def sender():
        try:
            barrier.wait()
            mail.deliver_queued(batch_size=5)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    recipients = [message.to[0] for message in django_mail.outbox]
    assert len(recipients) == 30 and len(set(recipients)) == 30
    assert not Email.objects.exclude(status=STATUS.sent).exists()


class WorkerKilledError(Exception):
    """The worker's process dies (kill -9) while a delivery is under way."""


def test_a_sender_killed_mid_run_sends_again_only_the_message_it_was_sending(locality, monkeypatch):
    for number in range(3):
        _stored(to=f"n{number}@example.fi", subject="s", message="m", status=STATUS.queued)
    send_bulk = mail.post_office._send_bulk

    def dies_once_the_second_message_is_out(emails, **kwargs):
        result = send_bulk(emails, **kwargs)
        if len(django_mail.outbox) >= 2:
            monkeypatch.undo()
            raise WorkerKilledError  # before the run records what it sent
        return result

    monkeypatch.setattr(mail.post_office, "_send_bulk", dies_once_the_second_message_is_out)
    with pytest.raises(WorkerKilledError):
        mail.deliver_queued()
    assert Email.objects.get(to="n0@example.fi").status == STATUS.sent, "marked sent before the next went"
    mail.deliver_queued()
    assert [message.to[0] for message in django_mail.outbox] == [
        "n0@example.fi",
        "n1@example.fi",
        "n1@example.fi",  # the one under way when the worker died: the mail server had it, nobody recorded it
        "n2@example.fi",
    ]


def test_the_admin_list_says_when_a_message_waiting_to_be_sent_again_goes_next(staff_client):
    at = datetime.datetime(2026, 12, 7, 21, 5, tzinfo=ZoneInfo("Europe/Helsinki"))
    _stored(to="maija@example.fi", subject="Hei", message="Hei", status=STATUS.requeued, number_of_retries=1)
    Email.objects.update(scheduled_time=at)
    page = staff_client.get(reverse("admin:post_office_email_changelist"), HTTP_ACCEPT_LANGUAGE="fi")
    assert "jonossa uudelleen: 2. yritys, seuraava 7.12.2026 21.05" in page.content.decode()
