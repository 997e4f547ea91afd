"""The public statistics: every published year with its trend, and a year's figures by locality. Cached for
visitors (public_page) until a national or a locality's year changes (publishing, unpublishing, aggregating)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.text import capfirst
from django.views.decorators.http import require_safe

from kaikukeskus.public_cache import public_page
from stats import charts, exports, selectors
from stats.models import AGE_GROUPS, AGE_LABELS, NationalYear
from stats.views.exports import PDF


def _age_rows(national_year: NationalYear) -> list[dict]:
    uses = {"adult": national_year.uses_adult, "child": national_year.uses_child}
    return [{"label": capfirst(AGE_LABELS[age]), "total": uses[age]} for age in AGE_GROUPS]


def _downloads(year: int) -> list[dict]:
    """The annual report (PDF, made on request in the reader's language) and the year's table (XLSX, CSV)."""
    return [
        {"format": file_format.upper(), "year": year, "file_format": file_format}
        for file_format in (PDF, *exports.SPREADSHEET_FORMATS)
    ]


@public_page
@require_safe
def public_index(request):
    years = list(selectors.published_years())
    latest = years[-1] if years else None
    context = {
        "years": years[::-1],  # the table: newest first
        "latest": latest,
        "trend": charts.column_chart([(str(year.year), year.uses_total) for year in years]),
        "has_history": any(year.source == NationalYear.Source.PUBLISHED for year in years),
    }
    if latest is not None:
        sectors, ages = latest.sector_split(), _age_rows(latest)
        context.update(
            sectors=sectors,
            ages=ages,
            sector_chart=charts.bar_chart([(row.label, row.total) for row in sectors]),
            age_chart=charts.bar_chart([(row["label"], row["total"]) for row in ages]),
            downloads=_downloads(latest.year),
        )
    return render(request, "stats/public_index.html", context)


@public_page
@require_safe
def public_year(request, year: int):
    try:
        national_year = selectors.published_years().get(year=year)
    except NationalYear.DoesNotExist as error:
        raise Http404("no such published year") from error
    return render(
        request,
        "stats/public_year.html",
        {
            "year": national_year,
            "is_history": national_year.source == NationalYear.Source.PUBLISHED,
            "rows": list(selectors.published_locality_years(year=national_year.year)),
            "sectors": national_year.sector_split(),
            "ages": _age_rows(national_year),
            "downloads": _downloads(national_year.year),
        },
    )
