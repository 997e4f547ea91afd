from celery import shared_task

from trainings import services


@shared_task(acks_late=True)
def send_training_reminders() -> int:
    """Daily: remind tomorrow's participants. Safe to run twice (`reminded_at`)."""
    return services.reminders_send()


@shared_task(acks_late=True)
def minimise_registration_data() -> dict[str, int]:
    """Daily: erase needs after the training, anonymise visitors' registrations after the retention period."""
    return {
        "needs_erased": services.registration_needs_erase(),
        "anonymised": services.registrations_anonymise(),
    }
