"""Redis down: allauth's login and password-reset limits live in the cache. With the production cache settings
pointed at a closed port, logging in and asking for a password reset keep working, with a warning in the log;
the limits still hold in the process's own memory."""

import logging

import pytest
from django.core import mail
from django.core.cache import caches

from kaikukeskus.settings import cache_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    # Requested after the fixtures that write rows, so that nothing they do meets the closed port (and logs the
    # warning) while they are set up.
    settings.CACHES = cache_settings("redis://127.0.0.1:1/0")
    return settings


def test_login_works_while_redis_is_down(client, coordinator, password, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="kaikukeskus.cache"):
        response = client.post("/en/accounts/login/", {"login": coordinator.email, "password": password})
    assert response.status_code == 302 and response.headers["Location"] == "/en/portal/"
    assert client.get("/en/portal/").status_code == 200
    assert "Redis does not answer" in caplog.text


def test_password_reset_works_while_redis_is_down(client, coordinator, redis_down, caplog):
    response = client.post("/en/accounts/password/reset/", {"email": coordinator.email})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert "Redis does not answer" in caplog.text


def test_login_limits_still_hold_while_redis_is_down(client, redis_down, coordinator):
    """allauth's `login_failed` limit (5 per 5 minutes per address) counts in the process's memory."""
    answers = [
        client.post("/en/accounts/login/", {"login": coordinator.email, "password": "wrong"}).content.decode()
        for _attempt in range(6)
    ]
    limited = "Too many failed login attempts"
    assert [limited in answer for answer in answers] == [False] * 5 + [True]


def test_the_cache_tries_redis_again_after_a_pause(redis_down, monkeypatch):
    cache = caches["default"]
    cache.set("key", "value")  # Redis fails: the value goes to the process's memory
    assert cache.get("key") == "value"
    calls = []
    monkeypatch.setattr(cache, "_redis_down_until", 0.0)
    monkeypatch.setattr(type(cache).__mro__[1], "get", lambda self, *args, **kwargs: calls.append(args) or "redis")
    assert cache.get("key") == "redis"
    assert calls == [("key",)]
