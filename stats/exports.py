"""A published year's statistics for download: the year's table (the national row, then one row per locality
from the aggregation's `LocalityYear` snapshot) as CSV or XLSX.

The table is for people opening it in a spreadsheet program, so its header is in the reader's language (the
models' own field names, translated); the open data API (`/api/v1/statistics/…?format=csv`) gives the same
figures under their contract names for programs. The columns come from `FIGURES` and the models' fields, never
spelled out again here. The public views, `manage.py export_statistics` and the annual report PDF all take the
table from here."""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kaikukeskus import spreadsheets
from stats import selectors
from stats.models import FIGURES, NationalYear

# The columns after the locality: the ten figures, the total of uses, and the network at year end.
FIGURE_COLUMNS = (*FIGURES, "uses_total", "municipalities", "issuers", "venues")
SPREADSHEET_FORMATS = tuple(spreadsheets.CONTENT_TYPES)


@dataclass(frozen=True)
class YearTable:
    national_year: NationalYear
    header: list[str]
    rows: list[list[object]]  # the national row first, then the localities


def _label(name: str) -> str:
    # `uses_total` is a property (the contract's name); the national year stores it as `total_uses`.
    return capfirst(str(NationalYear._meta.get_field("total_uses" if name == "uses_total" else name).verbose_name))


def header() -> list[str]:
    """The column labels in the active language."""
    return [_("Locality"), _("Identifier"), *(_label(name) for name in FIGURE_COLUMNS)]


def _figures(row) -> list[object]:
    return [getattr(row, name) for name in FIGURE_COLUMNS]


def year_rows(year: int) -> YearTable:
    """The published year's table (`NationalYear.DoesNotExist` for a year that is not published). Two queries
    whatever the number of localities."""
    national_year = selectors.published_years().get(year=year)
    rows = [[_("Whole country"), "", *_figures(national_year)]]
    rows += [
        [row.locality.name, row.locality.slug, *_figures(row)] for row in selectors.published_locality_years(year=year)
    ]
    return YearTable(national_year=national_year, header=header(), rows=rows)


def filename(year: int, file_format: str) -> str:
    return f"kaikukortti-statistics-{year}.{file_format}"


def year_spreadsheet(year: int, *, file_format: str) -> bytes:
    """The year's table as a CSV or XLSX file, in the active language."""
    table = year_rows(year)
    return spreadsheets.write(table.rows, file_format=file_format, header=table.header, title=str(year))
