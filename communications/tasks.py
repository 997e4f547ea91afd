from celery import shared_task

from communications import services


@shared_task(acks_late=True)
def send_acknowledgement_reminders() -> int:
    """Remind the localities that have not acknowledged an announcement, once per announcement (see the
    service: a second run, or two at once, sends nothing more)."""
    return services.acknowledgement_reminders_send()


@shared_task(bind=True, acks_late=True, max_retries=8)
def send_newsletter(self, newsletter_id: int) -> int:
    """Queue a sent issue's messages in the outbox, a batch per transaction. Run twice, or retried after a
    failure in the middle, it queues only what no earlier run queued (each delivery is marked in its batch's
    transaction)."""
    try:
        return services.newsletter_queue_all(newsletter_id=newsletter_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=min(60 * 2**self.request.retries, 3600)) from error
