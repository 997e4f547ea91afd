"""Statistics at national size: 300 localities × 10 years × 12 monthly reports with 20 venue rows each (own database).

Measured, each against a baseline and its target:
- the aggregation of one year (`stats.aggregation.aggregate_year`: the GROUP BY, the localities' rows, the
  network counts, the completeness, the writes) against a bare SQL `GROUP BY` over the same report rows, each the
  median of `REPEATS` warm runs, interleaved (target ≤ 1.5×);
- the annual report PDF of a year with the localities' table, in each language, rendered cold (target < 3 s);
- the public statistics pages and both statistics API endpoints under 20 concurrent clients (wrk, gunicorn)
  against the minimal Django view, as `bench_load_public` measures the other public pages (target ≥ 50 % of its
  requests/s, p95 < 100 ms).

Writes a section of its own to docs/benchmarks.md. `BENCH_STATS_LOCALITIES`, `_YEARS` and `_VENUES` make it
smaller while developing; the published numbers are the full size."""

import contextlib
import os
import platform
import shutil
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from bench import bench_load_public
from bench.stats_data import database_url, generate, own_database
from stats import aggregation
from stats.models import FIGURES, LocalityYear, NationalYear

LOCALITIES = int(os.environ.get("BENCH_STATS_LOCALITIES", "300"))
YEARS = int(os.environ.get("BENCH_STATS_YEARS", "10"))
VENUES = int(os.environ.get("BENCH_STATS_VENUES", "20"))
REPEATS = 21
GOAL_AGGREGATION_RATIO = 1.5
GOAL_PDF_SECONDS = 3.0

# The bare query: what any aggregation of a year must read at least, written by hand.
BARE_GROUP_BY = """
SELECT r.locality_id, {sums}, MAX(r.municipalities), COUNT(*)
FROM stats_localityreport r JOIN stats_reportinground g ON g.id = r.round_id
WHERE r.status = %s AND g.period_start >= %s AND g.period_end <= %s
GROUP BY r.locality_id
"""


def bare_group_by(year: int) -> list[tuple]:
    sql = BARE_GROUP_BY.format(sums=", ".join(f"SUM(r.{name})" for name in FIGURES))
    start, end = aggregation.year_bounds(year)
    with connection.cursor() as cursor:
        cursor.execute(sql, ["approved", start, end])
        return cursor.fetchall()


def _medians_ms(functions: dict, repeats: int, *, before: dict | None = None) -> dict[str, float]:
    """Each function's median time, the runs interleaved (a, b, c, a, b, c, …) so that a neighbour's load on the
    shared machine falls on all of them alike and their ratios hold. `before[name]` runs untimed before each run."""
    timings = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            if before and name in before:
                before[name]()
            started = time.perf_counter()
            function()
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in timings.items()}


