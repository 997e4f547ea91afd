"""The annual report PDF of a published year, with WeasyPrint: cover, national totals, the trend of uses over
the published years, the sector split, the per-locality table and a note on completeness, in the active
language.

Rendered by a background job (`kaikukeskus.jobs`, kind `stats.annual_report`) for visitors and by
`manage.py export_statistics --format pdf`. The file is kept in storage per year, language and publication
time (its `edition`), so a second request is served from there, and a re-publication makes a new one. The job
is shared: while one makes a year's report in a language, everybody asking for it is sent to that job, and the
job hands out the kept file itself (no copy a job).

The trend is the public page's chart (stats/charts.py, drawn by stats/includes/chart_columns.html as inline
SVG, which WeasyPrint draws itself), with the years and their uses as a table beside it, so that the figures are
text in the PDF.

Speed (the target is under 3 s for 300 localities, a process's first PDF included): WeasyPrint's time grows with
the boxes it lays out, and a table row with a cell a figure is a dozen boxes. So the localities' table is a header
of columns and one cell under it holding a line of monospaced text a locality: its name padded to `NAME_WIDTH`
characters (a longer name goes on on the next lines), then each figure right-aligned in `FIGURE_WIDTH`
characters; the header's columns are as wide (`column_widths`), and it repeats on every page. That is a box or two
a locality instead of a dozen: the 300 localities take a third of the time a cell a figure took. The helper
(kaikukeskus/pdf.py) keeps WeasyPrint's fonts and the stylesheet between documents, and the Celery worker warms it
when it starts.
"""

import textwrap
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kaikukeskus import jobs
from kaikukeskus import pdf as pdf_files
from kaikukeskus.storage import private_storage
from networks.models import Sector
from stats import charts, selectors
from stats.models import CARD_FIELDS, SECTORS, NationalYear

STYLESHEET = "stats/css/annual_report.css"
CACHE_FOLDER = "stats/annual-report"
# The localities' table, in characters of its monospaced font (DejaVu Sans Mono, whose every character is
# MONOSPACE_ADVANCE em wide): the name's column, and each figure's (the widest figure, 999 999 999, takes 11).
# 28 + 9 × 14 characters of 8 pt fill the width of a landscape A4 page (annual_report.css).
NAME_WIDTH = 28
FIGURE_WIDTH = 14
MONOSPACE_ADVANCE = 1233 / 2048


def _number(value) -> str:
    return "–" if value is None else number_format(value, force_grouping=True)


def _percent(value: float | None) -> str:
    return "–" if value is None else number_format(round(value), force_grouping=True) + " %"


def _share(part, whole) -> str:
    return _percent(100 * part / whole if part is not None and whole else None)


def _field_label(name: str) -> str:
    return str(NationalYear._meta.get_field(name).verbose_name)


def _totals(year: NationalYear) -> list[tuple[str, str]]:
    rows = [(_field_label(name), _number(getattr(year, name))) for name in CARD_FIELDS]
    rows += [
        (_("Uses by adults"), _number(year.uses_adult)),
        (_("Uses by children"), _number(year.uses_child)),
        (_("Uses in total"), _number(year.uses_total)),
        (_field_label("municipalities"), _number(year.municipalities)),
        (_field_label("issuers"), _number(year.issuers)),
        (_field_label("venues"), _number(year.venues)),
    ]
    return rows


def _sectors(year: NationalYear) -> list[dict]:
    return [
        {
            "label": row.label,
            "ages": [_number(row.adult), _number(row.child)],
            "total": _number(row.total),
            "share": _percent(row.share),
        }
        for row in year.sector_split()
    ]


def _trend(year: NationalYear) -> dict:
    """The chart of uses by year up to this one (the public page's geometry) and its figures as rows."""
    years = list(selectors.published_years().filter(year__lte=year.year))
    return {
        "chart": charts.column_chart([(str(row.year), row.uses_total) for row in years]),
        "description": _(
            "A column for each year from %(first)s to %(last)s: the uses of the card in total. The table beside "
            "the chart gives the same figures."
        )
        % {"first": years[0].year, "last": years[-1].year}
        if years
        else "",
        "rows": [
            {"year": row.year, "uses": _number(row.uses_total), "current": row.year == year.year} for row in years
        ],
    }


def locality_line(name: str, values) -> str:
    """A locality's row as text: the name in `NAME_WIDTH` characters (a longer one goes on on the lines after),
    then each figure right-aligned in `FIGURE_WIDTH` characters."""
    name_lines = textwrap.wrap(name, NAME_WIDTH - 1) or [""]
    figures = "".join(_number(value).rjust(FIGURE_WIDTH) for value in values)
    return "\n".join([name_lines[0].ljust(NAME_WIDTH) + figures, *name_lines[1:]])


