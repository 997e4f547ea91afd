"""Writes for news and announcements. Every state change is a function here: keyword-only, one transaction,
`actor=` for checks and history, e-mail queued in the outbox in the same transaction."""

import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from communications import selectors
from communications.models import Acknowledgement, NewsDismissal, NewsItem, Newsletter, NewsletterDelivery, Subscriber
from communications.models.pages import LANGUAGES, Page
from communications.sanitize import sanitize, to_text
from kaikukeskus import history, ratelimit
from kaikukeskus.mail import language_of, send_later, site_url
from kaikukeskus.models import User
from localities import selectors as locality_selectors
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
    users = {
        membership.user_id: membership.user
        for membership in locality_selectors.coordinator_memberships_to_tell(localities=missing)
    }.values()
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


# --- Newsletters ------------------------------------------------------------------------------------------

history.register_reasons(
    {
        "newsletter.sent": _l("Sent"),
        "newsletter.subscribed": _l("Subscription confirmed"),
        "newsletter.unsubscribed": _l("Unsubscribed"),
        "newsletter.resubscribed": _l("Newsletter turned back on"),
    }
)

# Messages queued per transaction: a send to thousands is many short transactions, none holding a request.
NEWSLETTER_BATCH_SIZE = 200
# A confirmation link works for a week; an unsubscribe link for as long as the mail that carries it is kept.
CONFIRMATION_MAX_AGE = 7 * 24 * 60 * 60
CONFIRMATION_SALT = "communications.newsletter.confirm"
UNSUBSCRIBE_SALT = "communications.newsletter.unsubscribe"
# The subscription form's limits (the public forms' way: per client address and per e-mail address).
SUBSCRIPTIONS_PER_IP = ratelimit.Rate(5, 10 * 60)
SUBSCRIPTIONS_PER_EMAIL = ratelimit.Rate(3, 60 * 60)


class NewsletterAlreadySentError(ValidationError):
    """A second send of an issue: refused, saying when and by whom it went."""


class InvalidLinkError(Exception):
    """A confirmation link that is altered (`expired=False`) or too old (`expired=True`)."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "bad signature")
        self.expired = expired


def unsubscribe_token(email: str) -> str:
    return signing.dumps(email.strip().lower(), salt=UNSUBSCRIBE_SALT)


def email_of_unsubscribe_token(token: str) -> str:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise InvalidLinkError(expired=False) from error


def confirmation_token(*, email: str, language: str) -> str:
    return signing.dumps({"email": email.strip().lower(), "language": language}, salt=CONFIRMATION_SALT)


def read_confirmation_token(token: str) -> tuple[str, str]:
    """(e-mail address, language) of a confirmation link; `InvalidLinkError` when it is altered or too old."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise InvalidLinkError(expired=True) from error
    except signing.BadSignature as error:
        raise InvalidLinkError(expired=False) from error
    language = data.get("language") if data.get("language") in LANGUAGES else "fi"
    return data["email"], language


def newsletter_context(*, newsletter: Newsletter, language: str, email: str) -> dict:
    """What the newsletter e-mail template needs for one recipient in `language`."""
    with translation.override(language):
        items = [
            (item.shown_title, site_url("communications:news-detail", language=language, kwargs={"slug": item.slug}))
            for item in newsletter.items.public().order_by("-publish_at", "-pk")
        ]
    return {
        "title": newsletter.shown_title(language),
        "intro": to_text(newsletter.shown_intro(language)),
        "items": items,
        "web_url": site_url("communications:newsletter-issue", language=language, kwargs={"pk": newsletter.pk}),
        "unsubscribe_url": site_url(
            "communications:newsletter-unsubscribe", language=language, kwargs={"token": unsubscribe_token(email)}
        ),
    }


