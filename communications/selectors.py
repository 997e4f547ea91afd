"""Reads for news and announcements, each through the one visibility rule (`NewsItem.objects.visible_to`)."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from communications.models import Acknowledgement, Audience, NewsDismissal, NewsItem
from communications.models.pages import Page, PageText
from localities.models import Coordinator, Locality
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


def published_page_keys() -> set[str]:
    return set(Page.objects.published().values_list("key", flat=True))
