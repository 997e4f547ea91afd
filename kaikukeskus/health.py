"""The state of the database, the pages, the cache and the Celery broker, for `/health/` and the load balancer.

The site is healthy when the database answers and a page renders: a page that cannot find its static files
(no manifest after a wrong `collectstatic`) answers 500 everywhere, and the load balancer must see that. The cache
and the broker are reported but not fatal: the site keeps working without them.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.template.loader import render_to_string

from kaikukeskus.cache import FallbackRedisCache

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


def pages_state() -> str:
    """Renders a template that uses what every page uses: static files, URLs and translations."""
    try:
        render_to_string("kaikukeskus/health_probe.html")
    except Exception:
        logger.exception("Health check: a page does not render")
        return "unavailable"
    return "ok"


def cache_state() -> str:
    """`ok` for a reachable Redis, `local` for a per-process memory cache, `unavailable` while Redis is down."""
    cache = caches["default"]
    if not isinstance(cache, FallbackRedisCache):
        return "local"
    if cache.is_reachable():
        return "ok"
    logger.warning("Health check: the cache (Redis) does not answer")
    return "unavailable"


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
    pages = pages_state()
    return {
        "status": "ok" if database == pages == "ok" else "unavailable",
        "database": database,
        "pages": pages,
        "cache": cache_state(),
        "broker": broker_state(),
    }
