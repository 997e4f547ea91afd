"""The pilot review board, the public locality list and the localities API with 500 running pilots."""

import datetime
import statistics
import time

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kaikukeskus.models import User
from kaikukeskus.roles import STAFF_GROUP
from localities.models import (
    FeedbackMeeting,
    FollowUpAction,
    Locality,
    Milestone,
    MilestoneTemplate,
    Municipality,
    Pilot,
)

LOCALITIES = 500


def _timed(client: Client, url: str, rounds: int = 15) -> dict:
    client.get(url, HTTP_HOST="localhost")  # warm up templates and caches
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST="localhost")
    return {"median_ms": round(statistics.median(timings), 1), "queries": len(queries)}


def run() -> dict:
    today = timezone.localdate()
    steps = list(MilestoneTemplate.objects.filter(is_active=True))
    municipalities = list(Municipality.objects.order_by("code"))
    with transaction.atomic():
        localities = Locality.objects.bulk_create(
            Locality(
                name_fi=f"Pilottipaikkakunta {n}",
                slug=f"board-{n}",
                status=Locality.Status.PILOTING if n % 3 else Locality.Status.PREPARING,
                pilot_start_on=today - datetime.timedelta(days=n % 300),
            )
            for n in range(LOCALITIES)
        )
        through = Locality.municipalities.through
        through.objects.bulk_create(
            through(locality_id=locality.pk, municipality_id=municipalities[n % len(municipalities)].pk)
            for n, locality in enumerate(localities)
        )
        pilots = Pilot.objects.bulk_create(
            Pilot(locality=locality, planned_start_on=locality.pilot_start_on) for locality in localities
        )
        Milestone.objects.bulk_create(
            Milestone.from_template(step, pilot=pilot, done_on=today if step.due_offset_days < -60 else None)
            for pilot in pilots
            for step in steps
        )
        meetings = FeedbackMeeting.objects.bulk_create(
            FeedbackMeeting(locality=locality, held_on=today - datetime.timedelta(days=30)) for locality in localities
        )
        FollowUpAction.objects.bulk_create(
            FollowUpAction(meeting=meeting, description="Toimenpide", due_on=today - datetime.timedelta(days=n % 5))
            for n, meeting in enumerate(meetings)
        )
        staff = User.objects.create(email="board-bench-staff@example.fi", is_staff=True)
        staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    public = Client()
    staff_client = Client()
    staff_client.force_login(staff)
    board = _timed(staff_client, "/en/admin/localities/pilotboard/")
    public_list = _timed(public, "/localities/?q=a")
    api = _timed(public, "/api/v1/localities/")
    return {
        "board_ms": board["median_ms"],
        "board_queries": board["queries"],
        "public_list_ms": public_list["median_ms"],
        "public_list_queries": public_list["queries"],
        "api_ms": api["median_ms"],
        "api_queries": api["queries"],
    }
