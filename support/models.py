"""Support (DESIGN §4): the localities' questions to Kaikukeskus and their threads, canned replies, the knowledge
base and consultation appointments.

A question belongs to its locality, not to the person who asked: every active coordinator of the locality reads
and answers it (`selectors.questions_for`). Its first reply is due in 3 Finnish working days (`DueWork`: the one
overdue rule; `done_on` is the day of the first reply by staff). A message may be an internal note of staff, which
no coordinator's page, e-mail, export or API shows: `MessageQuerySet.visible_to` is the one rule."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaikukeskus import uploads
from kaikukeskus.models import national_staff_choices
from kaikukeskus.storage import safe_name
from kaikukeskus.validators import validate_reasonable_date
from localities.models import DueWork, DueWorkQuerySet, Locality, person_field, private_storage
from localities.permissions import acts_as_national_staff

# The target for the first reply, in Finnish working days (kaikukeskus/workdays.py).
FIRST_REPLY_WORKING_DAYS = 3
# An answered question that nobody writes to for this long closes by itself.
AUTO_CLOSE_AFTER = datetime.timedelta(days=14)


class Category(models.TextChoices):
    """What a question is about: the sections of the national guideline, so that the report can tell which of
    them collect the most questions."""

    PILOT = "pilot", _("Pilot")
    CARDS = "cards", _("Kaikukanta and cards")
    STATISTICS = "statistics", _("Statistics")
    MATERIALS = "materials", _("Materials and the guideline")
    PARTNERS = "partners", _("Partners")
    ACCESSIBILITY = "accessibility", _("Accessibility and equality")
    OTHER = "other", _("Other")


class QuestionQuerySet(DueWorkQuerySet):
    def open(self):
        """No first reply yet, and not closed (a question closed without a reply is not late)."""
        return super().open().exclude(state=Question.State.CLOSED)


class Question(DueWork):
    class State(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting for the locality")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    locality = models.ForeignKey(
        Locality,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="support_questions",
        verbose_name=_("locality"),
        help_text=_("Empty for a question about national matters."),
    )
    asked_by = person_field(_("asked by"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=national_staff_choices,
        verbose_name=_("assignee"),
    )
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message at"), default=timezone.now)
    # DueWork's fields, named for what they mean here.
    due_on = models.DateField(_("first reply due"), validators=[validate_reasonable_date])
    done_on = models.DateField(_("first replied on"), null=True, blank=True, validators=[validate_reasonable_date])
    done_by = person_field(_("first replied by"))

    history = HistoricalRecords()
    objects = QuestionQuerySet.as_manager()

    class Meta(DueWork.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["state", "due_on"]), models.Index(fields=["locality", "-last_message_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def first_reply_due(self) -> datetime.date:
        return self.due_on

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.state != self.State.CLOSED and super().is_overdue(on)


class MessageQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_internal=False)

    def visible_to(self, user):
        """Internal notes are staff's only: the one rule for every page, e-mail, export and API."""
        return self if acts_as_national_staff(user) else self.public()


class Message(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="messages", verbose_name=_("question"))
    author = person_field(_("author"))
    body = models.TextField(_("message"), max_length=20000)
    is_internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Seen by Kaikukeskus staff only, never by the locality.")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    by_staff = models.BooleanField(_("written by Kaikukeskus"), default=False)

    history = HistoricalRecords()
    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(is_internal=False) | Q(by_staff=True), name="message_internal_by_staff")
        ]

    def __str__(self) -> str:
        return f"{self.question} #{self.pk}"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    return f"support/{instance.message.question_id}/{instance.message_id}/{safe_name(filename)}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, models.CASCADE, related_name="attachments", verbose_name=_("message"))
    file = models.FileField(_("file"), upload_to=attachment_upload_to, storage=private_storage, max_length=300)
    original_name = models.CharField(_("original name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        return safe_name(self.original_name)

    @property
    def is_inline(self) -> bool:
        return uploads.normalised_format(self.original_name) in uploads.INLINE_FORMATS


class CannedReply(models.Model):
    """A ready answer staff insert into a reply, in the language of the reader."""

    title = models.CharField(_("title"), max_length=150, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    body_fi = models.TextField(_("text in Finnish"))
    body_sv = models.TextField(_("text in Swedish"), blank=True)
    body_en = models.TextField(_("text in English"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def body(self, language: str) -> str:
        """The text in `language`, Finnish when it has not been translated."""
        return getattr(self, f"body_{language}", "") or self.body_fi
