from celery import shared_task

from trainings import emails, services
from trainings.models import Registration


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_registration_email(self, registration_id: int, kind: str) -> bool:
    """One e-mail to a registrant, in their language. A registration gone or anonymised meanwhile gets none."""
    registration = Registration.objects.select_related("training").filter(pk=registration_id).first()
    if registration is None or not registration.email:
        return False
    emails.send_registration_email(registration, kind)
    return True


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
