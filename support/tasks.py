"""Support's periodic work (beat schedule in kaikukeskus/settings.py)."""

from celery import shared_task

from support import services


@shared_task(acks_late=True)
def close_silent_questions() -> int:
    """Answered questions nobody wrote to for 14 days close. Safe to run twice: the second finds none."""
    return services.questions_close_silent()


@shared_task(acks_late=True)
def send_booking_reminders() -> int:
    """Daily: remind tomorrow's consultations' bookers. Safe to run twice (`reminded_at`)."""
    return services.booking_reminders_send()
