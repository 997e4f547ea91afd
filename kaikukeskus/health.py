"""The state of the database and the Celery broker, for `/health/` and the load balancer."""

import logging

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means the same to the load balancer
        logger.exception("Health check: database does not answer")
        return "unavailable"
    return "ok"


def broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from kaikukeskus.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.warning("Health check: Celery broker does not answer", exc_info=True)
        return "unavailable"
    return "ok"


def health_report() -> dict[str, str]:
    database = database_state()
    broker = broker_state()
    return {"status": "ok" if database == "ok" else "unavailable", "database": database, "broker": broker}
