"""The image's static files work with production's storage: the Dockerfile's own `collectstatic` step, run as
the image build runs it, gives a manifest with which every page renders; without one `/health/` fails."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.localities.factories import LocalityFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
# The API documentation's assets (Swagger UI, DRF's browsable API) are most of the image's static files, and
# compressing them takes most of a minute of CPU; the pages rendered here do not use them.
SKIP_API_ASSETS = " --ignore drf_spectacular_sidecar --ignore rest_framework"


def dockerfile_collectstatic_step() -> str:
    """The shell command of the Dockerfile's RUN instruction that collects the static files (it ends with
    collectstatic's own arguments)."""
    instructions = re.split(r"\n(?=[A-Z]+ )", (ROOT / "Dockerfile").read_text().replace("\\\n", " "))
    [step] = [line for line in instructions if line.startswith("RUN ") and "collectstatic" in line]
    return step.splitlines()[0].removeprefix("RUN ")


@pytest.fixture(scope="module")
def built_static_root(tmp_path_factory) -> Path:
    """`collectstatic` exactly as the image build runs it (its environment, `python` on the PATH), into a
    temporary STATIC_ROOT, with nothing of this test process's environment that the build would not have."""
    static_root = tmp_path_factory.mktemp("static")
    leave_out = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in leave_out}
    environment.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", STATIC_ROOT=str(static_root)
    )
    result = subprocess.run(  # noqa: S603 - the project's own Dockerfile step
        ["/bin/sh", "-c", dockerfile_collectstatic_step() + SKIP_API_ASSETS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return static_root


@pytest.fixture
def production_static(settings, built_static_root):
    settings.STATIC_ROOT = built_static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE}}
    return built_static_root


def test_the_image_build_writes_the_static_files_manifest(production_static):
    assert (production_static / "staticfiles.json").exists()
    assert list((production_static / "css").glob("site.*.css.gz")), "no hashed, compressed stylesheet"


@pytest.mark.parametrize("path", ["/", "/sv/", "/accounts/login/", "/en/localities/kajaani/", "/admin/login/"])
def test_pages_render_with_the_production_static_storage(client, production_static, path):
    LocalityFactory(slug="kajaani")
    response = client.get(path)
    assert response.status_code == 200, path
    stylesheets = re.findall(r'href="/static/([^"]+\.css)"', response.content.decode())
    assert stylesheets, "no stylesheet"
    for stylesheet in stylesheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), f"{stylesheet} is not under its hashed name"
        assert (production_static / stylesheet).exists(), stylesheet


def test_health_passes_with_the_production_static_storage(client, production_static):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["pages"] == "ok"


def test_health_fails_when_pages_cannot_find_their_static_files(client, settings, tmp_path):
    """What the image built with DEBUG=1 did: no manifest, every page 500, and /health/ said ok."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE}}
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["pages"] == "unavailable"
    assert response.json()["database"] == "ok"
