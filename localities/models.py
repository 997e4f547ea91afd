"""Localities: reference data (regions, wellbeing services counties, municipalities), the localities that run
Kaikukortti, their coordinators and the invitations that make a coordinator."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TranslatedNameMixin:
    """`name` in the active language, Finnish when the translation is empty."""

    @property
    def name(self) -> str:
        language = (get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi

    def __str__(self) -> str:
        return self.name


class Region(TranslatedNameMixin, models.Model):
    name_fi = models.CharField(_("name in Finnish"), max_length=100, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_fi"]


class WellbeingServicesCounty(TranslatedNameMixin, models.Model):
    name_fi = models.CharField(_("name in Finnish"), max_length=150, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")
        ordering = ["name_fi"]


class Municipality(TranslatedNameMixin, models.Model):
    code = models.CharField(_("municipality code"), max_length=3, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="municipalities", verbose_name=_("region"))
    county = models.ForeignKey(
        WellbeingServicesCounty,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("wellbeing services county"),
        help_text=_("Empty for Åland, which has no wellbeing services county."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{3}$"), name="municipality_code_3_digits")
        ]


class LocalityQuerySet(models.QuerySet):
    def public(self):
        """What visitors see: localities that run the card now. Never prospects."""
        return self.filter(status__in=Locality.PUBLIC_STATUSES)


class Locality(TranslatedNameMixin, models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        GROUP = "group", _("Group of municipalities")
        COUNTY = "county", _("Wellbeing services county")

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        PREPARING = "preparing", _("Preparing")
        PILOTING = "piloting", _("Piloting")
        PERMANENT = "permanent", _("Permanent")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    PUBLIC_STATUSES = (Status.PILOTING, Status.PERMANENT)

    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150, blank=True)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Used in web addresses."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)
    municipalities = models.ManyToManyField(
        Municipality, related_name="localities", blank=True, verbose_name=_("municipalities")
    )
    county = models.ForeignKey(
        WellbeingServicesCounty,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="localities",
        verbose_name=_("wellbeing services county"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROSPECT)
    first_contact_on = models.DateField(_("first contact on"), null=True, blank=True)
    pilot_start_on = models.DateField(_("pilot start"), null=True, blank=True)
    pilot_end_on = models.DateField(_("pilot end"), null=True, blank=True)
    permanent_since = models.DateField(_("permanent since"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    website = models.URLField(_("local web page"), blank=True)
    feedback_email = models.EmailField(_("public feedback e-mail"), blank=True)
    local_only_card = models.BooleanField(
        _("local-only card"), default=False, help_text=_("The card is valid only at this locality's venues.")
    )
    staff_notes = models.TextField(_("staff-only notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = LocalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["name_fi"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pilot_end_on__isnull=True)
                | Q(pilot_start_on__isnull=True)
                | Q(pilot_end_on__gte=models.F("pilot_start_on")),
                name="locality_pilot_end_after_start",
            ),
        ]

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES


class Side(models.TextChoices):
    CULTURE = "culture", _("Culture")
    SOCIAL_HEALTH = "social_health", _("Social and health services")


class CoordinatorQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


class Coordinator(models.Model):
    """A membership: the user coordinates the locality on one side. Ending it keeps the row for history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="coordinatorships", verbose_name=_("user")
    )
    locality = models.ForeignKey(Locality, models.CASCADE, related_name="coordinators", verbose_name=_("locality"))
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = CoordinatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        ordering = ["locality__name_fi", "side", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "locality"],
                condition=Q(ended_on__isnull=True),
                name="coordinator_one_open_membership",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="coordinator_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.locality} ({self.get_side_display()})"


class Invitation(models.Model):
    """A single-use, expiring link that staff send to a future coordinator. Only the token's hash is kept."""

    email = models.EmailField(_("e-mail address"))
    locality = models.ForeignKey(Locality, models.CASCADE, related_name="invitations", verbose_name=_("locality"))
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fi")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.locality}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
