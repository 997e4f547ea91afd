from celery import shared_task

from networks import services


@shared_task(acks_late=True)
def purge_partner_imports() -> int:
    """Daily: drop stored uploads older than a week. They hold contact persons' details and are of no use once
    applied or abandoned. Safe to run twice."""
    return services.partner_imports_purge()
