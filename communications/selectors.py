"""Reads for news and announcements, each through the one visibility rule (`NewsItem.objects.visible_to`)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from communications.models import Acknowledgement, Audience, NewsDismissal, NewsItem, Newsletter, Subscriber
from communications.models.newsletter import LANGUAGE_CHOICES
from communications.models.pages import Page, PageText
from kaikukeskus.mail import language_of
from kaikukeskus.models import User
from localities.models import Coordinator, Locality, Side
from localities.permissions import is_coordinator, localities_for


def news_list(*, user, tag: str | None = None) -> QuerySet[NewsItem]:
    items = NewsItem.objects.visible_to(user).for_list()
    if tag:
        items = items.filter(tags__slug=tag)
    return items


def pinned_for(*, user, dismissed: set[int] = frozenset()) -> list[NewsItem]:  # type: ignore[assignment]
    """Pinned items the reader sees and has not dismissed: a signed-in reader's dismissals are rows, a
    visitor's are the ids in their session (`dismissed`)."""
    items = NewsItem.objects.visible_to(user).filter(pinned=True).order_by("-publish_at", "-pk")
    if getattr(user, "is_authenticated", False):
        items = items.exclude(Exists(NewsDismissal.objects.filter(item=OuterRef("pk"), user=user)))
    if dismissed:
        items = items.exclude(pk__in=dismissed)
    return list(items[:3])


def to_acknowledge_for(*, user) -> QuerySet[NewsItem]:
    """Published items to acknowledge that a coordinator reads (any, acknowledged or not)."""
    if not is_coordinator(user=user):
        return NewsItem.objects.none()
    return (
        NewsItem.objects.visible_to(user)
        .filter(to_acknowledge=True)
        .exclude(audience=Audience.STAFF)
        .order_by("-publish_at", "-pk")
    )


def awaiting_acknowledgement(*, user) -> list[NewsItem]:
    """What the coordinator has still to acknowledge: items to acknowledge they have not acknowledged for every
    locality they coordinate."""
    not_yet = Acknowledgement.objects.filter(item=OuterRef(OuterRef("pk")), user=user, locality=OuterRef("pk"))
    missing = Exists(localities_for(user).exclude(Exists(not_yet)))
    return list(to_acknowledge_for(user=user).filter(missing))


def acknowledging_localities() -> QuerySet[Locality]:
    """The localities asked to acknowledge: those with at least one active coordinator."""
    return Locality.objects.filter(Exists(Coordinator.objects.active().filter(locality=OuterRef("pk"))))


def localities_not_acknowledged(*, item: NewsItem) -> QuerySet[Locality]:
    return (
        acknowledging_localities()
        .exclude(Exists(Acknowledgement.objects.filter(item=item, locality=OuterRef("pk"))))
        .order_by("name_fi")
    )


@dataclass(frozen=True)
class AcknowledgementStatus:
    item: NewsItem
    acknowledged: int
    total: int
    missing: list[Locality]


def acknowledgement_status(*, items: QuerySet[NewsItem] | None = None) -> list[AcknowledgementStatus]:
    """For staff (the caller checks): each item to acknowledge (by default the published ones) with how many of
    the asked localities acknowledged it and which have not. Three queries, however many items and
    localities."""
    if items is None:
        items = NewsItem.objects.published().filter(to_acknowledge=True)
    items_list = list(items.order_by("-publish_at", "-pk"))
    if not items_list:
        return []
    localities = list(acknowledging_localities().order_by("name_fi"))
    done: dict[int, set[int]] = {item.pk: set() for item in items_list}
    for item_id, locality_id in (
        Acknowledgement.objects.filter(item__in=items_list).values_list("item_id", "locality_id").distinct()
    ):
        done[item_id].add(locality_id)
    return [
        AcknowledgementStatus(
            item=item,
            acknowledged=sum(1 for locality in localities if locality.pk in done[item.pk]),
            total=len(localities),
            missing=[locality for locality in localities if locality.pk not in done[item.pk]],
        )
        for item in items_list
    ]


def reminders_due(*, now: datetime.datetime | None = None) -> QuerySet[NewsItem]:
    """Published items to acknowledge whose reminder has not gone and whose `reminder_after_days` have passed.
    Items published at least a day ago (the shortest delay) are read and each one's own delay checked here: a
    per-row interval is spelt differently in SQLite and PostgreSQL, and such items are few."""
    now = now or timezone.now()
    candidates = NewsItem.objects.published(now).filter(
        to_acknowledge=True, reminder_sent_at__isnull=True, publish_at__lte=now - datetime.timedelta(days=1)
    )
    due = [
        item.pk for item in candidates.only("pk", "publish_at", "reminder_after_days") if item.reminder_due_at <= now
    ]
    return NewsItem.objects.filter(pk__in=due, reminder_sent_at__isnull=True)


def published_page(*, key: str) -> Page | None:
    """The page visitors read under `key`, or None while it has never been published."""
    return Page.objects.published().filter(key=key).first()


