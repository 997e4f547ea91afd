import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from post_office.models import Email

from support import services
from support.models import Attachment, Category, Message, Question
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import CoordinatorFactory
from tests.support.conftest import pdf
from tests.support.factories import CannedReplyFactory, QuestionFactory

pytestmark = pytest.mark.django_db

State = Question.State


def ask(actor, locality, **values):
    return services.question_create(
        actor=actor,
        locality=locality,
        category=Category.PILOT,
        subject=values.pop("subject", "Pilotin aikataulu"),
        body=values.pop("body", "Milloin pilotti voi alkaa?"),
        **values,
    )


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode()


def test_a_coordinator_asks_with_an_attachment(client, coordinator, locality, staff, outbox):
    client.force_login(coordinator)
    response = client.post(
        reverse("support:create"),
        {
            "locality": locality.pk,
            "category": Category.STATISTICS,
            "subject": "Raportin korjaus",
            "body": "Miten korjaan lähetetyn raportin?",
            "attachments": [pdf("raportti.pdf")],
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response.url == reverse("support:detail", kwargs={"pk": question.pk})
    assert (question.locality, question.asked_by, question.category) == (locality, coordinator, Category.STATISTICS)
    attachment = Attachment.objects.get()
    page = client.get(response.url)
    assert "Raportin korjaus" in page.content.decode() and "raportti.pdf" in page.content.decode()
    download = client.get(reverse("support:attachment", kwargs={"pk": attachment.pk}))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert [message.to for message in outbox.deliver()] == [[staff.email]]


def test_a_file_that_is_not_allowed_is_refused_on_the_form(client, coordinator, locality):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    response = client.post(
        reverse("support:create"),
        {
            "locality": locality.pk,
            "category": Category.OTHER,
            "subject": "Skripti",
            "body": "Katso liite",
            "attachments": [SimpleUploadedFile("ohje.exe", b"MZ\x90\x00")],
        },
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not Question.objects.exists()


def test_the_form_offers_only_the_localities_one_coordinates(client, coordinator, locality, other_locality):
    client.force_login(coordinator)
    response = client.get(reverse("support:create"))
    choices = list(response.context["form"].fields["locality"].queryset)
    assert choices == [locality]
    refused = client.post(
        reverse("support:create"),
        {"locality": other_locality.pk, "category": Category.OTHER, "subject": "x", "body": "y"},
    )
    assert refused.status_code == 200 and not Question.objects.exists()


def test_every_coordinator_of_the_locality_sees_and_answers_the_thread(
    client, coordinator, second_coordinator, locality
):
    question = ask(coordinator, locality)
    client.force_login(second_coordinator)
    assert [q.pk for q in client.get(reverse("support:list")).context["questions"]] == [question.pk]
    response = client.post(reverse("support:detail", kwargs={"pk": question.pk}), {"body": "Vastaan toisena"})
    assert response.status_code == 302
    assert question.messages.last().author == second_coordinator


def test_other_localities_and_former_coordinators_get_404(client, coordinator, other_coordinator, locality):
    question = ask(coordinator, locality, files=[pdf()])
    attachment = Attachment.objects.get()
    today = timezone.localdate()
    former = CoordinatorFactory(locality=locality, started_on=today - datetime.timedelta(days=99), ended_on=today).user
    for user in (other_coordinator, former):
        client.force_login(user)
        assert client.get(reverse("support:detail", kwargs={"pk": question.pk})).status_code == 404
        assert client.post(reverse("support:detail", kwargs={"pk": question.pk}), {"body": "x"}).status_code == 404
        assert client.get(reverse("support:attachment", kwargs={"pk": attachment.pk})).status_code == 404
    client.force_login(other_coordinator)
    assert list(client.get(reverse("support:list")).context["questions"]) == []
    assert question.messages.count() == 1


def test_staff_see_every_localitys_questions(client, staff, coordinator, other_coordinator, locality, other_locality):
    first, second = ask(coordinator, locality), ask(other_coordinator, other_locality)
    client.force_login(staff)
    listed = {question.pk for question in client.get(reverse("support:inbox")).context["questions"]}
    assert listed == {first.pk, second.pk}


def test_an_internal_note_is_never_shown_to_a_coordinator(
    client, coordinator, second_coordinator, locality, staff, outbox, settings
):
    """A note with a unique text (and an attachment) is searched in every response a coordinator can get from
    support's URLs, in every queued e-mail and in the thread's exports."""
    secret = "SALAINEN-MUISTIINPANO-7f3a9c"
    question = ask(coordinator, locality, files=[pdf("kysymys.pdf")])
    services.message_add(
        actor=staff,
        question=question,
        body=f"{secret}: soitin, he ovat myöhässä.",
        internal=True,
        files=[pdf("sisainen.pdf", text=secret)],
    )
    services.message_add(actor=staff, question=question, body="Julkinen vastaus.")
    services.message_add(actor=second_coordinator, question=question, body="Kiitos!")
    note = Message.objects.get(is_internal=True)
    note_attachment = note.attachments.get()
    pages = [
        reverse("support:list"),
        reverse("support:create"),
        reverse("support:detail", kwargs={"pk": question.pk}),
        reverse("portal"),
        *[reverse("support:attachment", kwargs={"pk": a.pk}) for a in Attachment.objects.all()],
    ]
    for user in (coordinator, second_coordinator):
        client.force_login(user)
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                for url in [reverse("support:list"), reverse("support:detail", kwargs={"pk": question.pk})]:
                    pages.append(url)
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            assert secret not in _text(response), url
            assert "sisainen.pdf" not in _text(response), url
        assert client.get(reverse("support:attachment", kwargs={"pk": note_attachment.pk})).status_code == 404
    for email in Email.objects.all():
        assert secret not in f"{email.subject}{email.message}{email.html_message}"
    assert all(secret not in message.body for message in outbox.deliver())
    # Staff see it on their page, and only there.
    client.force_login(staff)
    assert secret in client.get(reverse("support:staff-detail", kwargs={"pk": question.pk})).content.decode()
    assert secret not in client.get(reverse("support:detail", kwargs={"pk": question.pk})).content.decode()


def test_staff_reply_with_a_canned_answer_in_the_readers_language(client, staff, coordinator, locality, outbox):
    question = ask(coordinator, locality)
    canned = CannedReplyFactory()
    client.force_login(staff)
    url = reverse("support:staff-detail", kwargs={"pk": question.pk})
    page = client.get(url, {"canned": canned.pk, "language": "sv"})
    assert page.context["form"]["body"].value() == canned.body_sv
    outbox.clear()
    response = client.post(url, {"body": canned.body_sv, "kind": State.ANSWERED})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.state == State.ANSWERED and question.done_by == staff
    assert [message.to for message in outbox.deliver()] == [[coordinator.email]]


def test_staff_change_state_and_assignee(client, staff, coordinator, locality):
    question = ask(coordinator, locality)
    client.force_login(staff)
    response = client.post(
        reverse("support:staff-update", kwargs={"pk": question.pk}), {"state": State.OPEN, "assignee": staff.pk}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.state, question.assignee) == (State.OPEN, staff)


def test_overdue_first_replies_are_on_the_staff_front_page(client, staff, coordinator, locality):
    late = QuestionFactory(
        locality=locality, subject="Myöhässä oleva", due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    QuestionFactory(locality=locality, subject="Ajallaan", due_on=timezone.localdate())
    QuestionFactory(
        locality=locality,
        subject="Suljettu",
        state=State.CLOSED,
        due_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    client.force_login(staff)
    page = client.get(reverse("portal")).content.decode()
    assert "Myöhässä oleva" in page and "Ajallaan" not in page and "Suljettu" not in page
    assert reverse("support:staff-detail", kwargs={"pk": late.pk}) in page
    client.force_login(coordinator)
    assert "Myöhässä oleva" not in client.get(reverse("portal")).content.decode()


def _inbox_queries(client, count: int) -> int:
    existing = Question.objects.count()
    users = [StaffFactory()] + [CoordinatorFactory().user for _index in range(2)]
    for index in range(existing, count):
        question = QuestionFactory(assignee=users[0], asked_by=users[index % 3])
        Message.objects.create(question=question, author=question.asked_by, body="Hei")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("support:inbox"))
    assert response.status_code == 200 and len(response.context["questions"]) == count
    return len(queries)


def test_the_inbox_makes_the_same_queries_for_five_and_many_questions(client, staff):
    client.force_login(staff)
    assert _inbox_queries(client, 5) == _inbox_queries(client, 60)


def test_pages_are_in_finnish_and_swedish(client, coordinator, locality):
    question = ask(coordinator, locality)
    client.force_login(coordinator)
    assert "Kysymykset Kaikukeskukselle" in client.get(reverse("support:list")).content.decode()
    with translation.override("sv"):
        url = reverse("support:detail", kwargs={"pk": question.pk})
    assert url.startswith("/sv/") and "Skriv ett svar" in client.get(url).content.decode()
