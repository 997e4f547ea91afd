"""A real task through Redis to a real worker (CI sets REDIS_URL; see conftest.py).

The test builds its own Celery app from the same Django settings as `kaikukeskus.celery` (namespace `CELERY`,
tasks autodiscovered), pointed at Redis: the project's app caches its backend and producer pool per thread, and
other tests in the same process use it in eager mode, so reconfiguring it in place would be fragile."""

import os
from urllib.parse import urlsplit

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from kaikukeskus.celery import app as project_app
from kaikukeskus.tasks import ping

pytestmark = pytest.mark.redis


def _private_redis_url(worker_id: str) -> str:
    """Each xdist worker uses its own Redis database, so no other test process's worker takes its tasks."""
    index = int(worker_id[2:]) + 1 if worker_id.startswith("gw") else 1
    return urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{index}").geturl()


@pytest.fixture
def redis_url(worker_id) -> str:
    return _private_redis_url(worker_id)


@pytest.fixture
def redis_app(redis_url):
    app = Celery("kaikukeskus-roundtrip")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    app.autodiscover_tasks(["kaikukeskus", "localities", "networks"], force=True)
    app.loader.import_default_modules()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app
    app.close()


def test_task_goes_through_redis_to_a_worker_and_back(redis_app):
    task = redis_app.tasks[ping.name]
    result = task.delay()
    assert result.get(timeout=30) == "pong"
    assert result.successful()
    assert task.acks_late is True


def test_health_reports_the_broker_ok(redis_url, client, settings, db):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = project_app.conf.broker_url
    project_app.conf.broker_url = redis_url
    try:
        assert client.get("/health/").json()["broker"] == "ok"
    finally:
        project_app.conf.broker_url = previous


def test_tasks_acknowledge_late():
    assert ping.acks_late is True
    assert project_app.conf.task_acks_late is True
