from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_eager_broker(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


def test_health_answers_503_when_the_database_does_not(client):
    with mock.patch("kaikukeskus.health.database_state", return_value="unavailable"):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_an_unreachable_broker_is_reported_not_fatal(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from kaikukeskus.celery import app

    connect = app.connection_for_write
    with mock.patch.object(app, "connection_for_write", lambda: connect("redis://127.0.0.1:1/0")):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"