def _vacuum_written_tables() -> None:
    """What autovacuum does between two aggregations in production (they are days apart): without it, twenty
    aggregations in a row would each read the dead rows of the ones before (the DELETE and the sums read the
    year's rows by index), and the benchmark would measure its own leftovers."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:  # VACUUM runs outside transactions only
        return
    with connection.cursor() as cursor:
        for model in (LocalityYear, NationalYear, NationalYear.history.model):
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")


def _statement_ms(queries, prefix: str) -> float:
    return sum(float(query["time"]) for query in queries.captured_queries if query["sql"].startswith(prefix)) * 1000


def compare_aggregation(year: int, *, repeats: int = REPEATS) -> dict:
    """The aggregation's time against the bare GROUP BY's (both warm), and whether their sums agree."""
    aggregation.aggregate_year(year=year)  # warm: the first run also creates the national year
    rows = bare_group_by(year)
    medians = _medians_ms(
        {
            "aggregate": lambda: aggregation.aggregate_year(year=year),
            "group_by": lambda: bare_group_by(year),
            "orm_group_by": lambda: list(aggregation.locality_sums(year)),
        },
        repeats,
        before={"aggregate": _vacuum_written_tables},
    )
    _vacuum_written_tables()
    with CaptureQueriesContext(connection) as queries:
        aggregation.aggregate_year(year=year)
    national_year = NationalYear.objects.get(year=year)
    expected = {name: sum(row[1 + index] for row in rows) for index, name in enumerate(FIGURES)}
    return {
        "aggregate_ms": round(medians["aggregate"], 1),
        "group_by_ms": round(medians["group_by"], 1),
        "ratio": round(medians["aggregate"] / medians["group_by"], 2),
        "orm_group_by_ms": round(medians["orm_group_by"], 1),
        "queries": len(queries),
        "sql_ms": round(sum(float(query["time"]) for query in queries.captured_queries) * 1000, 1),
        "insert_select_ms": round(_statement_ms(queries, 'INSERT INTO "stats_localityyear"'), 1),
        "commit_ms": round(_statement_ms(queries, "COMMIT"), 1),
        "localities": len(rows),
        "reports": sum(row[-1] for row in rows),
        "sums_agree": national_year.figures() == expected and national_year.localities == len(rows),
    }


def time_pdf(year: int) -> dict | None:
    """The annual report rendered cold in each language (a fresh publication is rendered anew)."""
    try:
        from stats import pdf
    except ImportError:
        return None
    seconds = {}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            started = time.perf_counter()
            content = pdf.annual_report(year)
            seconds[language] = round(time.perf_counter() - started, 2)
            assert content.startswith(b"%PDF")
    return {"seconds": seconds, "max_seconds": max(seconds.values()), "bytes": len(content)}


def statistics_urls(year: int) -> list[str]:
    """The public statistics pages and the API endpoints, as far as they exist."""
    candidates = [
        ("stats:public-index", {}, ""),
        ("stats:public-year", {"year": year}, ""),
        ("stats-api:national", {}, ""),
        ("stats-api:localities", {}, f"?year={year}"),
        ("stats-api:localities", {}, f"?year={year}&format=csv"),
    ]
    urls = []
    for name, kwargs, query in candidates:
        try:
            urls.append(reverse(name, kwargs=kwargs) + query)
        except NoReverseMatch:
            continue
    with translation.override("sv"), contextlib.suppress(NoReverseMatch):
        urls.insert(2, reverse("stats:public-year", kwargs={"year": year}))
    return urls


def run() -> dict:
    with own_database():
        generated = generate(localities=LOCALITIES, years=YEARS, venues=VENUES)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would gather them
        year = generated.last_year
        compared = compare_aggregation(year)
        for published in (year - 1, year):
            aggregation.aggregate_year(year=published, publish=True)
        pdf = time_pdf(year)
        urls = statistics_urls(year)
        load = []
        if urls and shutil.which("wrk"):
            load = bench_load_public.load_test(urls, environment={"DATABASE_URL": database_url()})
    _write_section(generated, compared, pdf, load)
    result = {
        "rows": generated.venue_rows,
        "reports": generated.reports,
        "generate_seconds": generated.seconds,
        "aggregate_ms": compared["aggregate_ms"],
        "group_by_ms": compared["group_by_ms"],
        "aggregation_ratio": compared["ratio"],
        "sums_agree": compared["sums_agree"],
    }
    if pdf:
        result["pdf_max_seconds"] = pdf["max_seconds"]
    if load:
        result.update({f"load_{key}": value for key, value in bench_load_public.summary(load).items()})
    return result


def _write_section(generated, compared: dict, pdf: dict | None, load: list[dict]) -> None:
    from bench.__main__ import run_on, write_results

    title = f"{connection.vendor}: statistics"
    ratio_met = compared["ratio"] <= GOAL_AGGREGATION_RATIO
    lines = [
        f"## {title}",
        "",
        f"`bench/bench_stats.py`, in a database of its own: {generated.localities} localities × "
        f"{generated.last_year - generated.first_year + 1} years ({generated.first_year}–{generated.last_year}) × "
        f"12 monthly rounds = {generated.reports:,} reports with {generated.venue_rows:,} venue rows, written with "
        f"{generated.method} in {generated.seconds} s. Machine: {platform.machine()}, {os.cpu_count()} cores "
        f"shared with other jobs; {run_on()}",
        "",
        "| measure | result | baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|",
        f"| aggregate {generated.last_year} (`aggregate_year`, {compared['reports']:,} reports of "
        f"{compared['localities']} localities; {compared['queries']} statements with the writes and the commit, "
        f"{compared['sql_ms']} ms of them in the database: the INSERT … SELECT … GROUP BY "
        f"{compared['insert_select_ms']} ms, the COMMIT {compared['commit_ms']} ms) | {compared['aggregate_ms']} ms | "
        f"bare SQL GROUP BY: "
        f"{compared['group_by_ms']} ms | {compared['ratio']}× | ≤ {GOAL_AGGREGATION_RATIO}× | "
        f"{'yes' if ratio_met else 'no'} |",
        f"| its ORM GROUP BY alone (`locality_sums`) | {compared['orm_group_by_ms']} ms | bare SQL GROUP BY: "
        f"{compared['group_by_ms']} ms | {compared['orm_group_by_ms'] / compared['group_by_ms']:.2f}× | – | – |",
    ]
    if pdf:
        shown = ", ".join(f"{language} {seconds} s" for language, seconds in pdf["seconds"].items())
        met = pdf["max_seconds"] < GOAL_PDF_SECONDS
        lines.append(
            f"| annual report PDF {generated.last_year}, {generated.localities} localities, cold ({shown}) | "
            f"{pdf['max_seconds']} s | goal {GOAL_PDF_SECONDS} s | {pdf['max_seconds'] / GOAL_PDF_SECONDS:.2f}× | "
            f"< {GOAL_PDF_SECONDS} s | {'yes' if met else 'no'} |"
        )
    else:
        lines.append("| annual report PDF | not measured: `stats/pdf.py` is not there yet | – | – | < 3 s | – |")
    lines.append("")
    lines.append(f"The aggregation's sums agree with the bare GROUP BY's: {'yes' if compared['sums_agree'] else 'NO'}.")
    other_sql = compared["sql_ms"] - compared["insert_select_ms"] - compared["commit_ms"]
    python_ms = max(compared["aggregate_ms"] - compared["sql_ms"], 0)
    lines += [
        "",
        f"Where the aggregation's time goes: the statement that reads the reports, sums them per locality and writes "
        f"the localities' rows (INSERT … SELECT … GROUP BY) takes {compared['insert_select_ms']} ms, "
        f"{compared['insert_select_ms'] / compared['group_by_ms']:.2f}× the bare GROUP BY that only reads; the rest "
        f"does not grow with the reports: the COMMIT that makes the rows durable ({compared['commit_ms']} ms), "
        f"{compared['queries'] - 2} small statements (the year's lock, the old rows' DELETE, the national counts, the "
        f"national year and its history row: {other_sql:.1f} ms) and Django building the queries "
        f"(about {python_ms:.1f} ms of Python).",
    ]
    if load:
        lines += ["", "Under load:", ""]
        data = f"Published years {generated.last_year - 1} and {generated.last_year} aggregated from the rows above"
        lines += bench_load_public.section_lines(load, data=data)
    else:
        lines += ["", "Under load: not measured (no statistics pages yet, or wrk is missing)."]
    write_results(title, "\n".join(lines))
