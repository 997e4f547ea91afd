"""News and announcements (DESIGN §4): an item with a title and body per language (Finnish required), an audience,
tags, a publication time and an optional expiry, pinned as a banner, or to be acknowledged by every locality.

Who sees an item is `NewsItemQuerySet.visible_to(user)` (and `public()` for a visitor): the one rule for pages, the
feed, the API, the banners and the site search. Anything else answers 404."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communications.sanitize import sanitize
from kaikukeskus.locking import Versioned
from localities.models import Locality, TranslatedField
from localities.permissions import acts_as_national_staff, is_coordinator

LANGUAGES = ("fi", "sv", "en")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everybody")
    COORDINATORS = "coordinators", _("Coordinators and staff")
    STAFF = "staff", _("Kaikukeskus staff only")


class NewsTag(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True, help_text=_("Used in web addresses."))
    name_fi = models.CharField(_("name in Finnish"), max_length=80)
    name_sv = models.CharField(_("name in Swedish"), max_length=80, blank=True)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)

    name = TranslatedField()

    class Meta:
        verbose_name = _("news tag")
        verbose_name_plural = _("news tags")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return self.name


class NewsItemQuerySet(models.QuerySet):
    def published(self, now: datetime.datetime | None = None):
        """Items whose time has come and not gone: `publish_at` passed, `expire_at` (if any) not yet."""
        now = now or timezone.now()
        return self.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now), publish_at__lte=now)

    def public(self, now: datetime.datetime | None = None):
        """What a visitor sees: published items for everybody (pages, feed, API, sitemap, search)."""
        return self.published(now).filter(audience=Audience.PUBLIC)

    def visible_to(self, user, now: datetime.datetime | None = None):
        """The one visibility rule: staff read every published item, coordinators the public and coordinators'
        ones, everybody else the public ones. Scheduled and expired items are nobody's to read outside the
        admin."""
        if acts_as_national_staff(user):
            return self.published(now)
        if is_coordinator(user=user):
            return self.published(now).filter(audience__in=[Audience.PUBLIC, Audience.COORDINATORS])
        return self.public(now)

    def for_list(self):
        return self.order_by("-pinned", "-publish_at", "-pk").prefetch_related("tags")

    def schedule_edges(self, now: datetime.datetime) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """(the latest publication or expiry that has passed, the next one to come): between the two, what is
        published does not change unless a row does."""
        edges = self.aggregate(
            last_publish=Max("publish_at", filter=Q(publish_at__lte=now)),
            last_expire=Max("expire_at", filter=Q(expire_at__lte=now)),
            next_publish=Min("publish_at", filter=Q(publish_at__gt=now)),
            next_expire=Min("expire_at", filter=Q(expire_at__gt=now)),
        )
        passed = [edge for edge in (edges["last_publish"], edges["last_expire"]) if edge is not None]
        coming = [edge for edge in (edges["next_publish"], edges["next_expire"]) if edge is not None]
        return (max(passed) if passed else None), (min(coming) if coming else None)


class NewsItem(Versioned):
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Used in web addresses."))
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    body_fi = models.TextField(_("text in Finnish"))
    body_sv = models.TextField(_("text in Swedish"), blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    audience = models.CharField(
        _("audience"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text=_("Who reads the item. Everybody else gets “not found”."),
    )
    tags = models.ManyToManyField(NewsTag, blank=True, related_name="items", verbose_name=_("tags"))
    publish_at = models.DateTimeField(
        _("published at"),
        default=timezone.now,
        db_index=True,
        help_text=_("A time in the future schedules the item: nobody but staff in the administration sees it before."),
    )
    expire_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("After this time the item is no longer shown.")
    )
    pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("Shown as a banner on the front page until the reader dismisses it."),
    )
    to_acknowledge = models.BooleanField(
        _("to acknowledge"),
        default=False,
        help_text=_("Every locality's coordinators are asked to acknowledge that they have read the item."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("reminder after days"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Coordinators of localities that have not acknowledged the item are reminded once after this."),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    title = TranslatedField()

    history = HistoricalRecords()
    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-publish_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True) | Q(expire_at__gt=models.F("publish_at")),
                name="newsitem_expires_after_publication",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        for language in LANGUAGES:
            field = f"body_{language}"
            setattr(self, field, sanitize(getattr(self, field)))
        if not self.body_fi.strip():
            raise ValidationError({"body_fi": _("The Finnish text is empty once unsafe markup is removed.")})
        if self.expire_at and self.publish_at and self.expire_at <= self.publish_at:
            raise ValidationError({"expire_at": _("The item must expire after it is published.")})
        if self.to_acknowledge and self.audience == Audience.STAFF:
            raise ValidationError(
                {"to_acknowledge": _("Coordinators cannot acknowledge an item they cannot read: choose its audience.")}
            )

    def get_absolute_url(self) -> str:
        return reverse("communications:news-detail", kwargs={"slug": self.slug})

    @property
    def languages(self) -> list[str]:
        """The languages the item is written in (a title and a text)."""
        return [
            language
            for language in LANGUAGES
            if getattr(self, f"title_{language}").strip() and getattr(self, f"body_{language}").strip()
        ]

    @property
    def reading_language(self) -> str:
        """The language the item is shown in to the reader: theirs when the item has it, else Finnish."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        language = language.split("-")[0]
        return language if language in self.languages else "fi"

    @property
    def in_fallback_language(self) -> bool:
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return self.reading_language != language

    @property
    def shown_title(self) -> str:
        return getattr(self, f"title_{self.reading_language}")

    @property
    def shown_body(self) -> str:
        """The sanitised body in the reading language (sanitised once more here: a row written past the model,
        by `.update()` or SQL, is still shown safely)."""
        return sanitize(getattr(self, f"body_{self.reading_language}"))

    @property
    def is_published(self) -> bool:
        now = timezone.now()
        return self.publish_at <= now and (self.expire_at is None or self.expire_at > now)

    @property
    def reminder_due_at(self) -> datetime.datetime:
        return self.publish_at + datetime.timedelta(days=self.reminder_after_days)


class Acknowledgement(models.Model):
    """A coordinator acknowledged an item for a locality they coordinate. A locality counts as having
    acknowledged when any of its coordinators did."""

    item = models.ForeignKey(NewsItem, models.CASCADE, related_name="acknowledgements", verbose_name=_("news item"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="news_acknowledgements", verbose_name=_("user")
    )
    locality = models.ForeignKey(
        Locality, models.CASCADE, related_name="news_acknowledgements", verbose_name=_("locality")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "user", "locality"], name="acknowledgement_once_per_coordinator")
        ]

    def __str__(self) -> str:
        return f"{self.item} – {self.locality} ({self.user})"


class NewsDismissal(models.Model):
    """A signed-in reader dismissed a pinned item's banner: it does not come back for them."""

    item = models.ForeignKey(NewsItem, models.CASCADE, related_name="dismissals", verbose_name=_("news item"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="news_dismissals", verbose_name=_("user")
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), default=timezone.now)

    class Meta:
        verbose_name = _("dismissed banner")
        verbose_name_plural = _("dismissed banners")
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="newsdismissal_once")]

    def __str__(self) -> str:
        return f"{self.item} – {self.user}"
