"""The one scoping rule at scale: a coordinator's portal front page with 500 localities and 1,000 coordinators."""

import statistics
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kaikukeskus.models import User
from localities.models import Coordinator, Locality


def run() -> dict:
    with transaction.atomic():
        localities = Locality.objects.bulk_create(
            Locality(name_fi=f"Bench {n}", slug=f"bench-{n}", status=Locality.Status.PILOTING) for n in range(500)
        )
        users = User.objects.bulk_create(User(email=f"bench{n}@example.fi") for n in range(1000))
        Coordinator.objects.bulk_create(
            Coordinator(user=user, locality=localities[n % 500], side="culture") for n, user in enumerate(users)
        )
    client = Client()
    client.force_login(users[0])
    client.get("/portal/")  # warm up templates and caches
    timings = []
    for _ in range(30):
        started = time.perf_counter()
        response = client.get("/portal/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/portal/")
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(sorted(timings)[int(len(timings) * 0.95) - 1], 1),
        "queries": len(queries),
    }
