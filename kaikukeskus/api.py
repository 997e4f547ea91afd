"""Shared pieces of the open data API: JSON by default, CSV with `?format=csv`, no login, CORS-open reads."""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, JsonResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value) -> object:
    """Spreadsheet programs run a cell that starts with = + - @ as a formula (CSV injection): prefix such text
    with an apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(response, *, fields: Sequence[str], rows: Iterable[dict]) -> None:
    writer = csv.writer(response)
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_csv_value(neutralise_cell(row.get(field))) for field in fields])


def _csv_value(value) -> object:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return value


def api_response(request, *, rows: list[dict], fields: Sequence[str], filename: str) -> HttpResponse:
    """`rows` as JSON (`{"count": n, "results": [...]}`) or as CSV when `?format=csv`."""
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        write_csv(response, fields=fields, rows=rows)
    else:
        response = JsonResponse({"count": len(rows), "results": rows}, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
