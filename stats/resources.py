"""Reports as a spreadsheet: the admin's export (django-import-export) and the coordinators' download of their
own locality's reports, one column list for both. The first columns are the import's header (DESIGN §6), so
that a file cut to them imports again; the round's title and the report's status follow.

The admin's import does not go through django-import-export: its readers (tablib, openpyxl) are not bounded
against hostile files. It uses `stats.imports`, the same code as `manage.py import_reports`."""

from import_export import fields, resources, widgets

from kaikukeskus.api import neutralise_cell
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

    def export_field(self, field, instance, **kwargs):
        # Text that a spreadsheet would run as a formula (a round titled "=…") is neutralised as everywhere.
        return neutralise_cell(super().export_field(field, instance, **kwargs))


def report_rows(reports) -> list[list]:
    """The reports as rows under `COLUMNS` (the coordinators' download writes them with the house's writers)."""
    dataset = ReportResource().export(queryset=reports.select_related("round", "locality"))
    return [list(row) for row in dataset]
