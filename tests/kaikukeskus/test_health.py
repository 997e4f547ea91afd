import os
from unittest import mock

import pytest

from kaikukeskus.settings import cache_settings

pytestmark = pytest.mark.django_db


def test_health_reports_database_pages_local_cache_and_eager_broker(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "pages": "ok", "cache": "local", "broker": "eager"}


def test_an_unreachable_cache_is_reported_not_fatal(client, settings, caplog):
    settings.CACHES = cache_settings("redis://127.0.0.1:1/0")
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["cache"] == "unavailable"
    assert "the cache (Redis) does not answer" in caplog.text


@pytest.mark.redis
def test_a_reachable_redis_cache_is_ok(client, settings):
    settings.CACHES = cache_settings(os.environ["REDIS_URL"])
    assert client.get("/health/").json()["cache"] == "ok"


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


def test_openapi_schema_lists_every_open_data_endpoint(client):
    schema = client.get("/api/v1/schema/").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/localities/", "/api/v1/venues/"} <= set(schema["paths"])
    assert {"Locality", "Venue"} <= set(schema["components"]["schemas"])
    # Every reference points at something the document defines.
    import json
    import re

    text = json.dumps(schema)
    for kind, name in re.findall(r'"#/components/(\w+)/(\w+)"', text):
        assert name in schema["components"][kind], (kind, name)
    # Contact persons' details are never public fields.
    fields = {name for model in schema["components"]["schemas"].values() for name in model.get("properties", ())}
    assert not {field for field in fields if "contact" in field or "email" in field or "phone" in field}
