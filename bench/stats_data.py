"""Statistics at national size for the benchmarks (`bench_stats`): localities × years × 12 monthly reporting rounds,
each report with its breakdown by venue, in a database of its own.

`generate()` writes 300 localities × 10 years × 12 months = 36,000 reports and 720,000 venue rows by default: on
PostgreSQL with COPY (some seconds), elsewhere with `bulk_create` in batches. Each report's uses are the sums of its
venue rows, as validation requires; one report in fifty is still awaiting review (submitted), so the aggregation's
"approved only" filter has something to leave out. Figures come from a random generator with a fixed seed (the same
rows on every run) and grow year on year.

`own_database()` gives the benchmark a fresh database (`<name>_stats` on PostgreSQL, a temporary SQLite file
otherwise), migrated, and drops it afterwards: the data of the database `make bench` runs in (or a developer's)
is never touched."""

import calendar
import datetime
import json
import os
import random
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone

from localities.models import Locality, Municipality
from networks.models import Partner, PartnerRole, VenueCategory
from stats.models import FIGURES, SECTORS, LocalityReport, ReportingRound, VenueFigure

SLUG_PREFIX = "bench-stats-"
CATEGORIES = {
    "culture": VenueCategory.THEATRE,
    "education": VenueCategory.ADULT_EDUCATION,
    "science": VenueCategory.SCIENCE_CENTRE,
    "sports": VenueCategory.SPORTS_VENUE,
}
SUBMITTED_EVERY = 50  # one report in this many is still awaiting review
BATCH = 5000


@dataclass(frozen=True)
class Generated:
    localities: int
    rounds: int
    reports: int
    venue_rows: int
    first_year: int
    last_year: int
    seconds: float
    method: str


def generate(
    *, localities: int = 300, years: int = 10, months: int = 12, venues: int = 20, last_year: int | None = None
) -> Generated:
    """Write the rows (see the module's docstring); `last_year` defaults to the last full year."""
    started = time.perf_counter()
    last_year = last_year or timezone.localdate().year - 1
    first_year = last_year - years + 1
    rng = random.Random(8)  # the same rows on every run
    with transaction.atomic():
        places = _localities(localities, first_year=first_year)
        partners = _venues(places, venues, first_year=first_year)
        rounds = _rounds(first_year, last_year, months)
        reports, venue_rows = [], []
        for locality in places:
            own = partners[locality.pk]
            size = rng.uniform(0.5, 2.0)
            for reporting_round in rounds:
                growth = size * 1.08 ** (reporting_round.period_start.year - first_year)
                rows = [
                    (pk, sector, int(rng.random() * 40 * growth), int(rng.random() * 15 * growth)) for pk, sector in own
                ]
                venue_rows.append(rows)
                reports.append(_report(locality, reporting_round, rows, rng, growth, len(reports)))
        _write(LocalityReport, REPORT_FIELDS, reports)
        written = LocalityReport.objects.filter(round__in=rounds).values_list("pk", "round_id", "locality_id")
        ids = {(round_id, locality_id): pk for pk, round_id, locality_id in written}
        flat = (
            (ids[(report[0], report[1])], *row)
            for report, rows in zip(reports, venue_rows, strict=True)
            for row in rows
        )
        _write(VenueFigure, VENUE_FIELDS, flat)
    return Generated(
        localities=len(places),
        rounds=len(rounds),
        reports=len(reports),
        venue_rows=sum(len(rows) for rows in venue_rows),
        first_year=first_year,
        last_year=last_year,
        seconds=round(time.perf_counter() - started, 1),
        method="COPY" if connection.vendor == "postgresql" else "bulk_create",
    )


def _localities(count: int, *, first_year: int) -> list[Locality]:
    municipalities = list(Municipality.objects.select_related("county").order_by("code"))
    places = Locality.objects.bulk_create(
        Locality(
            slug=f"{SLUG_PREFIX}{number:03d}",
            name_fi=f"Kaikukortti {municipalities[number % len(municipalities)].name_fi} {number}",
            kind=Locality.Kind.MUNICIPALITY,
            status=Locality.Status.PERMANENT,
            county=municipalities[number % len(municipalities)].county,
            pilot_start_on=datetime.date(first_year - 1, 1, 1),
            pilot_end_on=datetime.date(first_year - 1, 12, 31),
            permanent_since=datetime.date(first_year, 1, 1),
        )
        for number in range(count)
    )
    through = Locality.municipalities.through
    for number, place in enumerate(places):
        place.municipality_id = municipalities[number % len(municipalities)].pk  # its venues are there
    through.objects.bulk_create(
        through(locality_id=place.pk, municipality_id=place.municipality_id) for place in places
    )
    return places


