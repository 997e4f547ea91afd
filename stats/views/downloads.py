"""The coordinators' download of their own locality's reports (every round and status), as CSV or XLSX: the
columns of the admin's export (`stats.resources`), through the scoped selector. Another locality is 404."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kaikukeskus import spreadsheets
from localities.permissions import locality_for_user_or_404
from stats import selectors
from stats.resources import COLUMNS, report_rows


@login_required
@require_safe
def report_download(request, slug: str, file_format: str):
    locality = locality_for_user_or_404(user=request.user, slug=slug)
    return spreadsheets.file_response(
        report_rows(selectors.locality_reports(user=request.user, locality=locality)),
        file_format=file_format,
        header=COLUMNS,
        title=_("Statistics reports"),
        filename=f"kaikukortti-reports-{locality.slug}-{timezone.localdate().isoformat()}",
    )