def _queue_newsletter(*, newsletter: Newsletter, email: str, language: str, test: bool = False) -> None:
    context = newsletter_context(newsletter=newsletter, language=language, email=email)
    send_later(
        to=email,
        template="communications/email/newsletter.txt",
        context={**context, "test": test},
        language=language,
        # RFC 2369 and RFC 8058: mail programs offer their own "unsubscribe" button, which POSTs to the link.
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def newsletter_send_test(*, actor: User | None, newsletter: Newsletter) -> str:
    """Staff send the issue to themselves, in their language, as recipients will get it (marked a test).
    Returns the address. Changes nothing else: the issue can still be edited and sent."""
    require_staff(actor)
    assert actor is not None  # noqa: S101 - require_staff let only a staff member through
    _queue_newsletter(newsletter=newsletter, email=actor.email, language=language_of(actor), test=True)
    return actor.email


@transaction.atomic
def newsletter_save(
    *, actor: User | None, newsletter: Newsletter, items=None, expected_version: int | None = None
) -> Newsletter:
    """Staff create or edit an issue that has not been sent (a sent issue is the record of what went out).
    The introductions are sanitised by the model's `clean()`."""
    require_staff(actor)
    if newsletter.pk and Newsletter.objects.filter(pk=newsletter.pk, sent_at__isnull=False).exists():
        raise ValidationError(_("This newsletter has been sent and can no longer be changed."))
    history.save(
        newsletter,
        actor=actor,
        reason="created" if newsletter.pk is None else "edited",
        expected_version=expected_version,
    )
    if items is not None:
        newsletter.items.set(items)
    return newsletter


@transaction.atomic
def newsletter_send(*, actor: User | None, newsletter: Newsletter, expected_recipients: int | None = None) -> int:
    """Send an issue, once. Under a lock on the issue's row: refused (`NewsletterAlreadySentError`) when it was
    sent already, else marked sent with the number of recipients counted now and one `NewsletterDelivery` per
    recipient (unique per issue and address). The messages are queued after the commit by the task
    `send_newsletter`, `NEWSLETTER_BATCH_SIZE` at a time. `expected_recipients`: the number the person confirmed;
    when the count has changed since, nothing is sent (`ValidationError`) so that they confirm the new one.
    Returns the number of recipients."""
    require_staff(actor)
    # The row only: PostgreSQL locks no row on the nullable side of an outer join (sent_by).
    locked = Newsletter.objects.select_for_update(of=("self",)).select_related("sent_by").get(pk=newsletter.pk)
    if locked.sent_at is not None:
        raise NewsletterAlreadySentError(
            _("This newsletter was already sent on %(when)s by %(who)s. It is not sent again.")
            % {
                "when": formats.date_format(timezone.localtime(locked.sent_at), "SHORT_DATETIME_FORMAT"),
                "who": locked.sent_by.email if locked.sent_by else "–",
            },
            code="already_sent",
        )
    recipients = selectors.newsletter_recipients(newsletter=locked)
    if expected_recipients is not None and expected_recipients != len(recipients):
        raise ValidationError(
            _("The number of recipients has changed to %(count)s since you opened this page. Check it and send again.")
            % {"count": len(recipients)},
            code="count_changed",
        )
    locked.sent_at = timezone.now()
    locked.sent_by = actor
    locked.recipients_count = len(recipients)
    history.save(
        locked, actor=actor, reason="newsletter.sent", update_fields=["sent_at", "sent_by", "recipients_count"]
    )
    NewsletterDelivery.objects.bulk_create(
        [
            NewsletterDelivery(newsletter=locked, email=recipient.email, language=recipient.language)
            for recipient in recipients
        ],
        batch_size=1000,
    )
    pk = locked.pk
    transaction.on_commit(lambda: _start_sending(pk), robust=True)
    newsletter.refresh_from_db()
    return len(recipients)


def _start_sending(pk: int) -> None:
    from communications.tasks import send_newsletter

    send_newsletter.delay(pk)


@transaction.atomic
def newsletter_queue_batch(*, newsletter_id: int, size: int = NEWSLETTER_BATCH_SIZE) -> int:
    """Queue the next `size` messages of a sent issue in the outbox, each in its recipient's language, and mark
    their deliveries queued, in one transaction: a batch that fails leaves nothing queued and its deliveries
    waiting for the next try; a batch that commits is never queued again. Rows are claimed with
    `SKIP LOCKED`, so two workers on one issue share it out. Returns how many were queued (0: all done)."""
    deliveries = list(
        # Only the delivery rows are locked (no join): two workers on one issue each take their own rows.
        NewsletterDelivery.objects.select_for_update(skip_locked=True)
        .filter(newsletter_id=newsletter_id, queued_at__isnull=True)
        .order_by("pk")[:size]
    )
    if not deliveries:
        return 0
    newsletter = Newsletter.objects.get(pk=newsletter_id)
    for delivery in deliveries:
        _queue_newsletter(newsletter=newsletter, email=delivery.email, language=delivery.language)
    NewsletterDelivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries]).update(queued_at=timezone.now())
    return len(deliveries)


