"""Writing spreadsheets for download (CSV and XLSX), one way for every app: the partner template and export,
the statistics' year table, the admin's exports (`kaikukeskus.admin_spreadsheets`). Text that a spreadsheet
program would run as a formula is neutralised by the one rule below (`neutralise_cell`), which the open data
API's CSV and the materials' comment export use too."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value) -> object:
    """Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return before one) as a
    formula (CSV injection): prefix such text with an apostrophe, which makes it text. Numbers stay numbers.
    The bounded reader (`spreadsheet_reader.cell_text`) takes the apostrophe off again on import."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def write_csv(rows: Iterable[Sequence[object]], *, header: Sequence[str]) -> bytes:
    """Semicolons and a BOM, so that Excel in Finnish opens it in columns and with ä and ö intact. Cells that
    start with = + - @ are neutralised against CSV injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_cell(value) for value in header])
    for row in rows:
        writer.writerow(["" if value is None else neutralise_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(rows: Iterable[Sequence[object]], *, header: Sequence[str], title: str) -> bytes:
    """openpyxl would store a text starting with = as a formula: neutralise those cells as in CSV. Write-only
    mode streams the rows (several times faster, and memory does not grow with them)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index in range(1, len(header) + 1):  # column widths and panes come before the rows in write-only mode
        sheet.column_dimensions[get_column_letter(index)].width = 22
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=neutralise_cell(value))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(["" if value is None else neutralise_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(rows: Iterable[Sequence[object]], *, file_format: str, header: Sequence[str], title: str) -> bytes:
    """The rows under the header in `file_format` ("csv" or "xlsx"); `title` names the XLSX sheet."""
    if file_format == "xlsx":
        return write_xlsx(rows, header=header, title=title)
    if file_format == "csv":
        return write_csv(rows, header=header)
    raise ValueError(f"unknown spreadsheet format {file_format!r}")


def attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_response(
    rows: Iterable[Sequence[object]], *, file_format: str, header: Sequence[str], title: str, filename: str
) -> HttpResponse:
    """The rows as an attachment `<filename>.<file_format>` (404 for a format we do not write)."""
    if file_format not in CONTENT_TYPES:
        raise Http404
    content = write(rows, file_format=file_format, header=header, title=title)
    return attachment(content, content_type=CONTENT_TYPES[file_format], filename=f"{filename}.{file_format}")