def published_page_text(key: str) -> PageText | None:
    """The published text under `key` in the active language (Finnish as the fallback), for a page another app
    serves (`kaikukeskus.site_texts`), or None while it has never been published."""
    page = published_page(key=key)
    return page.text() if page is not None else None


def page_for_preview_or_404(*, key: str) -> Page:
    page = Page.objects.filter(key=key).select_related("published_by").first()
    if page is None:
        raise Http404("no such page")
    return page


# --- Newsletters ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    email: str  # in lower case: one message per address, however many roles it has
    language: str


@dataclass
class RecipientCount:
    """An issue's recipients, counted as they would be if it were sent now: `total` addresses, and the groups
    they come from (an address in two groups is counted in each group and once in the total)."""

    total: int = 0
    coordinators: int = 0
    coordinators_by_status_and_side: list[tuple[str, str, int]] = field(default_factory=list)
    staff: int = 0
    subscribers: int = 0
    subscribers_by_language: list[tuple[str, int]] = field(default_factory=list)
    by_language: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _Groups:
    opted_out: set[str]
    staff: list[User]
    coordinators: list[Coordinator]
    subscribers: list[Subscriber]

    def recipients(self) -> list[Recipient]:
        found: dict[str, str] = {}
        for user in [*self.staff, *(coordinator.user for coordinator in self.coordinators)]:
            found.setdefault(user.email.strip().lower(), language_of(user))
        for subscriber in self.subscribers:
            found.setdefault(subscriber.email.strip().lower(), subscriber.language)
        return [
            Recipient(email=email, language=language)
            for email, language in sorted(found.items())
            if email and email not in self.opted_out
        ]


def _recipient_groups(newsletter: Newsletter) -> _Groups:
    """The groups an issue is for, in four queries."""
    return _Groups(
        opted_out={email.lower() for email in Subscriber.objects.opted_out().values_list("email", flat=True)},
        staff=list(User.objects.national_staff().only("email", "preferred_language")) if newsletter.to_staff else [],
        coordinators=list(
            Coordinator.objects.active()
            .filter(user__is_active=True)
            .select_related("locality", "user")
            .only("side", "locality__status", "user__email", "user__preferred_language")
        )
        if newsletter.to_coordinators
        else [],
        subscribers=list(Subscriber.objects.receiving().only("email", "language")) if newsletter.to_subscribers else [],
    )


def newsletter_recipients(*, newsletter: Newsletter) -> list[Recipient]:
    """Who an issue goes to if sent now: active coordinators, national staff and confirmed subscribers (the
    groups the issue is for), each address once, minus the addresses that unsubscribed. Staff and coordinators
    read it in the language of their account, a subscriber in the language they subscribed in."""
    return _recipient_groups(newsletter).recipients()


def newsletter_recipient_count(*, newsletter: Newsletter) -> RecipientCount:
    """The figures staff check before sending (see `RecipientCount`), in a fixed number of queries."""
    groups = _recipient_groups(newsletter)
    opted_out = groups.opted_out
    languages = dict(LANGUAGE_CHOICES)
    status_order = list(Locality.Status)
    by_group: dict[tuple[str, str], set[str]] = {}
    for coordinator in groups.coordinators:
        email = coordinator.user.email.strip().lower()
        if email not in opted_out:
            by_group.setdefault((coordinator.locality.status, coordinator.side), set()).add(email)
    per_language: dict[str, set[str]] = {}
    for subscriber in groups.subscribers:
        if subscriber.email not in opted_out:
            per_language.setdefault(subscriber.language, set()).add(subscriber.email)
    recipients = groups.recipients()
    totals = {code: sum(1 for r in recipients if r.language == code) for code in languages}
    return RecipientCount(
        total=len(recipients),
        coordinators=len(set().union(*by_group.values())) if by_group else 0,
        coordinators_by_status_and_side=[
            (str(Locality.Status(status).label), str(Side(side).label), len(emails))
            for (status, side), emails in sorted(
                by_group.items(), key=lambda pair: (status_order.index(Locality.Status(pair[0][0])), pair[0][1])
            )
        ],
        staff=len({user.email.strip().lower() for user in groups.staff} - opted_out),
        subscribers=sum(len(emails) for emails in per_language.values()),
        subscribers_by_language=[(str(label), len(per_language.get(code, ()))) for code, label in languages.items()],
        by_language=[(str(label), totals[code]) for code, label in languages.items()],
    )


def newsletter_for_web_or_404(*, pk: int) -> Newsletter:
    """A sent issue with its public items (a draft, or no issue, is not found)."""
    newsletter = (
        Newsletter.objects.sent()
        .prefetch_related(Prefetch("items", queryset=NewsItem.objects.public().order_by("-publish_at", "-pk")))
        .filter(pk=pk)
        .first()
    )
    if newsletter is None:
        raise Http404("no such newsletter")
    return newsletter


def newsletter_drafts() -> QuerySet[Newsletter]:
    """Issues not sent yet, the newest first: staff's next step on each is its page of recipients and sending."""
    return Newsletter.objects.filter(sent_at__isnull=True).order_by("-pk")


def newsletter_archive() -> QuerySet[Newsletter]:
    return Newsletter.objects.sent().order_by("-sent_at", "-pk")
