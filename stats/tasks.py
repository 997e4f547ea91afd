from celery import shared_task
from django.db import OperationalError

from stats import aggregation


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def aggregate_year(self, year: int, publish: bool = False, force: bool = False) -> dict:
    """Aggregate (and optionally publish) the national year; the same code as `manage.py aggregate_statistics`.
    Safe to run twice: the year's rows are replaced in one transaction. A published-history year is refused
    (HistoryYearError, not retried) unless `force`."""
    result = aggregation.aggregate_year(year=year, force=force, publish=publish)
    return {"year": year, "localities": result.localities, "published": result.national_year.is_published}