def column_widths(figures: int) -> dict[str, str]:
    """The CSS widths of the header's columns (in em of the table's font), as wide as the lines' characters."""
    characters = {"name": NAME_WIDTH, "figure": FIGURE_WIDTH, "table": NAME_WIDTH + figures * FIGURE_WIDTH}
    return {key: f"{count * MONOSPACE_ADVANCE:.3f}em" for key, count in characters.items()}


def _localities(year: NationalYear) -> list[str]:
    return [
        locality_line(
            row.locality.name,
            [
                *(getattr(row, name) for name in CARD_FIELDS),
                *(row.uses_in(sector) for sector in SECTORS),
                row.uses_adult,
                row.uses_child,
                row.uses_total,
            ],
        )
        for row in selectors.published_locality_years(year=year.year)
    ]


def _completeness(year: NationalYear, locality_rows: int) -> str:
    if year.source == NationalYear.Source.PUBLISHED and not locality_rows:
        return _(
            "The figures for %(year)s are the national statistics as Kaikukeskus published them; figures by "
            "locality are not available for that year."
        ) % {"year": year.year}
    if year.localities is not None and year.localities_expected:
        return _(
            "%(reporting)s of the %(expected)s localities expected to report for %(year)s did so (%(share)s); "
            "the figures are the sums of their approved reports."
        ) % {
            "reporting": _number(year.localities),
            "expected": _number(year.localities_expected),
            "year": year.year,
            "share": _share(year.localities, year.localities_expected),
        }
    return _("The figures are the sums of the localities' approved reports.")


def context(year: NationalYear) -> dict:
    localities = _localities(year)
    figure_labels = [
        *(_field_label(name) for name in CARD_FIELDS),
        *(Sector(sector).label for sector in SECTORS),
        _("Adults"),
        _("Children"),
        _("Total"),
    ]
    return {
        "year": year,
        "published_on": date_format(year.published_at, "DATE_FORMAT") if year.published_at else "",
        "totals": _totals(year),
        "sectors": _sectors(year),
        "age_labels": [_("Adults"), _("Children")],
        "trend": _trend(year),
        "figure_labels": figure_labels,
        "column_widths": column_widths(len(figure_labels)),
        "localities": localities,
        "completeness": _completeness(year, len(localities)),
        "unknown_note": _("A dash (–) marks a figure that is not known."),
    }


def render_html(year: NationalYear) -> str:
    return render_to_string("stats/pdf/annual_report.html", context(year))


def edition(year: NationalYear) -> str:
    """The publication the report is of: a re-publication is a new edition."""
    return year.published_at.strftime("%Y%m%dT%H%M%S%f")


def cache_name(year: NationalYear) -> str:
    return f"{CACHE_FOLDER}/{year.year}-{get_language()}-{edition(year)}.pdf"


def is_kept(national_year: NationalYear) -> bool:
    """This publication's report in the active language has been rendered before."""
    return private_storage.exists(cache_name(national_year))


def cached(national_year: NationalYear) -> bytes | None:
    """This publication's report in the active language if it has been rendered before."""
    if not is_kept(national_year):
        return None
    with private_storage.open(cache_name(national_year), "rb") as file:
        return file.read()


def annual_report_file(year: int, *, progress: Callable[[int, str], None] | None = None) -> str:
    """The name in storage of the published year's report in the active language (`NationalYear.DoesNotExist`
    for a year not published), rendered and kept now unless this publication has been in this language before."""
    progress = progress or (lambda percent, message="": None)
    national_year = selectors.published_years().get(year=year)
    name = cache_name(national_year)
    if is_kept(national_year):
        return name
    progress(10, _("Collecting the figures"))
    html = render_html(national_year)
    progress(40, _("Laying out the pages"))
    content = pdf_files.html_to_pdf(html, stylesheet=STYLESHEET)
    progress(90, _("Saving the file"))
    return private_storage.save(name, ContentFile(content))


def annual_report(year: int, *, progress: Callable[[int, str], None] | None = None) -> bytes:
    """The report's content (`annual_report_file`)."""
    with private_storage.open(annual_report_file(year, progress=progress), "rb") as file:
        return file.read()


def filename(year: int) -> str:
    return _("kaikukortti-annual-report-%(year)s.pdf") % {"year": year}


JOB_KIND = "stats.annual_report"


def annual_report_job(job, progress) -> jobs.StoredFile:
    """The background job's work (registered in `StatsConfig.ready`, shared): params `year` and `edition`, in
    the job's language. Its download is the kept file (the jobs' storage is `private_storage` too)."""
    year = int(job.params["year"])
    return jobs.StoredFile(name=annual_report_file(year, progress=progress), filename=filename(year))
