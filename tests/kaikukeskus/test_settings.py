"""The production configuration, run as a separate process so that it reads its own environment."""

import json
import os
import re
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


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    return manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kaikukortti.example",
        **env,
    )


def test_production_passes_the_deploy_check():
    # Redis is configured, not reached: the check reads the settings.
    result = deploy_check(REDIS_URL="redis://redis.example:6379/0")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_deploy_check_warns_without_a_shared_cache():
    """A per-process cache multiplies allauth's login limits by the number of gunicorn workers."""
    result = deploy_check(REDIS_URL="")
    assert result.returncode != 0
    assert "(kaikukeskus.W001) Production runs without a shared cache: set REDIS_URL." in result.stderr
    assert "issues" in result.stderr and "security." not in result.stderr  # the only complaint


def test_settings_from_the_environment():
    """django-environ reads them; README's names, defaults and forms hold. An empty variable is not set."""
    code = (
        "from django.conf import settings as s; import json; db = s.DATABASES['default']; "
        "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.STAFF_MFA_REQUIRED, "
        "db['ENGINE'], db['NAME'], db['HOST'], db['PORT'], db['CONN_MAX_AGE'], s.INVITATION_VALID_DAYS, "
        "s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_HOST, str(s.PRIVATE_MEDIA_ROOT)]))"
    )
    result = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        code,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=" kaikukortti.example, www.kaikukortti.example ,",
        CSRF_TRUSTED_ORIGINS="",
        STAFF_MFA_REQUIRED="",
        DATABASE_URL="postgres://kaikukeskus:salasana@db.example:5433/kaikukeskus",
        DB_CONN_MAX_AGE="0",
        INVITATION_VALID_DAYS="7",
        REDIS_URL="redis://redis.example:6379/0",
        EMAIL_URL="smtp+tls://mail.example.fi:587",
        PRIVATE_MEDIA_ROOT="/srv/private",
    )
    assert json.loads(result.stdout) == [
        False,
        ["kaikukortti.example", "www.kaikukortti.example"],
        [],
        True,  # empty: production's default, never off
        "django.db.backends.postgresql",
        "kaikukeskus",
        "db.example",
        5433,
        0,
        7,
        "kaikukeskus.cache.FallbackRedisCache",
        False,
        "mail.example.fi",
        "/srv/private",
    ], result.stderr


def test_embedded_defaults():
    code = (
        "from django.conf import settings as s; import json; db = s.DATABASES['default']; "
        "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, db['ENGINE'], db['NAME'].endswith('db.sqlite3'), "
        "db['CONN_MAX_AGE'], s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, "
        "s.POST_OFFICE['BACKENDS']['default'], "
        "s.STAFF_MFA_REQUIRED]))"
    )
    unset = dict.fromkeys(
        ["DATABASE_URL", "REDIS_URL", "EMAIL_URL", "ALLOWED_HOSTS", "DB_CONN_MAX_AGE", "STAFF_MFA_REQUIRED"], ""
    )
    result = manage("shell", "--verbosity", "0", "-c", code, **unset)
    assert json.loads(result.stdout) == [
        True,
        ["127.0.0.1", "localhost", "[::1]"],
        "django.db.backends.sqlite3",
        True,
        60,
        "django.core.cache.backends.locmem.LocMemCache",
        True,
        "post_office.EmailBackend",  # every e-mail goes through the outbox…
        "django.core.mail.backends.console.EmailBackend",  # …which delivers on the console
        False,
    ], result.stderr


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
        ("locmem://", {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        ("smtp://mail.example.fi", {"EMAIL_HOST": "mail.example.fi", "EMAIL_PORT": 25, "EMAIL_USE_TLS": False}),
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


def test_private_media_is_on_a_volume_the_image_user_can_write():
    """Agreements go to PRIVATE_MEDIA_ROOT: a named volume in compose, a directory the image's user owns (a new
    named volume takes over the owner of the image's directory)."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    [user] = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    for name in ("web", "worker", "beat"):
        service = compose["services"][name]
        path = service["environment"]["PRIVATE_MEDIA_ROOT"]
        mounts = dict(volume.split(":")[::-1] for volume in service["volumes"])
        assert mounts.get(path) in compose["volumes"], (name, path, mounts)
        assert path != service["environment"]["MEDIA_ROOT"]
        assert not path.startswith(service["environment"]["MEDIA_ROOT"] + "/")
    owned = re.search(rf"mkdir -p ([^&]*) && chown {user} ([^&\n]*)", dockerfile)
    assert owned and path in owned.group(1).split() and path in owned.group(2).split(), owned


def test_the_dependencies_bytecode_is_compiled_where_they_are_installed():
    """The image (and the environment `make install` serves) sets PYTHONDONTWRITEBYTECODE, so no process writes
    .pyc files: they are compiled when the dependencies are installed, or every process compiles what it imports
    (WeasyPrint: about a second of a first PDF)."""
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    assert "PYTHONDONTWRITEBYTECODE=1" in dockerfile
    syncs = [line for line in dockerfile.splitlines() if line.startswith("RUN uv sync")]
    assert syncs and all("--compile-bytecode" in line for line in syncs)
    makefile = (ROOT / "Makefile").read_text()
    [install] = [line for line in makefile.splitlines() if "uv sync" in line]
    assert "--compile-bytecode" in install
