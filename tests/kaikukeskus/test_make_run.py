"""`make run` on another port: the links the portal writes (e-mails, built from SITE_URL) point where it serves;
README, which says so, names only files a clone has."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import django
import pytest
from django.test import override_settings

from tests.trainings.factories import RegistrationFactory
from trainings import links

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def make_run(tmp_path: Path, *args: str, site_url: str | None = None) -> list[list[str]]:
    """The steps `make run` would take, each as `[SITE_URL it is given, *its arguments]`: uv and Python are
    stand-ins that only print, so nothing is installed, migrated or served."""
    stand_ins = tmp_path / "bin"
    stand_ins.mkdir()
    (stand_ins / "uv").write_text("#!/bin/sh\nexit 0\n")
    (stand_ins / "python").write_text('#!/bin/sh\necho "$SITE_URL $*"\n')
    for script in stand_ins.iterdir():
        script.chmod(0o755)
    environment = {
        name: value for name, value in os.environ.items() if name not in {"SITE_URL", "MAKEFLAGS", "MAKELEVEL"}
    }
    if site_url is not None:
        environment["SITE_URL"] = site_url
    make = shutil.which("make")
    assert make, "make is one of the two things the portal needs (README)"
    output = subprocess.run(  # noqa: S603 - the project's own Makefile
        [make, "-s", "run", f"BIN={stand_ins}", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    return [line.split() for line in output.splitlines()]


def test_make_run_on_another_port_links_to_that_port(tmp_path, client):
    steps = make_run(tmp_path, "PORT=8123")
    assert [step[1:3] for step in steps] == [
        ["manage.py", "migrate"],
        ["manage.py", "seed_demo"],
        ["manage.py", "runserver"],
    ]
    assert steps[-1][-1] == "127.0.0.1:8123"
    assert {step[0] for step in steps} == {"http://127.0.0.1:8123"}
    # An e-mail's link (a registration's cancel and manage page) made with that SITE_URL opens on that server.
    with override_settings(SITE_URL="http://127.0.0.1:8123", ALLOWED_HOSTS=["127.0.0.1"]):
        link = links.manage_url(RegistrationFactory(language="fi"))
        assert link.startswith("http://127.0.0.1:8123/trainings/registration/")
        response = client.get(link.removeprefix("http://127.0.0.1:8123"), HTTP_HOST="127.0.0.1:8123")
    assert response.status_code == 200


def test_make_run_keeps_a_site_url_it_is_given(tmp_path):
    steps = make_run(tmp_path, "PORT=8123", site_url="https://demo.kaikukortti.example")
    assert {step[0] for step in steps} == {"https://demo.kaikukortti.example"}
    assert steps[-1][-1] == "127.0.0.1:8123"


def test_make_run_without_a_port_serves_and_links_8000(tmp_path):
    steps = make_run(tmp_path)
    assert {step[0] for step in steps} == {"http://127.0.0.1:8000"}
    assert steps[-1][-1] == "127.0.0.1:8000"


def test_readme_points_only_at_files_a_clone_has():
    """Every path README names (`docs/architecture.md`, `kaikukeskus/api.py`, …) is a file of the repository, not
    one beside it on the author's machine; Django's own files are named as they are in Django."""
    django_root = Path(django.__file__).resolve().parent.parent
    readme = (ROOT / "README.md").read_text()
    paths = {
        token
        for token in re.findall(r"`([^`\s<>]+/[^`\s<>]+)`", readme)
        if not token.startswith("/") and "://" not in token and "@" not in token
    }
    assert "docs/architecture.md" in paths
    missing = [
        path
        for path in sorted(paths)
        if not ((ROOT / path).resolve().is_relative_to(ROOT) and (ROOT / path).exists())
        and not (path.startswith("django/") and (django_root / path).exists())
    ]
    assert not missing
