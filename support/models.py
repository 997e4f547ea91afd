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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaikukeskus import uploads
from kaikukeskus.models import national_staff_choices
from kaikukeskus.storage import safe_name
from kaikukeskus.validators import validate_reasonable_date
from localities.models import DueWork, DueWorkQuerySet, Locality, person_field, private_storage
from localities.permissions import acts_as_national_staff, is_coordinator

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


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Who reads which article, the one rule: everybody the public ones, coordinators also theirs, staff
        all (drafts too)."""
        if acts_as_national_staff(user):
            return self
        visibilities = [Article.Visibility.PUBLIC]
        if is_coordinator(user=user):
            visibilities.append(Article.Visibility.COORDINATORS)
        return self.published().filter(visibility__in=visibilities)


class Article(models.Model):
    """An answer worth keeping, in the knowledge base. A translation that is missing is shown in Finnish, marked
    as such (`text`)."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        COORDINATORS = "coordinators", _("Coordinators")
        STAFF = "staff", _("National staff")

    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Used in web addresses."))
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    body_fi = models.TextField(_("text in Finnish"))
    body_sv = models.TextField(_("text in Swedish"), blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.COORDINATORS
    )
    is_published = models.BooleanField(_("published"), default=False)
    material_links = models.TextField(
        _("links to materials"),
        blank=True,
        help_text=_("One a line: a material's address in the portal (/materials/…/) or its slug."),
    )
    source_question = models.ForeignKey(
        Question,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("made from the question"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge base article")
        verbose_name_plural = _("knowledge base articles")
        ordering = ["title_fi"]

    def __str__(self) -> str:
        return self.title_fi

    def is_translated(self, language: str | None = None) -> bool:
        language = language or get_language() or "fi"
        return language == "fi" or bool(
            getattr(self, f"title_{language}", "") and getattr(self, f"body_{language}", "")
        )

    @property
    def title(self) -> str:
        return self.title_fi if not self.is_translated() else getattr(self, f"title_{get_language()}", self.title_fi)

    @property
    def body(self) -> str:
        return self.body_fi if not self.is_translated() else getattr(self, f"body_{get_language()}", self.body_fi)

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def shown_in_finnish(self) -> bool:
        """The reader's language is missing: the Finnish text is shown, with a label that says so."""
        return not self.is_translated()

    @property
    def material_links_list(self) -> list[str]:
        """Each line as a link: an address as it is, a slug as the material's page (`/materials/<slug>/`)."""
        links = []
        for line in self.material_links.splitlines():
            line = line.strip()
            if line:
                is_slug = not line.startswith(("/", "https://"))
                # A URL name, not an import: support does not import the materials app.
                links.append(reverse("materials:detail", kwargs={"slug": line}) if is_slug else line)
        return links


class SlotQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gt=timezone.now())

    def with_taken(self):
        """`taken`: the places booked (cancelled bookings free theirs)."""
        return self.annotate(
            taken=models.Count("bookings", filter=Q(bookings__cancelled_at__isnull=True), distinct=True)
        )


class Slot(models.Model):
    """A remote consultation time that staff open; `capacity` localities may book it."""

    starts_at = models.DateTimeField(_("starts at"))
    length = models.PositiveSmallIntegerField(_("length in minutes"), default=60)
    online_link = models.URLField(_("online meeting link"), max_length=500)
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)
    change_limit_hours = models.PositiveSmallIntegerField(
        _("booking, cancelling and moving until (hours before)"), default=24
    )
    host = person_field(_("host"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation slot")
        verbose_name_plural = _("consultation slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
            models.CheckConstraint(condition=Q(length__gte=5), name="slot_length_positive"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M} ({self.length} min)"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.length)

    @property
    def change_deadline(self) -> datetime.datetime:
        """Until when a booking may be made, cancelled or moved."""
        return self.starts_at - datetime.timedelta(hours=self.change_limit_hours)

    def is_changeable(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) < self.change_deadline


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)


class Booking(models.Model):
    slot = models.ForeignKey(Slot, models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    locality = models.ForeignKey(Locality, models.CASCADE, related_name="support_bookings", verbose_name=_("locality"))
    topic = models.CharField(_("topic"), max_length=300)
    booked_by = person_field(_("booked by"))
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    # The calendar file's SEQUENCE: a moved booking's file replaces the one sent before.
    sequence = models.PositiveSmallIntegerField(_("calendar sequence"), default=0)

    history = HistoricalRecords()
    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation booking")
        verbose_name_plural = _("consultation bookings")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "locality"], condition=Q(cancelled_at__isnull=True), name="booking_one_per_locality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.locality} – {self.slot}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None
