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


def list_response_schema(schema_name: str, description: str) -> dict:
    """The OpenAPI response of `api_response`: `{"count", "results"}` as JSON, or CSV."""
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema_name}"}},
                    },
                    "required": ["count", "results"],
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }


FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["json", "csv"]},
    "description": "csv: the same rows as CSV (lists separated by spaces, formula-like cells neutralised).",
}


def openapi_schema() -> dict:
    """The open data API's OpenAPI 3.1 document, gathered from each installed app's `api.OPENAPI_PATHS` and
    `api.OPENAPI_SCHEMAS`, so an app adds its endpoints without touching this module."""
    import importlib
    import importlib.util

    from django.apps import apps

    paths: dict = {}
    schemas: dict = {}
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.api"
        if app_config.name == "kaikukeskus" or importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        paths.update(getattr(module, "OPENAPI_PATHS", {}))
        schemas.update(getattr(module, "OPENAPI_SCHEMAS", {}))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kaikukortti open data",
            "version": "1",
            "description": "Public data of Kaikukortti: no login, JSON by default, CSV with ?format=csv.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": schemas, "parameters": {"format": FORMAT_PARAMETER}},
    }


def openapi_view(request) -> JsonResponse:
    response = JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
