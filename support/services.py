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
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history, ics, uploads
from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.models import User
from kaikukeskus.workdays import add_working_days
from localities import meeting_guests
from localities import selectors as locality_selectors
from localities.models import Locality
from localities.permissions import acts_as_national_staff, is_coordinator, localities_for, require_scope, require_staff
from support import selectors
from support.anonymise import strip_personal_data
from support.models import (
    AUTO_CLOSE_AFTER,
    FIRST_REPLY_WORKING_DAYS,
    Article,
    Attachment,
    Booking,
    CannedReply,
    Message,
    Question,
    Slot,
)

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
        "support.article_drafted": _l("Drafted from a question"),
        "support.booked": _l("Consultation booked"),
        "support.booking_cancelled": _l("Consultation cancelled"),
        "support.booking_moved": _l("Consultation moved"),
        "support.booking_reminded": _l("Reminder sent"),
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


def _tell_locality(*, question: Question, message: Message) -> None:
    recipients = (
        locality_selectors.coordinators_to_tell(locality=question.locality) if question.locality is not None else []
    )
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


# --- Knowledge base ---------------------------------------------------------------------------------------


@transaction.atomic
def article_save(*, actor: User, article: Article) -> Article:
    require_staff(actor)
    history.save(article, actor=actor, reason="created" if article.pk is None else "edited")
    return article


@transaction.atomic
def article_from_question(*, actor: User, question: Question, visibility: str = Article.Visibility.PUBLIC) -> Article:
    """A draft article from a question in one step: its subject, the locality's messages and staff's replies
    (never internal notes), with e-mail addresses, phone numbers and the names of the people around it
    replaced. Unpublished until staff have read it and publish it."""
    require_staff(actor)
    question = Question.objects.select_related("asked_by", "assignee", "locality").get(pk=question.pk)
    messages = list(question.messages.public().select_related("author"))
    names = _names_around(question, messages)
    with translation.override("fi"):
        parts = [
            f"{_('Kaikukeskus') if message.by_staff else _('Question')}:\n{message.body.strip()}"
            for message in messages
        ]
        body = strip_personal_data("\n\n".join(parts), names=names)
        title = strip_personal_data(question.subject, names=names)
    article = Article(
        slug=_free_slug(title),
        title_fi=title[:200],
        body_fi=body,
        category=question.category,
        visibility=visibility,
        is_published=False,
        source_question=question,
    )
    history.save(article, actor=actor, reason="support.article_drafted")
    return article


def _names_around(question: Question, messages: Sequence[Message]) -> list[str]:
    people = [question.asked_by, question.assignee, question.done_by, *(message.author for message in messages)]
    names = []
    if question.locality is not None:
        # Its coordinators, current and former, and the people its partners' records name (contact persons).
        people += list(User.objects.filter(coordinatorships__locality=question.locality).distinct())
        names += meeting_guests.names(question.locality)
    for person in people:
        if person is not None:
            names += [person.get_full_name(), person.first_name, person.last_name, person.email.split("@")[0]]
    return [name for name in names if name]


def _free_slug(title: str) -> str:
    base = slugify(title)[:70] or "artikkeli"
    slug, number = base, 1
    while Article.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


# --- Consultation appointments ----------------------------------------------------------------------------


class BookingRefusedError(ValidationError):
    """A booking, cancellation or move that cannot be made (the slot is full or past its limit)."""


@transaction.atomic
def slot_save(*, actor: User, slot: Slot) -> Slot:
    require_staff(actor)
    history.save(slot, actor=actor, reason="created" if slot.pk is None else "edited")
    return slot


@transaction.atomic
def booking_create(*, actor: User, slot: Slot, locality: Locality, topic: str) -> Booking:
    """A coordinator books a place for their locality. The slot's row is locked while its places are counted, so
    of two coordinators taking the last place at once one gets it and the other is told it is gone."""
    require_scope(actor, locality)
    slot = _lock_slot(slot.pk)
    _check_free(slot, locality=locality)
    booking = Booking(slot=slot, locality=locality, topic=topic, booked_by=actor, booked_at=timezone.now())
    history.save(booking, actor=actor, reason="support.booked")
    _send_booking(booking, template="support/email/booking_confirmed.txt")
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    booking = _lock_booking(actor=actor, booking=booking)
    _check_changeable(booking.slot)
    booking.cancelled_at = timezone.now()
    history.save(booking, actor=actor, reason="support.booking_cancelled")
    _send_booking(booking, template="support/email/booking_cancelled.txt", cancelled=True)
    return booking


