"""The national statistics 2015–2023 as Kaikukeskus published them (kaikukortti.fi, docs/domain.md §3), shipped
as data so that the public page shows every year from day one. Loaded by a data migration (and again by the test
suite after a transactional test empties the tables); the aggregation never overwrites these years unless told
to.

The published table gives no localities, issuers or venues: those stay null (unknown), as the open data says.
Its blank cells are zeros: each row's total equals the sum of its figures."""

import csv
import datetime
from pathlib import Path

PUBLISHED_CSV = Path(__file__).resolve().parent / "data" / "national_statistics_published.csv"
FIGURE_COLUMNS = (
    "cards_registered",
    "cards_activated",
    "adult_culture",
    "adult_education",
    "adult_science",
    "adult_sports",
    "child_culture",
    "child_education",
    "child_science",
    "child_sports",
)


def read_published(path: Path = PUBLISHED_CSV) -> list[dict[str, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [{key: int(value) for key, value in row.items()} for row in csv.DictReader(handle)]
    for row in rows:
        if sum(row[name] for name in FIGURE_COLUMNS[2:]) != row["uses_total"]:
            raise ValueError(f"{path.name}: the uses of {row['year']} do not add up to its total")
    return rows


def load_published_history(national_year_model, path: Path = PUBLISHED_CSV) -> int:
    """Create the published years that are missing; a year already there (aggregated or edited) is left."""
    existing = set(national_year_model.objects.values_list("year", flat=True))
    # Published on the portal from the day it went live; the exact day Kaikukeskus first published each year is
    # not known, so the date only says "public".
    published_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    years = [
        national_year_model(
            year=row["year"],
            source="published",
            total_uses=row["uses_total"],
            municipalities=row["municipalities"],
            published_at=published_at,
            **{name: row[name] for name in FIGURE_COLUMNS},
        )
        for row in read_published(path)
        if row["year"] not in existing
    ]
    national_year_model.objects.bulk_create(years)
    return len(years)
