"""The outbox: the one way the portal sends e-mail.

`send_later()` renders a message in the recipient's language and stores it as a django-post-office `Email` row
inside the caller's transaction; nothing is sent yet. When that transaction commits, the Celery task
`kaikukeskus.tasks.send_queued_mail` is asked to deliver the queue, and the beat runs the same task every minute
for whatever a broker outage or a failed delivery left behind. So:

- a mail server or a broker that is down never undoes a saved action nor turns it into an error page: the
  message waits in the table (a rolled-back action leaves no message either);
- a failed delivery is tried again later, each wait twice the one before (`POST_OFFICE["RETRY_INTERVAL"]`,
  `MAX_RETRIES`), then the message is marked failed: staff find it in the admin (Post office → Emails) and
  requeue it;
- each message is delivered once: a sender claims it with `SELECT … FOR UPDATE SKIP LOCKED`, so two workers
  (or the beat and a worker) never take the same row, and marks it sent before taking the next. A worker killed
  between the mail server's answer and that mark would send that one message again on its next run; nothing
  else sends twice.

Django's own `send_mail` (allauth's confirmations, password resets) reaches the same table through
`EMAIL_BACKEND = "post_office.EmailBackend"`.

A template's first line is the subject, the rest the plain-text body. Templates are rendered by the `text`
template engine, which does not HTML-escape: "Anna & Ben" stays "Anna & Ben".
"""

import datetime
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation
from post_office import mail as post_office
from post_office.models import STATUS, Email
from post_office.models import Attachment as EmailAttachment

logger = logging.getLogger(__name__)

TEXT_ENGINE = "text"


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes | str
    mimetype: str


def language_of(user) -> str:
    """The language a person's e-mails are written in: their own choice, else the portal's default."""
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def site_url(viewname: str, *, language: str, kwargs: Mapping[str, Any] | None = None) -> str:
    """An absolute link for an e-mail, in the reader's language (with its /sv/ or /en/ prefix)."""
    with translation.override(language):
        return settings.SITE_URL + reverse(viewname, kwargs=dict(kwargs or {}))


def render(template: str, context: Mapping[str, Any], *, language: str) -> tuple[str, str]:
    """(subject, body) of `template` in `language`: the first line is the subject, the rest the body."""
    with translation.override(language):
        text = engines[TEXT_ENGINE].get_template(template).render(dict(context))
    subject, _newline, body = text.lstrip("\n").partition("\n")
    return " ".join(subject.split()), body.strip("\n") + "\n"


def send_later(
    *,
    to: str | Iterable[str],
    template: str,
    context: Mapping[str, Any],
    language: str | None,
    attachments: Sequence[Attachment] = (),
    headers: Mapping[str, str] | None = None,
) -> Email:
    """Queue one message to `to` (an address, or several who read the same language) in `language`.

    Call it inside the transaction of the action the message tells about; it is delivered after the commit."""
    recipients = [to] if isinstance(to, str) else list(to)
    subject, body = render(template, context, language=language or settings.LANGUAGE_CODE)
    files = {
        attachment.name: {
            "file": ContentFile(
                attachment.content.encode() if isinstance(attachment.content, str) else attachment.content
            ),
            "mimetype": attachment.mimetype,
        }
        for attachment in attachments
    }
    # post_office signals `email_queued`, on which `_deliver_after_commit` (below) hangs the delivery.
    return post_office.send(
        recipients=recipients,
        sender=settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        message=body,
        headers=dict(headers) if headers else None,
        attachments=files or None,
        priority="medium",
    )


def deliver_after_commit(**_kwargs) -> None:
    """Ask a worker to deliver the queue once the transaction that queued the message commits. `robust`: a
    broker that does not answer is logged, not raised into the request that saved something; the beat's
    minute run delivers the message then."""
    transaction.on_commit(_ask_worker, robust=True)


def _ask_worker() -> None:
    from kaikukeskus.tasks import send_queued_mail

    try:
        send_queued_mail.delay()
    except Exception:
        logger.warning("The outbox could not reach the task broker; the beat delivers the mail later.", exc_info=True)


def _due() -> Q:
    now = timezone.now()
    return (
        Q(status__in=[STATUS.queued, STATUS.requeued])
        & (Q(scheduled_time__lte=now) | Q(scheduled_time=None))
        & (Q(expires_at__gt=now) | Q(expires_at=None))
    )


def deliver_queued(*, batch_size: int = 1) -> dict[str, int]:
    """Deliver every message that is due, `batch_size` at a time, each batch claimed with row locks that other
    senders skip. Returns the counts; a failure is recorded on its message, never raised.

    A batch's "sent" is committed only when the whole batch has gone out: a worker killed in the middle of one
    sends every message of it again on its next run. So one message a batch (the default), each marked sent before
    the next goes: a killed worker sends again only the message it was sending, not up to 50."""
    totals = {"sent": 0, "failed": 0, "requeued": 0}
    # A cursor over the queue in the order messages were queued: each is tried once a run, also one whose retry
    # is due at once, and the query stays the same size however long the queue (a newsletter's thousands).
    after = 0
    while True:
        with transaction.atomic():
            emails = list(
                Email.objects.select_for_update(skip_locked=True)
                .filter(_due(), pk__gt=after)
                .order_by("pk")[:batch_size]
            )
            if not emails:
                break
            after = emails[-1].pk
            # post_office's own batch sender: it renders, sends, marks sent, requeues or fails and logs.
            sent, failed, requeued = post_office._send_bulk(emails, uses_multiprocessing=False)
            _back_off([email.pk for email in emails])
        totals["sent"] += sent
        totals["failed"] += failed
        totals["requeued"] += requeued
    return totals


def _back_off(pks: list[int]) -> None:
    """post_office waits the same `RETRY_INTERVAL` before every retry; ours doubles it each time (1, 2, 4…
    minutes with the default), so a mail server down for hours is not asked every minute."""
    base = settings.POST_OFFICE["RETRY_INTERVAL"]
    for email in Email.objects.filter(pk__in=pks, status=STATUS.requeued):
        wait = base * 2 ** max((email.number_of_retries or 1) - 1, 0)
        Email.objects.filter(pk=email.pk).update(scheduled_time=email.last_updated + wait)


def requeue(*, emails) -> int:
    """Staff send failed (or any) messages again: queued afresh, with all their retries, delivered after commit."""
    count = emails.update(status=STATUS.queued, number_of_retries=0, scheduled_time=None, last_updated=timezone.now())
    if count:
        deliver_after_commit()
    return count


def purge_sent(*, older_than_days: int | None = None) -> int:
    """Forget delivered and failed messages (their addresses and signed links) `MAIL_KEEP_DAYS` after their last
    attempt, with the files only they used. Queued messages are kept whatever their age."""
    days = settings.MAIL_KEEP_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _by_model = Email.objects.filter(status__in=[STATUS.sent, STATUS.failed], last_updated__lt=cutoff).delete()
    for attachment in EmailAttachment.objects.filter(emails=None):
        attachment.file.delete(save=False)
        attachment.delete()
    return deleted
