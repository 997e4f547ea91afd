"""A real task through Redis to a real worker (CI sets REDIS_URL; see conftest.py)."""

import os
from urllib.parse import urlsplit

import pytest
from celery.contrib.testing.worker import start_worker

from kaikukeskus.celery import app
from kaikukeskus.tasks import ping

pytestmark = pytest.mark.redis


def _private_redis_url(worker_id: str) -> str:
    """Each xdist worker uses its own Redis database, so no other test process's worker takes its tasks."""
    index = int(worker_id[2:]) + 1 if worker_id.startswith("gw") else 1
    return urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{index}").geturl()


@pytest.fixture
def redis_worker(worker_id):
    redis_url = _private_redis_url(worker_id)
    previous = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(previous)


def test_task_goes_through_redis_to_a_worker_and_back(redis_worker):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"
    assert result.successful()


def test_health_reports_the_broker_ok(redis_worker, client, settings, db):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert client.get("/health/").json()["broker"] == "ok"


def test_tasks_acknowledge_late():
    assert ping.acks_late is True
    assert app.conf.task_acks_late is True
