"""The production configuration, run as a separate process so that it reads its own environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kaikukeskus.settings import email_settings

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(DJANGO_SETTINGS_MODULE="kaikukeskus.settings", **env)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_with_the_default_secret():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="kaikukortti.example")
    assert result.returncode != 0
    assert "Production (DEBUG=0) needs SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kaikukortti.example",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_staff_mfa_is_required_in_production_by_default():
    result = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings; print(settings.STAFF_MFA_REQUIRED, settings.SESSION_COOKIE_SECURE)",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kaikukortti.example",
    )
    assert result.stdout.split() == ["True", "True"], result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp+tls://user%40x.fi:p%40ss@mail.example.fi:587",
            {
                "EMAIL_HOST": "mail.example.fi",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "user@x.fi",
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": True,
            },
        ),
        ("smtp+ssl://mail.example.fi:465", {"EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
    ],
)
def test_email_url_forms(url, expected):
    settings = email_settings(url)
    assert {key: settings[key] for key in expected} == expected


def test_compose_file_has_the_documented_topology():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres:16")
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"] and "beat" in services["beat"]["command"]
    for name in ("db", "redis", "web"):
        assert "healthcheck" in services[name], name
    assert services["web"]["environment"]["DATABASE_URL"].startswith("postgres://")
