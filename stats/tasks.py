from celery import shared_task
from django.db import OperationalError

from stats import aggregation, services


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def aggregate_year(self, year: int, publish: bool = False, force: bool = False) -> dict:
    """Aggregate (and optionally publish) the national year; the same code as `manage.py aggregate_statistics`.
    Safe to run twice: the year's rows are replaced in one transaction. A published-history year is refused
    (HistoryYearError, not retried) unless `force`."""
    result = aggregation.aggregate_year(year=year, force=force, publish=publish)
    return {"year": year, "localities": result.localities, "published": result.national_year.is_published}


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_report_reminders(self) -> int:
    """Daily: remind the coordinators of reports not yet submitted, 14 and 3 days before the due date and when
    overdue. Safe to run twice (once per report and kind)."""
    return services.reminders_send().reports