def newsletter_queue_all(*, newsletter_id: int) -> int:
    """Every batch of an issue, one transaction each (the task's body). Returns how many were queued."""
    queued = 0
    while batch := newsletter_queue_batch(newsletter_id=newsletter_id):
        queued += batch
    return queued


def subscription_throttle(*, client: str, email: str) -> None:
    """Refuse a subscription beyond the limits per client address and per e-mail address: a bot cannot have
    the portal e-mail strangers. `client` is `ratelimit.client_key(request)`. While the cache fails, nothing is
    limited."""
    if ratelimit.hit(
        "newsletter-subscription",
        {"ip": (client, SUBSCRIPTIONS_PER_IP), "email": (email.strip().lower(), SUBSCRIPTIONS_PER_EMAIL)},
    ):
        raise ValidationError(
            _(
                "Many subscriptions have been sent from this network or for this address in a short time. "
                "Please try again later."
            ),
            code="throttled",
        )


def subscriber_subscribe(*, email: str, language: str) -> None:
    """A visitor asks for the newsletter: a confirmation link goes to the address, nothing else happens (no row
    is written until the link is used). The same whether the address is subscribed already or not, so the
    answer reveals nothing about it."""
    email = email.strip().lower()
    send_later(
        to=email,
        template="communications/email/newsletter_confirm.txt",
        context={
            "url": site_url(
                "communications:newsletter-confirm",
                language=language,
                kwargs={"token": confirmation_token(email=email, language=language)},
            ),
            "days": CONFIRMATION_MAX_AGE // (24 * 60 * 60),
        },
        language=language,
    )


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber:
    """The owner of the address used the confirmation link: subscribed (again) in the link's language.
    `InvalidLinkError` for an altered or expired link. Confirming twice changes nothing."""
    email, language = read_confirmation_token(token)
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first() or Subscriber(email=email)
    if subscriber.confirmed_at and not subscriber.unsubscribed_at and subscriber.language == language:
        return subscriber
    subscriber.language = language
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    history.save(subscriber, actor=None, reason="newsletter.subscribed")
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, email: str, actor: User | None = None) -> Subscriber:
    """No newsletter goes to `email` any more, whether a subscriber, a coordinator or staff. Service mail is not
    affected. Unsubscribing twice changes nothing."""
    email = email.strip().lower()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        language = language_of(actor) if actor is not None and actor.is_authenticated else "fi"
        subscriber = Subscriber(email=email, language=language)
    elif subscriber.unsubscribed_at:
        return subscriber
    subscriber.unsubscribed_at = timezone.now()
    history.save(subscriber, actor=actor, reason="newsletter.unsubscribed")
    return subscriber


@transaction.atomic
def newsletter_preference_set(*, actor: User, receive: bool) -> None:
    """A signed-in coordinator or staff member turns the newsletter off or back on for their own address."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    if not receive:
        subscriber_unsubscribe(email=actor.email, actor=actor)
        return
    subscriber = Subscriber.objects.select_for_update().filter(email=actor.email.strip().lower()).first()
    if subscriber is not None and subscriber.unsubscribed_at:
        subscriber.unsubscribed_at = None
        history.save(subscriber, actor=actor, reason="newsletter.resubscribed")


def newsletter_receives(*, user: User) -> bool:
    return not Subscriber.objects.opted_out().filter(email=user.email.strip().lower()).exists()
