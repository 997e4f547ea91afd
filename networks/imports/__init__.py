"""The partner spreadsheet, read only: `columns` (what the template has and the exports write), `reading` (an
upload read by the core's bounded reader, then its header) and `planning` (what each row would do,
validated by the models' rules). `services` stores the preview and applies the plan; callers use the names below.
"""

from kaikukeskus.spreadsheet_reader import EXTENSIONS, MAX_ROWS, MAX_UPLOAD_BYTES, SpreadsheetError
from networks.imports.columns import COLUMN_KEYS, COLUMNS, EXAMPLES, Column, column_labels, example_rows
from networks.imports.planning import ERROR, NEW, UNCHANGED, UPDATE, ImportPlan, RowPlan, partner_import_plan
from networks.imports.reading import ParsedSheet, parse_upload

__all__ = [
    "COLUMNS",
    "COLUMN_KEYS",
    "ERROR",
    "EXAMPLES",
    "EXTENSIONS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "NEW",
    "UNCHANGED",
    "UPDATE",
    "Column",
    "ImportPlan",
    "ParsedSheet",
    "RowPlan",
    "SpreadsheetError",
    "column_labels",
    "example_rows",
    "parse_upload",
    "partner_import_plan",
]
