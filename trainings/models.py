"""Trainings and meetings that Kaikukeskus holds (coordinator trainings, the yearly national meeting, webinars,
workshops, partner briefings) and the registrations for them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaikukeskus.locking import Versioned
from localities.models import Locality, TranslatedField, person_field


class TrainingQuerySet(models.QuerySet):
    def published(self):
        """What visitors see: published and cancelled trainings (a cancelled one says so); never drafts."""
        return self.exclude(status=Training.Status.DRAFT)

    def upcoming(self, now: datetime.datetime | None = None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now: datetime.datetime | None = None):
        return self.filter(ends_at__lt=now or timezone.now())

    def open_for_registration(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.filter(
            status=Training.Status.PUBLISHED, registration_opens_at__lte=now, registration_closes_at__gt=now
        )

    def with_seats_taken(self):
        """`seats_taken`: the registrations that hold a place (confirmed, attended, no-show), in the same query."""
        return self.annotate(
            seats_taken=Count("registrations", filter=Q(registrations__status__in=Registration.SEAT_STATUSES))
        )


class Training(Versioned):
    class Kind(models.TextChoices):
        COORDINATOR_TRAINING = "coordinator_training", _("Coordinator training")
        NATIONAL_MEETING = "national_meeting", _("National annual meeting")
        WEBINAR = "webinar", _("Webinar")
        WORKSHOP = "workshop", _("Workshop")
        PARTNER_BRIEFING = "partner_briefing", _("Partner briefing")

    class Audience(models.TextChoices):
        COORDINATORS = "coordinators", _("Local coordinators")
        PARTNERS = "partners", _("Issuers and venues")
        EVERYONE = "everyone", _("Everyone interested")

    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        ON_SITE = "on_site", _("On site")
        HYBRID = "hybrid", _("Hybrid (on site and online)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    # "format" means the file format in materials: a context keeps the two apart in the merged catalogue.
    format = models.CharField(pgettext_lazy("training", "format"), max_length=20, choices=Format.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("The address of an on-site or hybrid training.")
    )
    online_link = models.URLField(
        _("online meeting link"),
        max_length=500,
        blank=True,
        help_text=_("Shown to registered participants and in their e-mails only, never on public pages."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places in all. Empty: no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="fi",
        help_text=_("The language the training is held in."),
    )
    materials = models.ManyToManyField(
        "materials.Material",
        blank=True,
        related_name="trainings",
        verbose_name=_("linked materials"),
        help_text=_("Shown on the training's page to those who may see each material."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    title = TranslatedField()
    description = TranslatedField()

    history = HistoricalRecords()
    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="training_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="training_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0), name="training_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The training must end after it starts.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.registration_closes_at and self.ends_at and self.registration_closes_at > self.ends_at:
            errors["registration_closes_at"] = _("Registration must close by the end of the training.")
        if self.format in (self.Format.ONLINE, self.Format.HYBRID) and not self.online_link:
            errors["online_link"] = _("An online or hybrid training needs its meeting link.")
        if self.format in (self.Format.ON_SITE, self.Format.HYBRID) and not self.place.strip():
            errors["place"] = _("An on-site or hybrid training needs its place.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_registration_open(self) -> bool:
        """The one rule for signing up: published, and now between opening and closing."""
        now = timezone.now()
        return self.status == self.Status.PUBLISHED and self.registration_opens_at <= now < self.registration_closes_at

    @property
    def registration_not_yet_open(self) -> bool:
        return self.status == self.Status.PUBLISHED and timezone.now() < self.registration_opens_at

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def is_on_site(self) -> bool:
        return self.format in (self.Format.ON_SITE, self.Format.HYBRID)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that still stand: everything but cancelled ones."""
        return self.exclude(status=Registration.Status.CANCELLED)

    def holding_seats(self):
        return self.filter(status__in=Registration.SEAT_STATUSES)

    def waitlist(self):
        """The waitlist in its order: first come, first promoted."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")

    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not attend")

    # The registrations that take one of the training's places.
    SEAT_STATUSES = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
    # The statuses staff choose between when marking attendance.
    ATTENDANCE_STATUSES = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    training = models.ForeignKey(Training, models.CASCADE, related_name="registrations", verbose_name=_("training"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_registrations",
        verbose_name=_("user"),
        help_text=_("Empty when a visitor registered without logging in."),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    locality = models.ForeignKey(
        Locality,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_registrations",
        verbose_name=_("locality"),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="fi",
        help_text=_("E-mails and the certificate are in this language."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)
    # A random key per rendered form: the same form sent twice (a double click) finds the first registration.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    attendance_marked_by = person_field(_("attendance marked by"))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)
    needs_erased_at = models.DateTimeField(_("needs erased at"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["training", "created_at", "pk"]
        constraints = [
            # One standing registration per e-mail address and training, whatever its case; a cancelled or
            # anonymised one leaves the address free.
            models.UniqueConstraint(
                F("training"),
                Lower("email"),
                condition=~Q(status="cancelled") & Q(anonymised_at__isnull=True),
                name="registration_one_per_email",
            ),
            models.UniqueConstraint(
                fields=["training", "submission_key"],
                condition=~Q(submission_key=""),
                name="registration_one_per_submission",
            ),
        ]
        indexes = [models.Index(fields=["training", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} – {self.training}"

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEAT_STATUSES

    @property
    def is_cancellable(self) -> bool:
        """The registrant may still cancel: confirmed or waitlisted, and the training has not started."""
        return (
            self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)
            and not self.training.has_started
            and not self.training.is_cancelled
        )

    @property
    def sees_online_link(self) -> bool:
        """The meeting link is for those with a place in a training that takes place."""
        return self.holds_seat and self.training.is_online and not self.training.is_cancelled

    @property
    def has_certificate(self) -> bool:
        return self.status == self.Status.ATTENDED
