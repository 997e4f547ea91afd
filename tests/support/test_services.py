import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from post_office.models import STATUS, Email

from localities.models import Coordinator
from support import services
from support.models import Category, Message, Question
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory
from tests.support.conftest import pdf
from tests.support.factories import QuestionFactory

pytestmark = pytest.mark.django_db

State = Question.State
HELSINKI = ZoneInfo("Europe/Helsinki")


def ask(actor, locality, **values):
    return services.question_create(
        actor=actor,
        locality=locality,
        category=values.pop("category", Category.STATISTICS),
        subject=values.pop("subject", "Miten tilastot ilmoitetaan?"),
        body=values.pop("body", "Hei, miten vuoden luvut ilmoitetaan portaalissa?"),
        **values,
    )


@pytest.mark.parametrize(
    ("asked_on", "due_on"),
    [
        # Midsummer: Eve (Friday) and Day (Saturday) are days off.
        (datetime.date(2026, 6, 18), datetime.date(2026, 6, 24)),
        (datetime.date(2027, 6, 24), datetime.date(2027, 6, 30)),
        (datetime.date(2027, 6, 25), datetime.date(2027, 6, 30)),
        # Christmas: Eve, Day and Boxing Day; New Year's Day and Epiphany.
        (datetime.date(2026, 12, 23), datetime.date(2026, 12, 30)),
        (datetime.date(2026, 12, 29), datetime.date(2027, 1, 4)),
        (datetime.date(2027, 1, 4), datetime.date(2027, 1, 8)),
        # An ordinary week.
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 5)),
    ],
)
def test_the_first_reply_is_due_in_three_finnish_working_days(asked_on, due_on):
    assert services.first_reply_due(asked_on) == due_on


def test_a_question_asked_the_day_before_christmas_eve_is_due_after_the_holidays(coordinator, locality, at):
    at(datetime.datetime(2026, 12, 23, 15, 0, tzinfo=HELSINKI))
    question = ask(coordinator, locality)
    assert question.due_on == question.first_reply_due == datetime.date(2026, 12, 30)
    assert question.state == State.NEW and question.locality == locality and question.asked_by == coordinator
    assert not Question.objects.overdue(on=datetime.date(2026, 12, 30)).exists()
    assert Question.objects.overdue(on=datetime.date(2026, 12, 31)).get() == question
    assert question.history.get().history_change_reason == "support.asked"


def test_a_coordinator_cannot_ask_for_another_locality(coordinator, other_locality):
    with pytest.raises(PermissionDenied):
        ask(coordinator, other_locality)
    assert not Question.objects.exists()


def test_a_former_coordinator_can_ask_nothing_more(locality):
    today = timezone.localdate()
    former = CoordinatorFactory(locality=locality, started_on=today - datetime.timedelta(days=30), ended_on=today).user
    with pytest.raises(PermissionDenied):
        ask(former, locality)
    with pytest.raises(PermissionDenied):
        ask(former, None)


def test_a_coordinator_asks_about_national_matters_without_a_locality(coordinator):
    question = ask(coordinator, None, category=Category.MATERIALS)
    assert question.locality is None and question.asked_by == coordinator


