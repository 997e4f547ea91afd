from celery import shared_task

from materials import services
from materials.models import MaterialVersion


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_followers(self, version_id: int) -> int:
    """E-mail a published version's followers. Safe to run twice: the version remembers that it told them."""
    version = MaterialVersion.objects.filter(pk=version_id).first()
    if version is None:
        return 0
    return services.followers_notify(version=version)
