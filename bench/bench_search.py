"""Site search (`/search/?q=`) p95 over `seed_demo --scale N` data (N from `BENCH_SEARCH_SCALE`, default 40).

Target: p95 under 100 ms. Times `kaikukeskus.search.search()` (every group's query and the results' rendering
into rows, not the page around them) for a visitor and a coordinator, in Finnish, Swedish and English, for
words that match many rows, few rows and none, and a name with a typo. On PostgreSQL the tables are analysed after
seeding (what autovacuum does to a live database), so that the planner knows their sizes."""

import os
import statistics
import time

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from kaikukeskus import search
from kaikukeskus.models import User

QUERIES = [
    ("fi", "teatteri"),
    ("fi", "museo"),
    ("fi", "kaikukortti"),
    ("fi", "kajaanin kaupunginteatteri"),
    ("fi", "kainu"),
    ("fi", "uimahalli"),
    ("fi", "xyzzy"),
    ("sv", "teater"),
    ("sv", "kortutdelare"),
    ("en", "guideline"),
    ("en", "theatre"),
]
ROUNDS = 5


def run() -> dict:
    scale = int(os.environ.get("BENCH_SEARCH_SCALE", "40"))
    started = time.perf_counter()
    call_command("seed_demo", scale=scale, verbosity=0)
    seeded_s = time.perf_counter() - started
    if connection.vendor == "postgresql":  # the planner's statistics of the rows just written, as autovacuum's
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    coordinator = User.objects.filter(email__startswith="coordinator.kainuu@").first()
    users = [AnonymousUser(), *([coordinator] if coordinator else [])]
    for language, query in QUERIES:  # warm up
        search.search(user=users[0], query=query, language=language)
    timings = []
    for _ in range(ROUNDS):
        for user in users:
            for language, query in QUERIES:
                reset_queries()
                began = time.perf_counter()
                search.search(user=user, query=query, language=language)
                timings.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as captured:
        search.search(user=users[0], query="teatteri", language="fi")
    timings.sort()
    return {
        "scale": scale,
        "seed_s": round(seeded_s, 1),
        "searches": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
        "queries": len(captured),
        "target_p95_ms": 100,
    }