def test_an_attachment_is_checked_and_stored_with_a_safe_name(coordinator, locality):
    question = ask(coordinator, locality, files=[pdf("../../Pöytäkirja 2026 (final).PDF")])
    attachment = question.messages.get().attachments.get()
    assert attachment.original_name == "Pöytäkirja 2026 (final).PDF"
    assert attachment.file.name.startswith(f"support/{question.pk}/")
    assert attachment.file.name.endswith("poytakirja-2026-final.pdf") and ".." not in attachment.file.name


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved(coordinator, locality):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("ohje.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError):
        ask(coordinator, locality, files=[fake])
    assert not Question.objects.exists() and not Email.objects.exists()


def test_a_staff_reply_answers_and_is_the_first_reply(coordinator, locality, staff, at):
    at(datetime.datetime(2026, 12, 21, 9, 0, tzinfo=HELSINKI))
    question = ask(coordinator, locality)
    at(datetime.datetime(2026, 12, 22, 10, 0, tzinfo=HELSINKI))
    services.message_add(actor=staff, question=question, body="Luvut ilmoitetaan lomakkeella.")
    question.refresh_from_db()
    assert (question.state, question.done_on, question.done_by) == (State.ANSWERED, datetime.date(2026, 12, 22), staff)
    # A later reply keeps the first reply's date.
    at(datetime.datetime(2026, 12, 28, 10, 0, tzinfo=HELSINKI))
    services.message_add(actor=staff, question=question, body="Vielä tarkennus.", state=State.WAITING)
    question.refresh_from_db()
    assert (question.state, question.done_on) == (State.WAITING, datetime.date(2026, 12, 22))


@pytest.mark.parametrize("state", [State.WAITING, State.ANSWERED, State.CLOSED])
def test_a_reply_from_the_locality_reopens_the_question(coordinator, locality, state):
    question = QuestionFactory(locality=locality, asked_by=coordinator, state=state)
    services.message_add(actor=coordinator, question=question, body="Vielä yksi kysymys.")
    question.refresh_from_db()
    assert question.state == State.OPEN
    assert question.history.first().history_change_reason == "support.reopened"


def test_a_reply_from_the_locality_leaves_a_new_question_new(coordinator, locality):
    question = QuestionFactory(locality=locality, asked_by=coordinator)
    services.message_add(actor=coordinator, question=question, body="Lisätieto.")
    question.refresh_from_db()
    assert question.state == State.NEW


def test_the_second_coordinator_of_the_locality_writes_to_the_thread(coordinator, second_coordinator, locality):
    question = ask(coordinator, locality)
    message = services.message_add(actor=second_coordinator, question=question, body="Minä vastaan tähän.")
    assert message.author == second_coordinator and not message.by_staff


def test_another_localitys_coordinator_cannot_write_to_the_thread(coordinator, other_coordinator, locality):
    question = ask(coordinator, locality)
    with pytest.raises(PermissionDenied):
        services.message_add(actor=other_coordinator, question=question, body="Hei")
    assert question.messages.count() == 1


def test_only_staff_write_internal_notes_and_a_note_changes_nothing(coordinator, locality, staff, outbox):
    question = ask(coordinator, locality)
    with pytest.raises(PermissionDenied):
        services.message_add(actor=coordinator, question=question, body="salaa", internal=True)
    outbox.clear()
    services.message_add(actor=staff, question=question, body="Soitin heille.", internal=True)
    question.refresh_from_db()
    assert (question.state, question.done_on) == (State.NEW, None)
    assert not Email.objects.exists(), "nobody is told of an internal note"


def test_a_staff_reply_cannot_leave_the_question_new(coordinator, locality, staff):
    question = ask(coordinator, locality)
    with pytest.raises(ValidationError):
        services.message_add(actor=staff, question=question, body="Hei", state=State.NEW)


def test_an_answered_question_closes_after_fourteen_days_of_silence(coordinator, locality, staff, at):
    start = at(datetime.datetime(2026, 12, 8, 12, 0, tzinfo=HELSINKI))
    silent = ask(coordinator, locality, subject="Hiljainen")
    talked = ask(coordinator, locality, subject="Jatkuu")
    waiting = ask(coordinator, locality, subject="Odottaa")
    services.message_add(actor=staff, question=silent, body="Vastaus")
    services.message_add(actor=staff, question=talked, body="Vastaus")
    services.message_add(actor=staff, question=waiting, body="Kysymys takaisin", state=State.WAITING)
    at(start + datetime.timedelta(days=10))
    services.message_add(actor=staff, question=talked, body="Lisää")
    at(start + datetime.timedelta(days=14, minutes=1))
    assert services.questions_close_silent() == 1
    assert services.questions_close_silent() == 0, "a second run closes nothing more"
    states = dict(Question.objects.values_list("subject", "state"))
    assert states == {"Hiljainen": State.CLOSED, "Jatkuu": State.ANSWERED, "Odottaa": State.WAITING}
    closed = Question.objects.get(subject="Hiljainen").history.first()
    assert (closed.history_change_reason, closed.history_user) == ("support.auto_closed", None)


def test_the_task_closes_silent_questions(coordinator, locality, staff):
    from support.tasks import close_silent_questions

    question = QuestionFactory(
        locality=locality, state=State.ANSWERED, last_message_at=timezone.now() - datetime.timedelta(days=15)
    )
    assert close_silent_questions() == 1
    question.refresh_from_db()
    assert question.state == State.CLOSED


def test_staff_assign_a_question_to_staff_only_and_the_assignee_is_told(coordinator, locality, staff, outbox):
    question = ask(coordinator, locality)
    colleague = StaffFactory(email="kollega@kaikukeskus.example.fi", preferred_language="sv")
    outbox.clear()
    services.question_update(actor=staff, question=question, state=State.OPEN, assignee=colleague)
    question.refresh_from_db()
    assert (question.state, question.assignee) == (State.OPEN, colleague)
    (sent,) = outbox.deliver()
    assert sent.to == [colleague.email] and sent.subject.startswith("En fråga")
    with pytest.raises(ValidationError):
        services.question_update(actor=staff, question=question, state=State.OPEN, assignee=coordinator)
    with pytest.raises(PermissionDenied):
        services.question_update(actor=coordinator, question=question, state=State.CLOSED, assignee=None)


# --- E-mail ----------------------------------------------------------------------------------------------


def test_a_new_question_tells_every_staff_member_or_only_the_assignee(coordinator, locality, staff, outbox):
    other_staff = StaffFactory(email="toinen@kaikukeskus.example.fi")
    question = ask(coordinator, locality, subject="Kortit loppu")
    sent = outbox.deliver()
    assert sorted(message.to[0] for message in sent) == sorted([staff.email, other_staff.email])
    assert all(message.subject == "Uusi kysymys: Kortit loppu" for message in sent)
    assert f"/portal/support/staff/{question.pk}/" in sent[0].body
    outbox.clear()
    services.question_update(actor=staff, question=question, state=State.OPEN, assignee=staff)
    services.message_add(actor=coordinator, question=question, body="Lisätietoa")
    assert [message.to for message in outbox.deliver()] == [[staff.email]]


def test_a_staff_reply_tells_every_coordinator_of_the_locality_in_their_own_language(
    coordinator, second_coordinator, locality, other_coordinator, staff, outbox
):
    today = timezone.localdate()
    CoordinatorFactory(locality=locality, started_on=today - datetime.timedelta(days=9), ended_on=today)
    question = ask(coordinator, locality, subject="Kortit loppu")
    outbox.clear()
    services.message_add(actor=staff, question=question, body="Uusia kortteja tulee ensi viikolla.")
    sent = {message.to[0]: message for message in outbox.deliver()}
    assert set(sent) == {coordinator.email, second_coordinator.email}, "active coordinators only, one each"
    assert sent[coordinator.email].subject == "Kaikukeskus vastasi: Kortit loppu"
    assert sent[second_coordinator.email].subject == "Kaikukeskus svarade: Kortit loppu"
    assert "/sv/portal/support/" in sent[second_coordinator.email].body
    assert "Uusia kortteja tulee ensi viikolla." in sent[coordinator.email].body


def test_a_staff_reply_to_a_national_question_tells_the_asker(coordinator, staff, outbox):
    question = ask(coordinator, None)
    outbox.clear()
    services.message_add(actor=staff, question=question, body="Vastaus")
    assert [message.to for message in outbox.deliver()] == [[coordinator.email]]


def test_a_failing_mail_server_loses_nothing_and_sends_nothing_twice(
    coordinator, second_coordinator, locality, staff, outbox, django_capture_on_commit_callbacks
):
    from tests.kaikukeskus.test_mail import FAILING, _smtp

    question = ask(coordinator, locality)
    outbox.clear()
    with _smtp(FAILING), django_capture_on_commit_callbacks(execute=True):
        services.message_add(actor=staff, question=question, body="Vastaus tulee")
    assert Message.objects.filter(question=question, by_staff=True).exists(), "the reply is saved"
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.requeued}
    assert outbox.deliver() == [], "the retry is not due yet"
    Email.objects.update(scheduled_time=timezone.now())
    sent = outbox.deliver()
    assert sorted(message.to[0] for message in sent) == sorted([coordinator.email, second_coordinator.email])
    assert len(outbox.deliver()) == 2, "a second run sends nothing more"
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.sent}


def test_a_rolled_back_reply_queues_no_mail(coordinator, locality, staff, outbox):
    from django.db import transaction

    question = ask(coordinator, locality)
    outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.message_add(actor=staff, question=question, body="Vastaus")
        raise RuntimeError("failed after the reply")
    assert not Email.objects.exists()


def test_coordinators_of_a_locality_are_everyone_active(locality, coordinator, second_coordinator):
    assert {c.user for c in Coordinator.objects.active().filter(locality=locality)} == {coordinator, second_coordinator}
    assert LocalityFactory() is not None
