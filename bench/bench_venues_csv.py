"""The whole venues CSV of the open data API at `seed_demo --scale 40`: rendered on every download, as before,
against written once per public data version and then served from its file (kaikukeskus/open_data_files.py)."""

import os
import statistics
import tempfile
import time
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from kaikukeskus.api import OpenDataListView
from networks.models import Partner

URL = "/api/v1/venues/?format=csv"
SCALE = int(os.environ.get("BENCH_LOAD_SCALE", "40"))
ROUNDS = 5


def _get(client: Client) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(URL, HTTP_HOST="localhost")
    content = response.getvalue()  # a streamed file is read to its end, as a download is
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - started) * 1000, content


def run() -> dict:
    if not Partner.objects.exists():  # alone (`python -m bench bench_venues_csv`); else bench_load_public seeded
        call_command("seed_demo", scale=SCALE, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        with mock.patch.object(OpenDataListView, "is_whole_csv", return_value=False):  # rendered, as before
            rendered = [_get(client) for _ in range(ROUNDS)]
        first_ms, first = _get(client)  # writes the file
        served = [_get(client) for _ in range(ROUNDS)]
        with CaptureQueriesContext(connection) as queries:
            _get(client)
    assert first == rendered[0][1] == served[0][1], "the file differs from the rendered CSV"
    return {
        "partners": Partner.objects.count(),
        "bytes": len(first),
        "rendered_median_ms": round(statistics.median(ms for ms, _ in rendered), 1),
        "first_with_file_write_ms": round(first_ms, 1),
        "served_median_ms": round(statistics.median(ms for ms, _ in served), 1),
        "served_queries": len(queries),
    }
