from celery import shared_task

from communications import services


@shared_task(acks_late=True)
def send_acknowledgement_reminders() -> int:
    """Remind the localities that have not acknowledged an announcement, once per announcement (see the
    service: a second run, or two at once, sends nothing more)."""
    return services.acknowledgement_reminders_send()
