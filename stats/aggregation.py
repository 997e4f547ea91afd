"""The annual aggregation and publication of the national statistics (DESIGN §4 stats).

`aggregate_year` sums the approved reports whose round's period lies in the calendar year, per locality, and
writes one `LocalityYear` per reporting locality in a single `INSERT … SELECT … GROUP BY locality` (the database
sums and writes; no row passes through Python), then the `NationalYear` as the sums of those rows. It is
idempotent: it replaces the year's `LocalityYear` rows in one transaction, so running it twice gives the same rows
(only `generated_at` moves). Half-yearly or monthly rounds of a year add up into the year.

What the national year's other figures mean:
- `localities` = localities with at least one approved report in the year; `localities_expected` = localities
  running (piloting or permanent) at some point of the year (`Locality.objects.running_during`), and any that
  reported although their lifecycle dates say otherwise (so completeness never exceeds 100 %).
- `issuers` / `venues` = partners active on the year's last day, from the networks' joined and left dates
  (`networks.selectors.partner_counts_by_locality`), of the reporting localities: the network behind the
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

from django.db import connection, transaction
from django.db.models import Count, Max, Q, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history, public_cache
from localities.models import Locality
from localities.permissions import require_staff
from networks.selectors import partner_counts_by_locality
from stats.models import FIGURES, USE_FIELDS, LocalityReport, LocalityYear, NationalYear, sum_known

history.register_reasons(
    {
        "year.aggregated": _l("Aggregated from approved reports"),
        "year.published": _l("Year published"),
        "year.unpublished": _l("Year unpublished"),
    }
)


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


def locality_sums(year: int) -> QuerySet:
    """Per locality, the sums of its approved reports of the year, as one GROUP BY locality: the figures, the
    largest number of municipalities a report gives, and the number of reports (rows named as `LocalityYear`'s
    fields)."""
    return (
        LocalityReport.objects.approved()
        .within_year(year)
        .values("locality_id")
        .annotate(
            **{name: Sum(name) for name in FIGURES},
            municipalities=Max("municipalities"),
            reports=Count("pk"),
        )
        .order_by("locality_id")
    )


def _compiled(rows: QuerySet) -> tuple[list[str], str, tuple]:
    """A values() query's column names and SQL: each column is selected AS its name, and the names are read as
    `QuerySet.values()` reads them (django.db.models.query.ValuesIterable)."""
    query = rows.query
    names = list(query.selected) if query.selected else [*query.values_select, *query.annotation_select]
    sql, params = query.get_compiler(rows.db).as_sql()
    return names, sql, params


RETURNED = ("locality_id", *FIGURES, "issuers", "venues")


def _write_locality_years(national_year: NationalYear, *, on: datetime.date) -> list[dict]:
    """The year's `LocalityYear` rows in one `INSERT … SELECT` (Django has none): the GROUP BY of the approved
    reports (`locality_sums`) LEFT JOINed to the localities' networks on `on` (`partner_counts_by_locality`, one
    pass over the partners). Both are the ORM's own queries; only their joining is written here. Returns the
    figures and network counts of the rows written (`RETURNING`: PostgreSQL, SQLite 3.35+), for the national
    sums."""
    sums, sums_sql, sums_params = _compiled(
        locality_sums(national_year.year).order_by().annotate(national_year_id=Value(national_year.pk))
    )
    _, counts_sql, counts_params = _compiled(partner_counts_by_locality(on=on))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(LocalityYear._meta.get_field(name).column) for name in [*sums, "issuers", "venues"])
    select = ", ".join(
        [*(f"s.{quote(name)}" for name in sums), *(f"COALESCE(p.{quote(name)}, 0)" for name in ("issuers", "venues"))]
    )
    # Identifiers quoted by the backend, values as parameters: nothing from a user is in the text.
    sql = (
        f"INSERT INTO {quote(LocalityYear._meta.db_table)} ({columns}) SELECT {select} "  # noqa: S608
        f"FROM ({sums_sql}) s LEFT JOIN ({counts_sql}) p ON p.{quote('locality_id')} = s.{quote('locality_id')} "
        f"RETURNING {', '.join(quote(LocalityYear._meta.get_field(name).column) for name in RETURNED)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*sums_params, *counts_params))
        return [dict(zip(RETURNED, row, strict=True)) for row in cursor.fetchall()]


def _localities_and_municipalities(
    *, reporting: list[int], start: datetime.date, end: datetime.date
) -> tuple[int, int]:
    """The localities expected to report for the period, and the distinct municipalities of those that reported,
    in one query. A locality that reported was expected to, even if its lifecycle dates say it was not running
    yet; a municipality in two reporting localities counts once."""
    counts = Locality.objects.aggregate(
        expected=Count(
            "pk", distinct=True, filter=Q(pk__in=reporting) | Q(pk__in=Locality.objects.running_during(start, end))
        ),
        municipalities=Count("municipalities", distinct=True, filter=Q(pk__in=reporting)),
    )
    return counts["expected"], counts["municipalities"]


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
        national_year = NationalYear(year=year, source=NationalYear.Source.AGGREGATED)
        national_year.save_without_historical_record()  # its history row is written once, below

    # The year's rows are replaced in two statements: one DELETE (no signal per row: each told the shared cache,
    # ten times the aggregation's own time at 300 localities; it is told once below), and one INSERT … SELECT.
    # The national sums are then read from the 300-odd rows written, not from the reports again.
    old_rows = national_year.locality_years.all()
    old_rows._raw_delete(old_rows.db)
    rows = _write_locality_years(national_year, on=end)

    national_year.source = NationalYear.Source.AGGREGATED
    for name in FIGURES:
        setattr(national_year, name, sum_known(row[name] for row in rows))
    # The sum of every known use figure: the same whether summed by locality first or by figure.
    national_year.total_uses = sum_known(getattr(national_year, name) for name in USE_FIELDS)
    national_year.localities = len(rows)
    national_year.issuers = sum(row["issuers"] for row in rows)
    national_year.venues = sum(row["venues"] for row in rows)
    national_year.localities_expected, national_year.municipalities = _localities_and_municipalities(
        reporting=national_year.locality_years.values("locality_id"), start=start, end=end
    )
    national_year.generated_at = timezone.now()
    if publish and national_year.published_at is None:
        national_year.published_at = national_year.generated_at
    history.save(national_year, actor=actor, reason="year.aggregated", clean=False)
    public_cache.data_changed()  # the rows were written without per-row signals
    return AggregationResult(national_year=national_year, created=created, localities=len(rows))


@transaction.atomic
def year_publish(*, year: int, actor=None) -> NationalYear:
    """Make the year public (pages, downloads, open data). Publishing a published year changes nothing."""
    _check_actor(actor)
    national_year = NationalYear.objects.select_for_update().get(year=year)
    if national_year.published_at is None:
        national_year.published_at = timezone.now()
        history.save(national_year, actor=actor, reason="year.published", clean=False, update_fields=["published_at"])
    return national_year


@transaction.atomic
def year_unpublish(*, year: int, actor=None) -> NationalYear:
    """Take the year off the public pages and the open data (its rows stay)."""
    _check_actor(actor)
    national_year = NationalYear.objects.select_for_update().get(year=year)
    if national_year.published_at is not None:
        national_year.published_at = None
        history.save(national_year, actor=actor, reason="year.unpublished", clean=False, update_fields=["published_at"])
    return national_year
