"""`make bench`: run every `bench/bench_*.py` module's `run() -> dict` on a scratch database and write the
results to docs/benchmarks.md. Uses `DATABASE_URL` when set (PostgreSQL), else a temporary SQLite file."""

import datetime
import importlib
import os
import pkgutil
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


RESULTS = ROOT / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\nWritten by `make bench` (`python -m bench`): one section per database, each from its last run\n"
    "(`DATABASE_URL=postgres://... make bench` for PostgreSQL). Speed is measured here, not in timed tests.\n"
    "`make bench-faults` writes the section on load and faults.\n"
)


def run_on() -> str:
    """When the numbers were measured (each section says it: sections are rewritten by separate runs)."""
    return f"Run on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC."


def write_results(database: str, section: str) -> None:
    """Replace this database's section of docs/benchmarks.md and keep the others'."""
    sections = {}
    if RESULTS.exists():
        for chunk in RESULTS.read_text(encoding="utf-8").split("\n## ")[1:]:
            sections[chunk.split("\n", 1)[0].strip()] = "## " + chunk.strip()
    sections[database] = section
    RESULTS.write_text(HEADER + "\n" + "\n\n".join(sections[key] for key in sorted(sections)) + "\n", encoding="utf-8")


def replace_rows(database: str, rows: dict[str, str]) -> bool:
    """A partial run (`python -m bench bench_x`): replace its benchmarks' rows in this database's table and keep
    the others' (each replaced row says when it was run). False when there is no table to put them in."""
    if not RESULTS.exists():
        return False
    text = RESULTS.read_text(encoding="utf-8")
    start = text.find(f"\n## {database}\n")
    if start < 0:
        return False
    end = text.find("\n## ", start + 1)
    end = len(text) if end < 0 else end
    lines = text[start:end].split("\n")
    table = [index for index, line in enumerate(lines) if line.startswith("| `")]
    if not table:
        return False
    for name, row in rows.items():
        existing = [index for index in table if lines[index].startswith(f"| `{name}` |")]
        if existing:
            lines[existing[0]] = row
        else:
            table.append(table[-1] + 1)
            lines.insert(table[-1], row)
    RESULTS.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
    return True


def main() -> int:
    if sys.argv[1:] == ["faults"]:  # the load and fault run (bench/faults.py), on PostgreSQL
        from bench import faults

        return faults.main()
    scratch = tempfile.TemporaryDirectory(prefix="kaikukeskus-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch.name}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaikukeskus.settings")
    os.environ.setdefault("EMAIL_URL", "locmem://")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")  # the benchmarks use the test client
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    selected = set(sys.argv[1:])
    load_before = os.getloadavg()[0]  # the machine is shared: its load says how noisy the timings are
    rows = []
    for info in sorted(pkgutil.iter_modules([str(ROOT / "bench")]), key=lambda info: info.name):
        if not info.name.startswith("bench_") or (selected and info.name not in selected):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        started = time.perf_counter()
        results = module.run()
        elapsed = time.perf_counter() - started
        print(f"{info.name}: {results} ({elapsed:.1f} s)")
        rows.append((info.name, (module.__doc__ or "").strip().splitlines()[0], results))

    database = django.db.connection.vendor
    section = [
        f"## {database}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. {run_on()}",
        "",
        "| benchmark | what | result |",
        "|---|---|---|",
    ]
    load = f"1-minute load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    partial = {}
    for name, what, results in rows:
        shown = ", ".join(f"{key} = {value}" for key, value in results.items())
        section.append(f"| `{name}` | {what} | {shown} |")
        partial[name] = f"| `{name}` | {what} | {shown} ({run_on()} {load}.) |"
    if not selected:
        write_results(database, "\n".join(section))
    elif not replace_rows(database, partial):  # a partial run replaces its own rows, or prints its numbers only
        print(f"No {database} table in {RESULTS.name} to put the rows in: run every benchmark once.")
    scratch.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
