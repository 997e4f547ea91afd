"""Server time of the logged-in pages and of public pages on a cache miss at `seed_demo --scale 40` and with three
times the partners (`--scale 120`), each in a database of its own: the Django test client in this process."""

import os
import platform
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.stats_data import own_database
from kaikukeskus import public_cache

SCALES = tuple(int(scale) for scale in os.environ.get("BENCH_PAGES_SCALES", "40,120").split(","))
ROUNDS = int(os.environ.get("BENCH_PAGES_ROUNDS", "30"))
GOAL_P50_MS = 25.0
# The coordinator's locality: a national one, whose partners grow with the scale (the demo localities' do not).
LOCALITY = "kunta-005"
SEARCH = "teatteri"


@contextmanager
def _quiet():
    with open(os.devnull, "w") as devnull:
        yield devnull


def _pages() -> list[tuple[str, str, str, Callable[[], None] | None]]:
    """(what, who, URL, before each request) for the pages measured."""
    from kaikukeskus.demo import STAFF_EMAIL, coordinator_email
    from localities.models import Locality
    from stats.models import LocalityReport

    locality = Locality.objects.get(slug=LOCALITY)
    partner = locality.partners.filter(role="venue").order_by("pk").first()
    report = LocalityReport.objects.filter(locality=locality, status="draft").order_by("-pk").first()
    coordinator, staff = coordinator_email(LOCALITY), STAFF_EMAIL
    partners = f"/portal/localities/{LOCALITY}/partners/"

    def miss() -> None:
        cache.clear()
        public_cache.forget_local()

    return [
        # The yardstick: what the least page (a query and a look at the cache) costs on this machine now.
        ("`/health/` (yardstick)", "", "/health/", None),
        ("coordinator's portal front page", coordinator, "/portal/", None),
        ("their partner list", coordinator, partners, None),
        ("their partner search", coordinator, f"{partners}?q={SEARCH}", None),
        ("their statistics report form", coordinator, f"/portal/localities/{LOCALITY}/statistics/{report.pk}/", None),
        ("a partner's edit page", coordinator, f"{partners}{partner.pk}/", None),
        ("staff's workspace front page", staff, "/portal/", None),
        ("the admin partner list", staff, "/admin/networks/partner/", None),
        ("the admin partner list, searched", staff, f"/admin/networks/partner/?q={SEARCH}", None),
        ("a locality's public page, cache miss", "", f"/localities/{LOCALITY}/", miss),
        ("the venue directory, cache miss", "", "/venues/", miss),
        ("the venue directory searched, cache miss", "", f"/venues/?q={SEARCH}", miss),
        ("a locality's venues in the API, cache miss", "", f"/api/v1/venues/?locality={LOCALITY}", miss),
    ]


def _measure(url: str, client: Client, before: Callable[[], None] | None) -> dict:
    def get():
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    for _ in range(3):  # warm up templates, this process's caches and the database's
        get()
    timings = sorted(get() for _ in range(ROUNDS))
    if before:
        before()
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST="localhost")
    return {
        "p50": statistics.median(timings),
        "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
        "queries": len(queries),
    }


def _measure_scale(scale: int) -> tuple[dict, list[dict]]:
    from networks.models import Partner

    with _quiet() as devnull:
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, verbosity=0, stdout=devnull)
        seeded = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after the bulk writes
    data = {
        "scale": scale,
        "partners": Partner.objects.count(),
        "own": Partner.objects.filter(locality__slug=LOCALITY).count(),
        "seeded": round(seeded, 1),
    }
    return data, measure_pages()


def measure_pages() -> list[dict]:
    """Each page's figures on the data there is."""
    from kaikukeskus.models import User

    clients: dict[str, Client] = {}
    rows = []
    for what, who, url, before in _pages():
        if who not in clients:
            clients[who] = Client()
            if who:
                clients[who].force_login(User.objects.get(email=who))
        rows.append({"what": what, "url": url, **_measure(url, clients[who], before)})
    return rows


def run() -> dict:
    results = []
    for scale in SCALES:
        with own_database(f"_pages{scale}"):
            results.append(_measure_scale(scale))
    load = os.getloadavg()
    _write_section(results, load)
    summary: dict = {"load_average": f"{load[0]:.1f}"}
    for data, rows in results:
        summary[f"worst_p50_ms_scale_{data['scale']}"] = round(max(row["p50"] for row in rows), 1)
    return summary


def _write_section(results: list[tuple[dict, list[dict]]], load: tuple[float, float, float]) -> None:
    from bench.__main__ import run_on, write_results

    title = f"{connection.vendor}: logged-in pages and public pages on a miss"
    scales = ", ".join(
        f"`--scale {data['scale']}`: {data['partners']:,} partners, {data['own']} in `{LOCALITY}` "
        f"(seeded in {data['seeded']} s)"
        for data, _rows in results
    )
    heading = " | ".join(f"p50 ms | p95 ms | queries (scale {data['scale']})" for data, _rows in results)
    lines = [
        f"## {title}",
        "",
        f"`python -m bench bench_pages` (`bench/bench_pages.py`): server time through the Django test client in one "
        f"process (debug settings, the cache in this process's memory), each scale in a database of its own "
        f"({scales}). The coordinator of `{LOCALITY}` and the demo's national staff; {ROUNDS} requests per page "
        f"after 3 to warm up; a public page's every request is a miss (the cache emptied before it). "
        f"Goal: p50 ≤ {GOAL_P50_MS:.0f} ms and flat as the partners grow. Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other jobs (load average {load[0]:.1f} at the end); {run_on()}",
        "",
        f"| page | URL | {heading} | goal |",
        "|---|---|" + "---|---|---|" * len(results) + "---|",
    ]
    for index, row in enumerate(results[0][1]):
        cells = []
        met = True
        for _data, rows in results:
            other = rows[index]
            cells.append(f"{other['p50']:.1f} | {other['p95']:.1f} | {other['queries']}")
            met = met and other["p50"] <= GOAL_P50_MS
        lines.append(f"| {row['what']} | `{row['url']}` | {' | '.join(cells)} | {'yes' if met else 'no'} |")
    write_results(title, "\n".join(lines))
