"""Downloads of the public statistics, for a published year (any other year is 404):

- CSV and XLSX: the year's table, made at once and cached for visitors like the public pages until the
  statistics change;
- PDF: the annual report. Once rendered for this publication and language it is served at once; otherwise the
  page offers to make it (POST), which starts a background job and sends the visitor to the job's page, where
  the file can be downloaded when ready. A POST here from the year's page does the same directly. The job is
  shared: a POST while one is making the same report leads to it, and a POST once the file is kept is sent to
  the file."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kaikukeskus import pdf as pdf_files
from kaikukeskus import spreadsheets
from kaikukeskus.public_cache import public_page
from kaikukeskus.views import job_start_response
from stats import exports, pdf, selectors
from stats.models import NationalYear

PDF = "pdf"


@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def public_download(request, year: int, file_format: str):
    if file_format == PDF:
        return _annual_report(request, year)
    if file_format not in exports.SPREADSHEET_FORMATS or request.method == "POST":
        raise Http404
    try:
        content = exports.year_spreadsheet(year, file_format=file_format)
    except NationalYear.DoesNotExist as error:
        raise Http404 from error
    return spreadsheets.attachment(
        content, content_type=spreadsheets.CONTENT_TYPES[file_format], filename=exports.filename(year, file_format)
    )


def _annual_report(request, year: int):
    try:
        national_year = selectors.published_years().get(year=year)
    except NationalYear.DoesNotExist as error:
        raise Http404 from error
    if request.method == "POST":
        if pdf.is_kept(national_year):
            return redirect(request.path)  # made already: the file, at the address that serves it
        return job_start_response(
            request, kind=pdf.JOB_KIND, params={"year": year, "edition": pdf.edition(national_year)}
        )
    content = pdf.cached(national_year)
    if content is None:
        return render(request, "stats/annual_report_prepare.html", {"year": national_year})
    return pdf_files.response(content, filename=pdf.filename(year), private=False)  # the same for everybody
