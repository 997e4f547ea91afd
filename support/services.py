"""Writes of support: questions, their messages and states. Keyword-only, one transaction each, `actor=` for the
checks and the history, e-mail through the outbox in the same transaction.

The states: a new question is `new`; staff move it to `open` or `waiting` (for the locality) and a staff reply
makes it `answered` (or `waiting`, when staff ask something back). A message from the locality reopens a
waiting, answered or closed question (`open`). An answered question nobody writes to for 14 days closes itself
(`questions_close_silent`, run by the beat). Internal notes change no state and tell nobody."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history, uploads
from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.models import User
from kaikukeskus.workdays import add_working_days
from localities.models import Coordinator, Locality
from localities.permissions import acts_as_national_staff, is_coordinator, require_scope, require_staff
from support import selectors
from support.models import AUTO_CLOSE_AFTER, FIRST_REPLY_WORKING_DAYS, Attachment, CannedReply, Message, Question

State = Question.State
REOPENED_BY_LOCALITY = (State.WAITING, State.ANSWERED, State.CLOSED)
STAFF_REPLY_STATES = (State.ANSWERED, State.WAITING)

history.register_reasons(
    {
        "support.asked": _l("Question asked"),
        "support.replied": _l("Replied"),
        "support.noted": _l("Internal note"),
        "support.reopened": _l("Reopened by the locality"),
        "support.updated": _l("State or assignee changed"),
        "support.auto_closed": _l("Closed after 14 days of silence"),
    }
)


def first_reply_due(asked_on: datetime.date) -> datetime.date:
    return add_working_days(asked_on, FIRST_REPLY_WORKING_DAYS)


@transaction.atomic
def question_create(
    *,
    actor: User,
    locality: Locality | None,
    category: str,
    subject: str,
    body: str,
    files: Sequence[UploadedFile] = (),
) -> Question:
    """A coordinator asks for their locality (or, with no locality, about national matters). Staff are told: the
    assignee if there is one, else every staff member."""
    if locality is not None:
        require_scope(actor, locality)
    elif not (is_coordinator(user=actor) or acts_as_national_staff(actor)):
        raise PermissionDenied(_("Only coordinators can ask Kaikukeskus."))
    now = timezone.now()
    question = Question(
        locality=locality,
        asked_by=actor,
        category=category,
        subject=subject,
        asked_at=now,
        last_message_at=now,
        due_on=first_reply_due(timezone.localdate(now)),
    )
    history.save(question, actor=actor, reason="support.asked")
    message = _add_message(question=question, actor=actor, body=body, files=files, internal=False, now=now)
    _tell_staff(question=question, message=message, template="support/email/question_new.txt")
    return question


@transaction.atomic
def message_add(
    *,
    actor: User,
    question: Question,
    body: str,
    files: Sequence[UploadedFile] = (),
    internal: bool = False,
    state: str | None = None,
) -> Message:
    """A message in the thread. From the locality: reopens the question and tells staff. From staff: the first
    one is the first reply; the question becomes `state` (answered unless staff wait for the locality) and every
    coordinator of the locality is told in their own language. An internal note (staff only) changes nothing
    else and tells nobody."""
    question = _locked(actor=actor, question=question)
    by_staff = acts_as_national_staff(actor)
    if internal:
        require_staff(actor)
    now = timezone.now()
    message = _add_message(question=question, actor=actor, body=body, files=files, internal=internal, now=now)
    if internal:
        return message
    question.last_message_at = now
    if by_staff:
        new_state = state or State.ANSWERED
        if new_state not in STAFF_REPLY_STATES:
            raise ValidationError(_("A reply leaves the question answered or waiting for the locality."))
        question.state = new_state
        if question.done_on is None:
            question.done_on, question.done_by = timezone.localdate(now), actor
        history.save(question, actor=actor, reason="support.replied")
        _tell_locality(question=question, message=message)
    else:
        reopened = question.state in REOPENED_BY_LOCALITY
        if reopened:
            question.state = State.OPEN
        history.save(question, actor=actor, reason="support.reopened" if reopened else "support.replied")
        _tell_staff(question=question, message=message, template="support/email/locality_reply.txt")
    return message


@transaction.atomic
def question_update(*, actor: User, question: Question, state: str, assignee: User | None) -> Question:
    """Staff move a question to another state or give it to someone; a new assignee is told."""
    require_staff(actor)
    question = _locked(actor=actor, question=question)
    if assignee is not None and not User.objects.national_staff().filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": _("Only Kaikukeskus staff can be assigned.")})
    newly_assigned = assignee is not None and assignee.pk != question.assignee_id
    question.state, question.assignee = state, assignee
    history.save(question, actor=actor, reason="support.updated")
    if newly_assigned and assignee is not None and assignee != actor:
        _send(question=question, message=None, recipients=[assignee], template="support/email/question_assigned.txt")
    return question


def questions_close_silent(*, now: datetime.datetime | None = None) -> int:
    """Close every answered question nobody has written to for 14 days. Each in its own transaction, the row
    locked and its state checked again, so that a reply that comes meanwhile wins and a second run closes
    nothing more."""
    limit = (now or timezone.now()) - AUTO_CLOSE_AFTER
    closed = 0
    for pk in Question.objects.filter(state=State.ANSWERED, last_message_at__lte=limit).values_list("pk", flat=True):
        with transaction.atomic():
            question = Question.objects.select_for_update().get(pk=pk)
            if question.state == State.ANSWERED and question.last_message_at <= limit:
                question.state = State.CLOSED
                history.save(question, actor=None, reason="support.auto_closed")
                closed += 1
    return closed


# --- Helpers ----------------------------------------------------------------------------------------------


def _locked(*, actor: User, question: Question) -> Question:
    """The question again, row locked, if the actor may write to it (404-like refusal otherwise)."""
    locked = selectors.questions_for(user=actor).select_for_update(of=("self",)).filter(pk=question.pk).first()
    if locked is None:
        raise PermissionDenied(_("You cannot write to this question."))
    return locked


def _add_message(
    *, question: Question, actor: User, body: str, files: Iterable[UploadedFile], internal: bool, now
) -> Message:
    message = Message(
        question=question,
        author=actor,
        body=body,
        is_internal=internal,
        by_staff=acts_as_national_staff(actor),
        created_at=now,
    )
    history.save(message, actor=actor, reason="support.noted" if internal else "support.replied")
    for upload in files:
        uploads.validate_upload(upload)
        attachment = Attachment(message=message, original_name=(upload.name or "file")[:200], size=upload.size or 0)
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment.full_clean()
        attachment.save()
    return message


def _coordinators_of(locality: Locality) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, pk__in=Coordinator.objects.active().filter(locality=locality).values("user_id")
        ).order_by("pk")
    )


def _tell_locality(*, question: Question, message: Message) -> None:
    recipients = _coordinators_of(question.locality) if question.locality is not None else []
    asker = question.asked_by
    if not recipients and asker is not None and asker.is_active:
        recipients = [asker]
    _send(question=question, message=message, recipients=recipients, template="support/email/staff_reply.txt")


def _tell_staff(*, question: Question, message: Message, template: str) -> None:
    assignee = question.assignee
    if assignee is not None and assignee.is_active:
        recipients = [assignee]
    else:
        recipients = list(User.objects.national_staff().order_by("pk"))
    _send(question=question, message=message, recipients=recipients, template=template)


def _send(*, question: Question, message: Message | None, recipients: Iterable[User], template: str) -> None:
    """One message a person, each in their own language: nobody sees another's address. Only a message that is
    not an internal note is ever given to a template."""
    if message is not None and message.is_internal:
        raise ValueError("internal notes are never e-mailed")
    for person in recipients:
        language = language_of(person)
        staff_view = person.is_national_staff and template != "support/email/staff_reply.txt"
        send_later(
            to=person.email,
            template=template,
            language=language,
            context={
                "question": question,
                "message": message,
                "url": site_url(
                    "support:staff-detail" if staff_view else "support:detail",
                    language=language,
                    kwargs={"pk": question.pk},
                ),
            },
        )


@transaction.atomic
def canned_reply_save(*, actor: User, canned_reply: CannedReply) -> CannedReply:
    require_staff(actor)
    history.save(canned_reply, actor=actor, reason="created" if canned_reply.pk is None else "edited")
    return canned_reply


@transaction.atomic
def canned_reply_delete(*, actor: User, canned_reply: CannedReply) -> None:
    require_staff(actor)
    history.delete(canned_reply, actor=actor, reason="deleted")
