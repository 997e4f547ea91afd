from celery import shared_task

from localities import services


@shared_task(acks_late=True)
def purge_expired_invitations() -> int:
    return services.invitations_purge_expired()


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_overdue_reminders(self) -> int:
    """Weekly: tell coordinators and staff about overdue milestones and follow-up actions. Safe to run twice
    (one e-mail per user and day)."""
    return services.overdue_reminders_send()


@shared_task(acks_late=True)
def erase_old_interest_contacts() -> int:
    """Daily: the contact details of interest submissions whose locality never ran the card, after 24 months."""
    return services.interest_contacts_erase()


@shared_task(acks_late=True)
def check_locality_pages() -> dict[str, int]:
    """Monthly: read each public locality's own page (bounded: localities/page_check.py) and store what was found;
    coordinators are told when their page turns broken or silent."""
    from localities import page_check

    return page_check.check_all()


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_feedback_meeting_reminders(self) -> int:
    """Hourly: remind those invited to a planned feedback meeting that begins within a day (each meeting once)."""
    return services.feedback_meeting_reminders_send()
