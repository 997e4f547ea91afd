from celery import shared_task

from localities import services


@shared_task(acks_late=True)
def purge_expired_invitations() -> int:
    return services.invitations_purge_expired()
