"""Regions, wellbeing services counties and municipalities from `localities/data/municipalities.csv`.

Used by the data migration (with historical models) and by `manage.py load_municipalities` (re-run when the
file is updated): rows are matched by municipality code and names, so a re-run updates and never duplicates.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "municipalities.csv"
EXPECTED_HEADER = ["code", "name_fi", "name_sv", "region_fi", "region_sv", "wellbeing_services_county_fi"]

# The counties' Swedish names are not in the source file; these are their official forms.
COUNTY_NAMES_SV = {
    "Etelä-Karjalan hyvinvointialue": "Södra Karelens välfärdsområde",
    "Etelä-Pohjanmaan hyvinvointialue": "Södra Österbottens välfärdsområde",
    "Etelä-Savon hyvinvointialue": "Södra Savolax välfärdsområde",
    "Helsingin kaupunki": "Helsingfors stad",
    "Itä-Uudenmaan hyvinvointialue": "Östra Nylands välfärdsområde",
    "Kainuun hyvinvointialue": "Kajanalands välfärdsområde",
    "Kanta-Hämeen hyvinvointialue": "Egentliga Tavastlands välfärdsområde",
    "Keski-Pohjanmaan hyvinvointialue": "Mellersta Österbottens välfärdsområde",
    "Keski-Suomen hyvinvointialue": "Mellersta Finlands välfärdsområde",
    "Keski-Uudenmaan hyvinvointialue": "Mellersta Nylands välfärdsområde",
    "Kymenlaakson hyvinvointialue": "Kymmenedalens välfärdsområde",
    "Lapin hyvinvointialue": "Lapplands välfärdsområde",
    "Länsi-Uudenmaan hyvinvointialue": "Västra Nylands välfärdsområde",
    "Pirkanmaan hyvinvointialue": "Birkalands välfärdsområde",
    "Pohjanmaan hyvinvointialue": "Österbottens välfärdsområde",
    "Pohjois-Karjalan hyvinvointialue": "Norra Karelens välfärdsområde",
    "Pohjois-Pohjanmaan hyvinvointialue": "Norra Österbottens välfärdsområde",
    "Pohjois-Savon hyvinvointialue": "Norra Savolax välfärdsområde",
    "Päijät-Hämeen hyvinvointialue": "Päijänne-Tavastlands välfärdsområde",
    "Satakunnan hyvinvointialue": "Satakunta välfärdsområde",
    "Vantaan ja Keravan hyvinvointialue": "Vanda och Kervo välfärdsområde",
    "Varsinais-Suomen hyvinvointialue": "Egentliga Finlands välfärdsområde",
}


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def read_rows(path: Path = MUNICIPALITIES_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != EXPECTED_HEADER:
            raise ValueError(f"{path}: header {reader.fieldnames} is not {EXPECTED_HEADER}")
        return [{key: (value or "").strip() for key, value in row.items()} for row in reader]


def load_municipalities(region_model, county_model, municipality_model, path: Path = MUNICIPALITIES_CSV) -> LoadResult:
    rows = read_rows(path)
    regions = {}
    for name_fi, name_sv in {(row["region_fi"], row["region_sv"]) for row in rows}:
        region, _created = region_model.objects.update_or_create(name_fi=name_fi, defaults={"name_sv": name_sv})
        regions[name_fi] = region
    counties = {}
    for name_fi in {row["wellbeing_services_county_fi"] for row in rows if row["wellbeing_services_county_fi"]}:
        county, _created = county_model.objects.update_or_create(
            name_fi=name_fi, defaults={"name_sv": COUNTY_NAMES_SV.get(name_fi, "")}
        )
        counties[name_fi] = county

    existing = {m.code: m for m in municipality_model.objects.all()}
    created = updated = unchanged = 0
    for row in rows:
        values = {
            "name_fi": row["name_fi"],
            "name_sv": row["name_sv"],
            "region_id": regions[row["region_fi"]].pk,
            "county_id": counties[row["wellbeing_services_county_fi"]].pk
            if row["wellbeing_services_county_fi"]
            else None,
        }
        current = existing.get(row["code"])
        if current is None:
            municipality_model.objects.create(code=row["code"], **values)
            created += 1
        elif any(getattr(current, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(current, field, value)
            current.save()
            updated += 1
        else:
            unchanged += 1
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


POPULATION_CSV = Path(__file__).resolve().parent / "data" / "municipality_population.csv"
POPULATION_HEADER = ["code", "population_2020"]


def load_population(municipality_model, path: Path = POPULATION_CSV) -> int:
    """Set each municipality's population from `localities/data/municipality_population.csv` (code, inhabitants):
    for the pipeline's coverage by share of population. Returns how many municipalities changed; a code not in
    the register is skipped (the file may be newer or older than the register)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != POPULATION_HEADER:
            raise ValueError(f"{path}: header {reader.fieldnames} is not {POPULATION_HEADER}")
        population = {row["code"].strip(): int(row["population_2020"]) for row in reader}
    changed = []
    for municipality in municipality_model.objects.filter(code__in=population):
        if municipality.population != population[municipality.code]:
            municipality.population = population[municipality.code]
            changed.append(municipality)
    municipality_model.objects.bulk_update(changed, ["population"])
    return len(changed)
