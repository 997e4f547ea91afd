"""Reports as a spreadsheet: the admin's export (django-import-export) and the coordinators' download of their
own locality's reports, one column list for both. The first columns are the import's header (DESIGN §6), so
that a file cut to them imports again; the round's title and the report's status follow.

The admin's import is not django-import-export's: it is `stats.imports`, the same code as `manage.py
import_reports` (a round per period, the overwrite rule). The admin's export writes through
`kaikukeskus.admin_spreadsheets`, which neutralises formula-like text as every spreadsheet of the portal."""

from import_export import fields, resources, widgets

from stats.imports import HEADER
from stats.models import LocalityReport

COLUMNS = (*HEADER, "round", "status")


class ReportResource(resources.ModelResource):
    locality = fields.Field(attribute="locality__slug", column_name="locality")
    period_start = fields.Field(
        attribute="round__period_start", column_name="period_start", widget=widgets.DateWidget("%Y-%m-%d")
    )
    period_end = fields.Field(
        attribute="round__period_end", column_name="period_end", widget=widgets.DateWidget("%Y-%m-%d")
    )
    round = fields.Field(attribute="round__title", column_name="round")
    status = fields.Field(attribute="status", column_name="status")

    class Meta:
        model = LocalityReport
        fields = COLUMNS
        export_order = COLUMNS


def report_rows(reports) -> list[list]:
    """The reports as rows under `COLUMNS` (the coordinators' download writes them with the house's writers)."""
    dataset = ReportResource().export(queryset=reports.select_related("round", "locality"))
    return [list(row) for row in dataset]
