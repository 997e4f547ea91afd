"""Downloads of the public statistics: a published year's table as CSV or XLSX (any other year is 404), cached
for visitors like the public pages until the statistics change."""

from django.http import Http404
from django.views.decorators.http import require_safe

from kaikukeskus import spreadsheets
from kaikukeskus.public_cache import public_page
from stats import exports
from stats.models import NationalYear


@public_page
@require_safe
def public_download(request, year: int, file_format: str):
    if file_format not in exports.SPREADSHEET_FORMATS:
        raise Http404
    try:
        content = exports.year_spreadsheet(year, file_format=file_format)
    except NationalYear.DoesNotExist as error:
        raise Http404 from error
    return spreadsheets.attachment(
        content, content_type=spreadsheets.CONTENT_TYPES[file_format], filename=exports.filename(year, file_format)
    )
