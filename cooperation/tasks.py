from celery import shared_task

from cooperation import services


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_minutes_reminders(self) -> int:
    """Daily: remind the organisers of held meetings that still have no minutes a week later (each once)."""
    return services.minutes_reminders_send()
