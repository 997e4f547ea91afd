"""The annual aggregation and publication of the national statistics (DESIGN §4 stats, issue 8 item 4).

`aggregate_year` sums the approved reports whose round's period lies in the calendar year, per locality, in one
SQL query (GROUP BY locality), writes one `LocalityYear` per reporting locality and the `NationalYear` as their
sums. It is idempotent: it replaces the year's `LocalityYear` rows in one transaction, so running it twice
gives the same rows (only `generated_at` moves). Half-yearly or monthly rounds of a year add up into the year.

What the national year's other figures mean:
- `localities` = localities with at least one approved report in the year; `localities_expected` = localities
  running (piloting or permanent) at some point of the year (`Locality.objects.running_during`), and any that
  reported although their lifecycle dates say otherwise (so completeness never exceeds 100 %).
- `issuers` / `venues` = partners active on the year's last day, from the networks' joined and left dates
  (`networks.selectors.partner_counts_for_localities`), of the reporting localities: the network behind the
  figures. A `LocalityYear` holds its own locality's counts.
- `municipalities`: a locality's row holds the largest figure its reports of the year give (what the
  coordinators said: "municipalities where the card was in use"; half-year reports of the same locality are not
  added up). The national figure is the number of *distinct* municipalities of the reporting localities: a
  municipality in two localities (a wellbeing services county and a group within it) counts once, which summing
  the localities' figures would not do. So the national figure need not equal the sum of the table's column.

A year from the published history (source `published`) is never overwritten unless `force=True`; then it
becomes an aggregated year. Publishing sets `published_at` (visitors see only published years); unpublishing
clears it. Re-aggregating a published year keeps it published (the public sees the new figures at once: the
public cache is told).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kaikukeskus import public_cache
from localities.models import Locality
from localities.permissions import require_staff
from networks.selectors import partner_counts_for_localities
from stats.models import FIGURES, LocalityReport, LocalityYear, NationalYear, sum_known


class HistoryYearError(Exception):
    """The year holds the published history; aggregation leaves it unless told to (`force=True`)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "%(year)s holds the statistics as Kaikukeskus published them. Aggregating would replace them; "
                "force it only if that is what you want."
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class AggregationResult:
    national_year: NationalYear
    created: bool  # the year had no row before
    localities: int  # localities reporting (LocalityYear rows written)


def _check_actor(actor) -> None:
    # The Celery task and the management command run as the system (actor=None); a person must be staff.
    if actor is not None:
        require_staff(actor)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def locality_sums(year: int) -> list[dict]:
    """Per locality, the sums of its approved reports of the year: one query, GROUP BY locality."""
    return list(
        LocalityReport.objects.approved()
        .within_year(year)
        .values("locality_id")
        .annotate(
            **{name: Sum(name) for name in FIGURES},
            municipalities_reported=Max("municipalities"),
            reports=Count("pk"),
        )
        .order_by("locality_id")
    )


@transaction.atomic
def aggregate_year(*, year: int, actor=None, force: bool = False, publish: bool = False) -> AggregationResult:
    """Aggregate the year from approved reports (see the module's docstring). Raises `HistoryYearError` for a
    published-history year unless `force`."""
    _check_actor(actor)
    start, end = year_bounds(year)
    national_year = NationalYear.objects.select_for_update().filter(year=year).first()
    created = national_year is None
    if national_year is not None and national_year.source == NationalYear.Source.PUBLISHED and not force:
        raise HistoryYearError(year)
    if created:
        national_year = NationalYear(year=year)

    rows = locality_sums(year)
    locality_ids = [row["locality_id"] for row in rows]
    network = partner_counts_for_localities(localities=Locality.objects.filter(pk__in=locality_ids), on=end)

    locality_years = []
    for row in rows:
        counts = network.get(row["locality_id"])
        locality_years.append(
            LocalityYear(
                locality_id=row["locality_id"],
                municipalities=row["municipalities_reported"],
                issuers=counts.issuers if counts else 0,
                venues=counts.venues if counts else 0,
                reports=row["reports"],
                **{name: row[name] for name in FIGURES},
            )
        )

    national_year.source = NationalYear.Source.AGGREGATED
    for name in FIGURES:
        setattr(national_year, name, sum_known(row[name] for row in rows))
    national_year.total_uses = sum_known(locality_year.uses_total for locality_year in locality_years)
    national_year.localities = len(rows)
    # A locality that reported was expected to, even if its lifecycle dates say it was not running yet.
    national_year.localities_expected = (
        Locality.objects.filter(Q(pk__in=locality_ids) | Q(pk__in=Locality.objects.running_during(start, end)))
        .distinct()
        .count()
    )
    national_year.municipalities = (
        Locality.municipalities.through.objects.filter(locality_id__in=locality_ids)
        .values("municipality_id")
        .distinct()
        .count()
    )
    national_year.issuers = sum(locality_year.issuers for locality_year in locality_years)
    national_year.venues = sum(locality_year.venues for locality_year in locality_years)
    national_year.generated_at = timezone.now()
    if publish and national_year.published_at is None:
        national_year.published_at = national_year.generated_at
    national_year._change_reason = _("Aggregated from approved reports")
    national_year.save()

    # One DELETE, without a signal per row: each watched row's signal told the shared cache (a round trip or two
    # each, ten times the aggregation's own time at 300 localities, bench_stats); it is told once below.
    old_rows = national_year.locality_years.all()
    old_rows._raw_delete(old_rows.db)
    for locality_year in locality_years:
        locality_year.national_year = national_year
    LocalityYear.objects.bulk_create(locality_years)
    public_cache.data_changed()  # bulk_create sends no per-row signals
    return AggregationResult(national_year=national_year, created=created, localities=len(locality_years))


@transaction.atomic
def year_publish(*, year: int, actor=None) -> NationalYear:
    """Make the year public (pages, downloads, open data). Publishing a published year changes nothing."""
    _check_actor(actor)
    national_year = NationalYear.objects.select_for_update().get(year=year)
    if national_year.published_at is None:
        national_year.published_at = timezone.now()
        national_year._change_reason = _("Year published")
        national_year.save(update_fields=["published_at"])
    return national_year


@transaction.atomic
def year_unpublish(*, year: int, actor=None) -> NationalYear:
    """Take the year off the public pages and the open data (its rows stay)."""
    _check_actor(actor)
    national_year = NationalYear.objects.select_for_update().get(year=year)
    if national_year.published_at is not None:
        national_year.published_at = None
        national_year._change_reason = _("Year unpublished")
        national_year.save(update_fields=["published_at"])
    return national_year