@transaction.atomic
def booking_move(*, actor: User, booking: Booking, slot: Slot) -> Booking:
    """Move a booking to another slot, both within their limits; the calendar file sent replaces the first."""
    booking = _lock_booking(actor=actor, booking=booking)
    _check_changeable(booking.slot)
    if slot.pk == booking.slot_id:
        return booking
    new_slot = _lock_slot(slot.pk)
    _check_free(new_slot, locality=booking.locality)
    booking.slot, booking.sequence, booking.reminded_at = new_slot, booking.sequence + 1, None
    history.save(booking, actor=actor, reason="support.booking_moved")
    _send_booking(booking, template="support/email/booking_moved.txt")
    return booking


def booking_reminders_send(*, on: datetime.date | None = None) -> int:
    """The day before a consultation, its booker is reminded, once (`reminded_at`): safe to run twice."""
    tomorrow = (on or timezone.localdate()) + datetime.timedelta(days=1)
    sent = 0
    ids = (
        Booking.objects.active()
        .filter(reminded_at__isnull=True, slot__starts_at__date=tomorrow)
        .values_list("pk", flat=True)
    )
    for pk in list(ids):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("slot", "locality", "booked_by")
                .filter(pk=pk, reminded_at__isnull=True, cancelled_at__isnull=True)
                .first()
            )
            if booking is None:
                continue
            booking.reminded_at = timezone.now()
            history.save(booking, actor=None, reason="support.booking_reminded")
            _send_booking(booking, template="support/email/booking_reminder.txt")
            sent += 1
    return sent


def _lock_slot(pk: int) -> Slot:
    return Slot.objects.select_for_update().get(pk=pk)


def _lock_booking(*, actor: User, booking: Booking) -> Booking:
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "locality")
        .filter(pk=booking.pk, locality__in=localities_for(actor), cancelled_at__isnull=True)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You cannot change this booking."))
    return locked


def _check_free(slot: Slot, *, locality: Locality) -> None:
    _check_changeable(slot)
    bookings = Booking.objects.active().filter(slot=slot)
    if bookings.filter(locality=locality).exists():
        raise BookingRefusedError(_("Your locality has booked this time already."), code="booked_already")
    if bookings.count() >= slot.capacity:
        raise BookingRefusedError(
            _("Somebody took the last place of this time just now. Choose another time."), code="full"
        )


def _check_changeable(slot: Slot) -> None:
    if not slot.is_changeable():
        raise BookingRefusedError(
            _("Bookings of this time can no longer be made, cancelled or moved (%(hours)s hours before it starts)."),
            code="too_late",
            params={"hours": slot.change_limit_hours},
        )


def _send_booking(booking: Booking, *, template: str, cancelled: bool = False) -> None:
    """The booker is told, with the calendar file (one UID for the booking, whatever its slot)."""
    person = booking.booked_by
    if person is None or not person.is_active:
        return
    language = language_of(person)
    slot = booking.slot
    with translation.override(language):
        summary = _("Kaikukeskus consultation: %(locality)s") % {"locality": booking.locality.name}
    calendar = ics.event_calendar(
        uid=ics.uid(f"support-booking-{booking.pk}"),
        start=slot.starts_at,
        end=slot.ends_at,
        summary=summary,
        description=f"{booking.topic}\n{slot.online_link}",
        location=slot.online_link,
        cancelled=cancelled,
        sequence=booking.sequence,
    )
    send_later(
        to=person.email,
        template=template,
        language=language,
        context={
            "booking": booking,
            "slot": slot,
            "url": site_url("support:slots", language=language),
        },
        attachments=[ics.attachment(calendar, cancelled=cancelled)],
    )