def _venues(places: list[Locality], count: int, *, first_year: int) -> dict[int, list[tuple[int, str]]]:
    """`count` venues per locality, the sectors in turn: {locality id: [(partner id, sector)]}."""
    joined = datetime.date(first_year - 1, 1, 1)
    created = Partner.objects.bulk_create(
        (
            Partner(
                locality=place,
                municipality_id=place.municipality_id,
                role=PartnerRole.VENUE,
                name=f"Käyttökohde {number + 1}",
                sector=SECTORS[number % len(SECTORS)],
                category=CATEGORIES[SECTORS[number % len(SECTORS)]],
                joined_on=joined,
                listed_publicly=True,
            )
            for place in places
            for number in range(count)
        ),
        batch_size=BATCH,
    )
    partners: dict[int, list[tuple[int, str]]] = {}
    for partner in created:
        partners.setdefault(partner.locality_id, []).append((partner.pk, partner.sector))
    return partners


def _rounds(first_year: int, last_year: int, months: int) -> list[ReportingRound]:
    rounds = []
    step = 12 // months
    for year in range(first_year, last_year + 1):
        for month in range(1, 13, step):
            end_month = month + step - 1
            end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
            rounds.append(
                ReportingRound(
                    title=f"bench {year}-{month:02d}",
                    period_start=datetime.date(year, month, 1),
                    period_end=end,
                    opens_on=end + datetime.timedelta(days=1),
                    due_on=end + datetime.timedelta(days=30),
                    closes_on=end + datetime.timedelta(days=60),
                    status=ReportingRound.Status.CLOSED,
                )
            )
    return ReportingRound.objects.bulk_create(rounds)


REPORT_FIELDS = (
    "round",
    "locality",
    *FIGURES,
    "municipalities",
    "issuers",
    "venues",
    "highlights",
    "challenges",
    "explanations",
    "status",
    "first_submitted_at",
    "submitted_at",
    "reviewed_at",
    "return_comment",
    "reopen_reason",
    "version",
    "updated_at",
)
VENUE_FIELDS = ("report", "partner", "sector", "adult", "child")


def _report(locality, reporting_round, rows, rng, growth, number: int) -> tuple:
    uses = {
        f"{age}_{sector}": sum(row[index] for row in rows if row[1] == sector)
        for index, age in ((2, "adult"), (3, "child"))
        for sector in SECTORS
    }
    registered = int(rng.random() * 30 * growth) + 5
    activated = registered - int(rng.random() * registered / 4)
    submitted = timezone.make_aware(datetime.datetime.combine(reporting_round.due_on, datetime.time(12)))
    approved = (number + 1) % SUBMITTED_EVERY
    return (
        reporting_round.pk,
        locality.pk,
        registered,
        activated,
        *(uses[name] for name in FIGURES[2:]),
        1,
        0,
        len(rows),
        "",
        "",
        {},
        LocalityReport.Status.APPROVED if approved else LocalityReport.Status.SUBMITTED,
        submitted,
        submitted,
        submitted + datetime.timedelta(days=5) if approved else None,
        "",
        "",
        3 if approved else 2,
        submitted,
    )


def _write(model: type[models.Model], fields: Sequence[str], rows) -> None:
    """Insert the rows (tuples in the order of `fields`): COPY on PostgreSQL, bulk_create in batches elsewhere."""
    concrete = [model._meta.get_field(name) for name in fields]
    if connection.vendor == "postgresql":
        json_columns = [index for index, field in enumerate(concrete) if isinstance(field, models.JSONField)]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in concrete)
        statement = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                if json_columns:
                    row = list(row)
                    for index in json_columns:
                        row[index] = json.dumps(row[index])
                copy.write_row(row)
        return
    attnames = [field.attname for field in concrete]
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


# --- A database of its own ---------------------------------------------------------------------------------


def database_url() -> str:
    """The URL of the database the default connection uses now (for a server started in a subprocess)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = quote(settings["USER"] or "", safe="")
    if settings.get("PASSWORD"):
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{settings['NAME']}"


@contextmanager
def own_database(suffix: str = "_stats") -> Iterator[str]:
    """Switch the default connection to a new, migrated database (the default's name and `suffix`); drop it and
    switch back afterwards."""
    settings = connection.settings_dict
    original = settings["NAME"]
    scratch = None
    if connection.vendor == "postgresql":
        name = f"{original}{suffix}"
        _recreate(name)
    else:
        scratch = tempfile.TemporaryDirectory(prefix=f"kaikukeskus-bench{suffix.replace('_', '-')}-")
        name = os.path.join(scratch.name, f"{suffix.strip('_')}.sqlite3")
    connection.close()
    settings["NAME"] = name
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield name
    finally:
        connection.close()
        settings["NAME"] = original
        if scratch is not None:
            scratch.cleanup()
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def _recreate(name: str) -> None:
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:  # autocommit: CREATE DATABASE cannot run in a transaction
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
