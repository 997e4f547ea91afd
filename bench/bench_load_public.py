"""Load test of the public pages and API at national scale (`seed_demo --scale 40`), under gunicorn (2 sync workers)
with production settings and wrk (20 connections), each page against a minimal Django view served the same way.

Runs first (`bench_load…` sorts before the other benchmarks, which add rows of their own) and writes a section of
its own to docs/benchmarks.md: per page the requests per second, the ratio to the minimal view's in the run just
before it, p50 and p95. The goal: every page at least 50 % of the minimal view with p95 under 100 ms.
"""

import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SCALE = int(os.environ.get("BENCH_LOAD_SCALE", "40"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "5"))
# The machine's two cores are shared (with other jobs too): each page alternates with the minimal view this many
# times, and its ratio is the sum of its runs over the sum of the minimal view's.
ROUNDS = int(os.environ.get("BENCH_LOAD_ROUNDS", "2"))
CONNECTIONS = 20
WORKERS = 2
MINIMAL = "/bench/minimal/"
GOAL_RATIO = 0.5
GOAL_P95_MS = 100.0

# wrk's --latency prints no 95th percentile: a script does.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH rps=%.1f p50=%.3f p95=%.3f errors=%d non2xx=%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def pages() -> list[str]:
    from localities.models import Locality

    # The public locality with the most public venues, and a national-scale one.
    busiest = Locality.objects.public().filter(slug__startswith="kunta-").order_by("slug").first()
    return [
        "/",
        "/localities/",
        "/sv/localities/",
        "/localities/kainuu/",
        f"/localities/{busiest.slug}/" if busiest else "/localities/vaasa/",
        "/venues/",
        "/venues/?municipality=205",
        "/venues/?q=teatteri",
        "/en/contact/",
        "/api/v1/localities/",
        "/api/v1/venues/?locality=kainuu",
        "/api/v1/venues/",
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kaikukeskus.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BENCH": "1",
        "LOG_LEVEL": "WARNING",
    }


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own local server
            response.read()
            return response.status
    except OSError:
        return 0


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        if _get(base + MINIMAL) == 200:
            return
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer")


def _drain(base: str) -> None:
    """Let the previous run's queue empty: a few quick requests to the minimal view."""
    time.sleep(0.5)
    for _ in range(5):
        _get(base + MINIMAL)


def _wrk(url: str, script: str) -> dict:
    output = subprocess.run(  # noqa: S603 - fixed arguments
        # As browsers do, the client accepts gzip (wrk sends no Accept-Encoding of its own).
        [
            shutil.which("wrk"),
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "-H",
            "Accept-Encoding: gzip",
            "-s",
            script,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"BENCH rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) errors=(\d+) non2xx=(\d+)", output)
    rps, p50, p95, errors, non2xx = match.groups()
    return {"rps": float(rps), "p50": float(p50), "p95": float(p95), "errors": int(errors) + int(non2xx)}


def run() -> dict:
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    started = time.perf_counter()
    call_command("seed_demo", scale=SCALE, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seeded_seconds = round(time.perf_counter() - started, 1)
    rows = load_test(pages())
    _write_section(rows, seeded_seconds=seeded_seconds)
    return summary(rows)


def load_test(page_urls: list[str], environment: dict[str, str] | None = None) -> list[dict]:
    """Serve the site with gunicorn (production settings, `environment` added) and measure each page with wrk
    against the minimal view, alternating `ROUNDS` times. One row per page (see `_write_section`)."""
    connection.close()  # the server's workers hold the database from here on
    environment = {**_server_environment(), **(environment or {})}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "kaikukeskus.wsgi",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    rows = []
    try:
        _wait_until_up(base, server)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        for url in page_urls:
            if _get(base + url) != 200:  # also fills the cache, as any first visitor would
                rows.append({"url": url, "error": "not 200"})
                continue
            minimal_runs, page_runs = [], []
            for _round in range(ROUNDS):
                _drain(base)
                minimal_runs.append(_wrk(base + MINIMAL, script.name))
                _drain(base)
                page_runs.append(_wrk(base + url, script.name))
            rows.append(
                {
                    "url": url,
                    "minimal_rps": sum(run["rps"] for run in minimal_runs) / ROUNDS,
                    "rps": sum(run["rps"] for run in page_runs) / ROUNDS,
                    "p50": max(run["p50"] for run in page_runs),
                    "p95": max(run["p95"] for run in page_runs),
                    "errors": sum(run["errors"] for run in page_runs),
                }
            )
        os.unlink(script.name)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def summary(rows: list[dict]) -> dict:
    measured = [row for row in rows if "rps" in row]
    worst = min(measured, key=lambda row: row["rps"] / row["minimal_rps"]) if measured else None
    return {
        "pages": len(rows),
        "goal_met": bool(measured) and len(measured) == len(rows) and all(_meets_goal(row) for row in measured),
        "worst_page": worst["url"] if worst else "",
        "worst_ratio": round(worst["rps"] / worst["minimal_rps"], 2) if worst else 0,
        "max_p95_ms": max((row["p95"] for row in measured), default=0),
    }


def _meets_goal(row: dict) -> bool:
    return row["rps"] / row["minimal_rps"] >= GOAL_RATIO and row["p95"] < GOAL_P95_MS and not row["errors"]


def _write_section(rows: list[dict], *, seeded_seconds: float) -> None:
    from bench.__main__ import write_results
    from localities.models import Locality
    from networks.models import Partner

    vendor = connection.vendor
    data = (
        f"`bench/bench_load_public.py`: {Locality.objects.public().count()} public localities, "
        f"{Partner.objects.count()} partners (`seed_demo --scale {SCALE}`, {seeded_seconds} s)"
    )
    title = f"{vendor}: public pages under load"
    write_results(title, "\n".join([f"## {title}", "", *section_lines(rows, data=data)]))


def section_lines(rows: list[dict], *, data: str) -> list[str]:
    """The intro (`data`: what was served, then how it was measured) and one table row per page."""
    from bench.__main__ import run_on

    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory (per worker)"
    lines = [
        f"{data}; gunicorn with "
        f"{WORKERS} sync workers, production settings on plain HTTP, cache: {cache}; wrk with {CONNECTIONS} "
        f"connections accepting gzip, {ROUNDS} rounds of {SECONDS} s per page, each right after a run of the minimal "
        f"view ({MINIMAL}, mounted only with BENCH=1); requests/s are the rounds' means, p50 and p95 the worst "
        f"round's. Machine: {platform.machine()}, {os.cpu_count()} cores shared by the server, wrk and other jobs; "
        f"{run_on()} "
        f"Goal: ≥ {GOAL_RATIO:.0%} of the minimal view's requests/s and p95 < {GOAL_P95_MS:.0f} ms.",
        "",
        "| page | requests/s | minimal view requests/s | ratio | p50 ms | p95 ms | errors | goal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "rps" not in row:
            lines.append(f"| `{row['url']}` | – | – | – | – | – | {row['error']} | no |")
            continue
        ratio = row["rps"] / row["minimal_rps"]
        lines.append(
            f"| `{row['url']}` | {row['rps']:.0f} | {row['minimal_rps']:.0f} | {ratio:.0%} | {row['p50']:.1f} | "
            f"{row['p95']:.1f} | {row['errors']} | {'yes' if _meets_goal(row) else 'no'} |"
        )
    return lines
