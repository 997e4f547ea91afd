"""Writes for news and announcements. Every state change is a function here: keyword-only, one transaction,
`actor=` for checks and history, e-mail queued in the outbox in the same transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from communications import selectors
from communications.models import Acknowledgement, NewsDismissal, NewsItem
from communications.models.pages import LANGUAGES, Page
from communications.sanitize import sanitize
from kaikukeskus import history
from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.models import User
from localities.models import Coordinator
from localities.permissions import localities_for, require_staff

history.register_reasons(
    {
        "news.acknowledged": _l("Acknowledged"),
        "news.reminded": _l("Reminder sent"),
    }
)


@transaction.atomic
def news_item_save(*, actor: User | None, item: NewsItem, tags=None, expected_version: int | None = None) -> NewsItem:
    """Staff create or edit an item. The bodies are sanitised by the model's `clean()` (run by the write
    kernel), so whatever HTML reaches here, by the admin's editor or posted by hand, is stored clean.
    `StaleVersionError` and nothing written when someone saved it after `expected_version`."""
    require_staff(actor)
    history.save(
        item, actor=actor, reason="created" if item.pk is None else "edited", expected_version=expected_version
    )
    if tags is not None:
        item.tags.set(tags)
    return item


@transaction.atomic
def news_item_acknowledge(*, actor: User, item: NewsItem) -> list[Acknowledgement]:
    """A coordinator acknowledges an item for every locality they coordinate that has not had it acknowledged
    by them yet. Acknowledging twice changes nothing. An item the coordinator cannot read, or one not to be
    acknowledged, is not found."""
    item = selectors.to_acknowledge_for(user=actor).get(pk=item.pk)
    done = set(Acknowledgement.objects.filter(item=item, user=actor).values_list("locality_id", flat=True))
    created = []
    for locality in localities_for(actor).exclude(pk__in=done).order_by("pk"):
        acknowledgement = Acknowledgement(item=item, user=actor, locality=locality, acknowledged_at=timezone.now())
        try:
            with transaction.atomic():
                history.save(acknowledgement, actor=actor, reason="news.acknowledged")
        except IntegrityError:  # a second click that raced the first
            continue
        created.append(acknowledgement)
    return created


def news_item_dismiss(*, actor: User, item: NewsItem) -> None:
    """A signed-in reader dismisses a pinned item's banner for good (visitors' dismissals live in their
    session, see views.news_dismiss)."""
    NewsDismissal.objects.get_or_create(item=item, user=actor)


def acknowledgement_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind, once per item, the coordinators of every locality that has not acknowledged an item whose
    reminder is due (`reminder_after_days` after publication), each in their language. Returns the number of
    messages queued. Each item in its own transaction, claimed under a row lock: two workers running it at the
    same time send each reminder once."""
    now = now or timezone.now()
    queued = 0
    for pk in selectors.reminders_due(now=now).values_list("pk", flat=True):
        queued += _remind(pk=pk, now=now)
    return queued


@transaction.atomic
def _remind(*, pk: int, now: datetime.datetime) -> int:
    item = selectors.reminders_due(now=now).select_for_update().filter(pk=pk).first()
    if item is None:  # another worker sent it meanwhile
        return 0
    item.reminder_sent_at = now
    history.save(item, actor=None, reason="news.reminded", update_fields=["reminder_sent_at"], claim_version=False)
    missing = selectors.localities_not_acknowledged(item=item)
    users = (
        User.objects.filter(
            pk__in=Coordinator.objects.active().filter(locality__in=missing).values("user_id"), is_active=True
        )
        .distinct()
        .order_by("pk")
    )
    queued = 0
    for user in users:
        language = language_of(user)
        send_later(
            to=user.email,
            template="communications/email/acknowledgement_reminder.txt",
            context={
                "item": item,
                "url": site_url("communications:news-detail", language=language, kwargs={"slug": item.slug}),
                "portal_url": site_url("portal", language=language),
            },
            language=language,
        )
        queued += 1
    return queued


history.register_reasons({"page.draft_saved": _l("Draft saved"), "page.published": _l("Published")})


def _clean_draft(page: Page) -> None:
    for language in LANGUAGES:
        setattr(page, f"draft_title_{language}", " ".join(getattr(page, f"draft_title_{language}").split()))
        setattr(page, f"draft_body_{language}", sanitize(getattr(page, f"draft_body_{language}")).strip())
    for language in ("sv", "en"):
        has_title = bool(getattr(page, f"draft_title_{language}"))
        has_body = bool(getattr(page, f"draft_body_{language}"))
        if has_title != has_body:
            field = f"draft_body_{language}" if has_title else f"draft_title_{language}"
            raise ValidationError({field: _("Give both the title and the text in this language, or neither.")})


@transaction.atomic
def page_save_draft(*, actor: User | None, page: Page, expected_version: int | None = None) -> Page:
    """Staff write a page's draft (visitors keep reading the published text until `page_publish`). The bodies are
    sanitised here, whoever posts them. `StaleVersionError` and nothing written when someone saved the page after
    `expected_version`, the version the form was opened with."""
    require_staff(actor)
    _clean_draft(page)
    history.save(page, actor=actor, reason="page.draft_saved", expected_version=expected_version)
    return page


@transaction.atomic
def page_delete(*, actor: User | None, page: Page) -> None:
    """Staff remove a page: its address answers 404 again (the contact page, the accessibility statement and the
    privacy notice show their built-in text). The history keeps its revisions."""
    require_staff(actor)
    history.delete(page, actor=actor, reason="deleted")


@transaction.atomic
def page_publish(*, actor: User | None, page: Page, expected_version: int | None = None) -> Page:
    """Staff publish the draft they previewed: the published text becomes a copy of the draft. `expected_version`
    is the version the preview showed, so that a draft changed since is not published unseen."""
    require_staff(actor)
    page = Page.objects.select_for_update().get(pk=page.pk)
    _clean_draft(page)
    for part in ("title", "body"):
        for language in LANGUAGES:
            setattr(page, f"{part}_{language}", getattr(page, f"draft_{part}_{language}"))
    page.published_at = timezone.now()
    page.published_by = actor
    history.save(page, actor=actor, reason="page.published", expected_version=expected_version)
    return page
