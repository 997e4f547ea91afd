"""Newsletters and their subscribers (DESIGN §4).

A `Newsletter` issue is written by staff (a title and an introduction per language, Finnish required, and chosen
public news items) and sent once: `sent_at` is set under a row lock by `services.newsletter_send`, which also
writes one `NewsletterDelivery` per recipient (unique per issue and address), so a second send, or a batch run
twice, sends nothing more. A sent issue has a public web version.

A `Subscriber` is an e-mail address's newsletter preference: a visitor who confirmed a subscription (double
opt-in: `confirmed_at`), or an address that unsubscribed (`unsubscribed_at`), which also keeps a coordinator's or
staff member's address out of the recipients. Service mail (report deadlines, trainings) never looks here."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communications.models.news import LANGUAGES, Audience, NewsItem
from communications.sanitize import sanitize
from kaikukeskus.locking import Versioned
from localities.models import TranslatedField

LANGUAGE_CHOICES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


class NewsletterQuerySet(models.QuerySet):
    def sent(self):
        """Issues that have gone out: the only ones with a public web version."""
        return self.filter(sent_at__isnull=False)


class Newsletter(Versioned):
    title_fi = models.CharField(_("title in Finnish"), max_length=200, help_text=_("The subject of the e-mail."))
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    intro_fi = models.TextField(_("introduction in Finnish"))
    intro_sv = models.TextField(_("introduction in Swedish"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    items = models.ManyToManyField(
        NewsItem,
        blank=True,
        related_name="newsletters",
        verbose_name=_("news items"),
        limit_choices_to={"audience": Audience.PUBLIC},
        help_text=_("Public news items listed after the introduction, newest first."),
    )
    to_coordinators = models.BooleanField(_("to coordinators"), default=True)
    to_staff = models.BooleanField(_("to Kaikukeskus staff"), default=True)
    to_subscribers = models.BooleanField(_("to subscribers"), default=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("sent by"),
    )
    recipients_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    title = TranslatedField()

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = NewsletterQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-sent_at", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        for language in LANGUAGES:
            field = f"intro_{language}"
            setattr(self, field, sanitize(getattr(self, field)).strip())
        if not self.intro_fi:
            raise ValidationError({"intro_fi": _("The Finnish text is empty once unsafe markup is removed.")})
        for language in ("sv", "en"):
            if bool(getattr(self, f"title_{language}").strip()) != bool(getattr(self, f"intro_{language}")):
                raise ValidationError(
                    {f"title_{language}": _("Give both the title and the text in this language, or neither.")}
                )

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def languages(self) -> list[str]:
        return [language for language in LANGUAGES if getattr(self, f"title_{language}").strip()]

    def reading_language(self, language: str | None = None) -> str:
        """`language` (the active one by default) when the issue is written in it, else Finnish."""
        language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return language if language in self.languages else "fi"

    @property
    def in_fallback_language(self) -> bool:
        return self.reading_language() != (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]

    def shown_title(self, language: str | None = None) -> str:
        return getattr(self, f"title_{self.reading_language(language)}")

    def shown_intro(self, language: str | None = None) -> str:
        """The sanitised introduction (sanitised once more here, as news bodies are)."""
        return sanitize(getattr(self, f"intro_{self.reading_language(language)}"))

    @property
    def title_shown(self) -> str:
        return self.shown_title()

    @property
    def intro_shown(self) -> str:
        return self.shown_intro()


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Confirmed and not unsubscribed: the public subscribers an issue goes to."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def opted_out(self):
        return self.filter(unsubscribed_at__isnull=False)


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), unique=True, help_text=_("Stored in lower case."))
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="fi")
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, help_text=_("When the address's owner used the confirmation link.")
    )
    unsubscribed_at = models.DateTimeField(
        _("unsubscribed at"),
        null=True,
        blank=True,
        help_text=_("No newsletter goes to this address, not even as a coordinator or staff member."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()


class NewsletterDelivery(models.Model):
    """One recipient of a sent issue, written when it is sent; `queued_at` once its message is in the outbox (in
    the same transaction). Unique per issue and address: a recipient cannot be sent an issue twice."""

    newsletter = models.ForeignKey(Newsletter, models.CASCADE, related_name="deliveries", verbose_name=_("newsletter"))
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["newsletter", "email"], name="newsletterdelivery_once")]

    def __str__(self) -> str:
        return f"{self.newsletter} – {self.email}"
