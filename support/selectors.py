"""Scoped reads of support. A coordinator reaches the questions of the localities they coordinate now (and the
national ones they asked themselves); staff reach all. Internal notes only through `Message.objects.visible_to`."""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from localities.permissions import acts_as_national_staff, is_coordinator, localities_for, scoped
from support.models import Article, Attachment, Booking, CannedReply, Message, Question, Slot


def questions_for(*, user) -> QuerySet[Question]:
    """The one scope of questions: staff all; a coordinator their active localities' and the national questions
    they asked while coordinating; nobody else anything."""
    if acts_as_national_staff(user):
        return Question.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    in_scope = Q(locality__in=localities_for(user))
    if is_coordinator(user=user):
        in_scope |= Q(locality__isnull=True, asked_by=user)
    return Question.objects.filter(in_scope)


def question_list(*, user, state: str = "", overdue: bool = False, assignee=None) -> QuerySet[Question]:
    """A list page's rows, with what each row shows loaded in the same query."""
    questions: QuerySet[Question] = (
        questions_for(user=user)
        .select_related("locality", "asked_by", "assignee")
        .annotate(message_count=Count("messages", filter=_readable_messages(user)))
    )
    if state:
        questions = questions.filter(state=state)
    if overdue:
        questions = questions.filter(pk__in=Question.objects.overdue().values("pk"))
    if assignee is not None:
        questions = questions.filter(assignee=assignee)
    return questions.order_by("-last_message_at", "-pk")


def _readable_messages(user) -> Q:
    """`Message.objects.visible_to`'s rule seen from a question: staff count internal notes too."""
    return Q(messages__pk__isnull=False) if acts_as_national_staff(user) else Q(messages__is_internal=False)


def question_for_user_or_404(*, user, pk: int) -> Question:
    return get_object_or_404(questions_for(user=user).select_related("locality", "asked_by", "assignee"), pk=pk)


def thread(*, user, question: Question) -> list[Message]:
    """The messages the user may read, each with its author and attachments."""
    return list(
        Message.objects.visible_to(user)
        .filter(question=question)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", Attachment.objects.order_by("pk")))
    )


def attachment_for_user_or_404(*, user, pk: int) -> Attachment:
    """An attachment of a message the user may read: in scope, and never one of an internal note for a
    coordinator."""
    attachment = get_object_or_404(Attachment.objects.select_related("message__question"), pk=pk)
    visible = Message.objects.visible_to(user).filter(pk=attachment.message_id)
    if not (visible.exists() and questions_for(user=user).filter(pk=attachment.message.question_id).exists()):
        raise Http404("attachment outside scope")
    return attachment


def canned_replies() -> QuerySet[CannedReply]:
    return CannedReply.objects.all()


def overdue_first_replies() -> QuerySet[Question]:
    return Question.objects.overdue().select_related("locality", "assignee").order_by("due_on", "pk")


# --- Knowledge base ---------------------------------------------------------------------------------------

SUGGESTIONS = 5
MIN_WORD = 4


def articles_for(*, user, category: str = "", query: str = "") -> QuerySet[Article]:
    articles = Article.objects.visible_to(user)
    if category:
        articles = articles.filter(category=category)
    for word in query.split()[:8]:
        articles = articles.filter(_mentions(word))
    return articles.order_by("title_fi")


def public_articles(*, category: str = "", query: str = "") -> QuerySet[Article]:
    """What a visitor reads at /faq/, whoever asks (the page is cached as the public's)."""
    return articles_for(user=None, category=category, query=query)


def article_for_user_or_404(*, user, slug: str) -> Article:
    return get_object_or_404(Article.objects.visible_to(user), slug=slug)


def _mentions(word: str) -> Q:
    return (
        Q(title_fi__icontains=word)
        | Q(title_sv__icontains=word)
        | Q(title_en__icontains=word)
        | Q(body_fi__icontains=word)
        | Q(body_sv__icontains=word)
        | Q(body_en__icontains=word)
    )


def article_suggestions(*, user, subject: str) -> list[Article]:
    """Articles the person may read that share words of the subject (4 letters or more), those with the most
    shared words first: offered while a question is written, before it is sent."""
    words = {word.strip(".,:;!?()\"'").lower() for word in subject.split()}
    words = {word for word in words if len(word) >= MIN_WORD}
    if not words:
        return []
    chosen = sorted(words)[:8]
    matches = Q()
    for word in chosen:
        matches |= _mentions(word)
    hits = [
        Case(When(_mentions(word), then=Value(1)), default=Value(0), output_field=IntegerField()) for word in chosen
    ]
    score = sum(hits[1:], start=hits[0])
    return list(
        Article.objects.visible_to(user)
        .filter(matches)
        .annotate(score=score)
        .order_by("-score", "title_fi")[:SUGGESTIONS]
    )


# --- Consultation appointments ----------------------------------------------------------------------------


def open_slots() -> QuerySet[Slot]:
    """Upcoming slots with `taken` places, in time order."""
    return Slot.objects.upcoming().with_taken().order_by("starts_at", "pk")


def bookings_for(*, user) -> QuerySet[Booking]:
    """Active upcoming bookings of the user's localities (every locality's for staff)."""
    return scoped(Booking.objects.active().filter(slot__starts_at__gt=timezone.now()), user=user).select_related(
        "slot", "locality", "booked_by"
    )


def booking_for_user_or_404(*, user, pk: int) -> Booking:
    return get_object_or_404(bookings_for(user=user), pk=pk)
