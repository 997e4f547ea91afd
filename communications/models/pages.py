"""The site's own pages: the texts of the public pages that are not data (what Kaikukortti is, how to get the card,
for venues, issuers and municipalities, contact, the accessibility statement and the privacy notice).

Each page has a stable key, and with it a stable address and URL name (`communications.urls.PAGE_URLS`). Staff
write a *draft* (title and body in fi, sv, en) and see it on the page's preview; visitors read the *published*
text, which only `services.page_publish` writes, by copying the draft. Every save keeps a revision (who, when,
why). Bodies are sanitised HTML (`communications.sanitize`), cleaned by the services before they are saved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communications.sanitize import sanitize
from kaikukeskus.locking import Versioned

LANGUAGES = ("fi", "sv", "en")


class PageQuerySet(models.QuerySet):
    def published(self):
        """What visitors see: pages published at least once (their published Finnish title is set)."""
        return self.filter(published_at__isnull=False).exclude(title_fi="")

    def with_unpublished_changes(self):
        return self.filter(
            Q(published_at__isnull=True)
            | ~Q(title_fi=models.F("draft_title_fi"))
            | ~Q(title_sv=models.F("draft_title_sv"))
            | ~Q(title_en=models.F("draft_title_en"))
            | ~Q(body_fi=models.F("draft_body_fi"))
            | ~Q(body_sv=models.F("draft_body_sv"))
            | ~Q(body_en=models.F("draft_body_en"))
        )


class PageText:
    """A page's text as one reader gets it: in their language, or in Finnish (`fallback`) when the page has no
    text in theirs. `language` is the language the text is in (for the `lang` attribute)."""

    def __init__(self, *, title: str, body: str, language: str, requested: str):
        self.title, self.body, self.language = title, body, language
        self.fallback = language != requested


class Page(Versioned):
    class Key(models.TextChoices):
        ABOUT = "about", _("What Kaikukortti is")
        CARD = "card", _("How to get the card")
        VENUES = "venues", _("For venues")
        ISSUERS = "issuers", _("For issuers")
        MUNICIPALITIES = "municipalities", _("For municipalities")
        CONTACT = "contact", _("Contact Kaikukeskus")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        PRIVACY = "privacy", _("Privacy notice")
        JOIN = "join", _("Kaikukortti for your municipality (the interest form's page)")

    key = models.CharField(_("page"), max_length=30, choices=Key.choices, unique=True)
    draft_title_fi = models.CharField(_("title in Finnish"), max_length=200)
    draft_title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    draft_title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    draft_body_fi = models.TextField(
        _("text in Finnish"),
        help_text=_("Headings, paragraphs, lists, links and emphasis; anything else is removed when saved."),
    )
    draft_body_sv = models.TextField(_("text in Swedish"), blank=True)
    draft_body_en = models.TextField(_("text in English"), blank=True)
    # The published text: written only by publishing, a copy of the draft as it was then.
    title_fi = models.CharField(_("published title in Finnish"), max_length=200, blank=True, editable=False)
    title_sv = models.CharField(_("published title in Swedish"), max_length=200, blank=True, editable=False)
    title_en = models.CharField(_("published title in English"), max_length=200, blank=True, editable=False)
    body_fi = models.TextField(_("published text in Finnish"), blank=True, editable=False)
    body_sv = models.TextField(_("published text in Swedish"), blank=True, editable=False)
    body_en = models.TextField(_("published text in English"), blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("published by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and bool(self.title_fi)

    @property
    def has_unpublished_changes(self) -> bool:
        return not self.is_published or any(
            getattr(self, f"{part}_{language}") != getattr(self, f"draft_{part}_{language}")
            for part in ("title", "body")
            for language in LANGUAGES
        )

    def languages(self, *, draft: bool = False) -> list[str]:
        """The languages the page has a text in (Finnish always, once it is written)."""
        prefix = "draft_" if draft else ""
        return [language for language in LANGUAGES if getattr(self, f"{prefix}title_{language}")]

    def text(self, language: str | None = None, *, draft: bool = False) -> PageText:
        """The published (or the draft) text in `language` (the active one by default), Finnish when the page
        has no title or no body in that language. The body is sanitised once more here, as a news item's is: a
        row written past the services (`.update()`, SQL, a restore) is still shown safely with `|safe`."""
        requested = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        prefix = "draft_" if draft else ""
        shown = requested
        if not (getattr(self, f"{prefix}title_{shown}", "") and getattr(self, f"{prefix}body_{shown}", "")):
            shown = "fi"
        return PageText(
            title=getattr(self, f"{prefix}title_{shown}"),
            body=sanitize(getattr(self, f"{prefix}body_{shown}")),
            language=shown,
            requested=requested,
        )

    @property
    def url_name(self) -> str:
        return page_url_name(self.key)

    def get_absolute_url(self) -> str:
        return reverse(self.url_name)


# Each page's stable address and URL name (un-namespaced, as the first three had before they became pages).
PAGE_ROUTES: dict[str, tuple[str, str]] = {
    Page.Key.ABOUT: ("about/", "about"),
    Page.Key.CARD: ("get-the-card/", "get-the-card"),
    Page.Key.VENUES: ("for-venues/", "for-venues"),
    Page.Key.ISSUERS: ("for-issuers/", "for-issuers"),
    Page.Key.MUNICIPALITIES: ("for-municipalities/", "for-municipalities"),
    Page.Key.CONTACT: ("contact/", "contact"),
    Page.Key.ACCESSIBILITY: ("accessibility/", "accessibility"),
    Page.Key.PRIVACY: ("privacy/", "privacy"),
}
# Pages whose address another app serves, with data and a form of its own around the text staff write: the text
# reaches it through `kaikukeskus.site_texts`, and until it is published that page shows its template's text.
PAGES_SERVED_ELSEWHERE: dict[str, str] = {
    Page.Key.JOIN: "localities:join",
}


def page_url_name(key: str) -> str:
    return PAGE_ROUTES[key][1] if key in PAGE_ROUTES else PAGES_SERVED_ELSEWHERE[key]
