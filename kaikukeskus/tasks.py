from celery import shared_task


@shared_task(acks_late=True)
def ping() -> str:
    """A round trip through the broker for health checks and the worker test."""
    return "pong"
