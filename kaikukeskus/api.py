"""Shared pieces of the open data API (DESIGN §6) on Django REST Framework: read-only list views with no login,
JSON by default, CSV with `?format=csv`, CORS-open; the OpenAPI document and its docs page come from
drf-spectacular, generated from the same serializers that shape the responses.

An app adds an endpoint with a serializer (its field list, the one place) and an `OpenDataListView`."""

import csv
import io

from django.utils import translation
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import generics, serializers
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from kaikukeskus.spreadsheets import neutralise_cell


def _csv_value(value) -> object:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return neutralise_cell(value)


class CSVRenderer(BaseRenderer):
    """The rows of a list endpoint as CSV: one column per serializer field, in the serializer's order, with the
    field names as the header; a list (municipality codes) in one cell separated by spaces; formula-like text
    neutralised; `Content-Disposition` names the file after the view's `csv_filename`.

    Our own rather than djangorestframework-csv, whose renderer flattens lists into one column per item with
    dotted headers (`municipalities.0`, `municipalities.1`, …) and orders columns alphabetically: that would
    change the CSV columns DESIGN §6 promises. The header comes from the serializer, so an empty list still
    has it."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        view = renderer_context["view"]
        fields = list(view.get_serializer().fields)
        rows = data["results"] if isinstance(data, dict) else data
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow(fields)
        writer.writerows([_csv_value(row.get(field)) for field in fields] for row in rows)
        renderer_context["response"]["Content-Disposition"] = f'attachment; filename="{view.get_csv_filename()}.csv"'
        return output.getvalue().encode(self.charset)


class CountedList(BasePagination):
    """No pages, but the same `{"count", "results"}` envelope as the paginated endpoints (for short lists)."""

    def paginate_queryset(self, queryset, request, view=None):
        self.count = len(queryset)
        return list(queryset)

    def get_paginated_response(self, data):
        return Response({"count": self.count, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {"count": {"type": "integer"}, "results": schema},
        }


class Pages(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`, `?page=N` (and `?page_size=` up to the maximum)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response_schema(self, schema):
        # DRF writes the links as OpenAPI 3.0 (`nullable`), which 3.1 no longer knows: the last page's `next`
        # is null.
        link = {"type": ["string", "null"], "format": "uri", "description": "The next or previous page, or null."}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {"count": {"type": "integer"}, "next": link, "previous": link, "results": schema},
        }


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=(
        "csv: every row of the filtered list in one CSV file (not paged), one column per JSON field in the "
        "same order, the field names as the header; lists separated by spaces, formula-like cells prefixed "
        "with an apostrophe."
    ),
)


class OpenData:
    """A public view, readable from any web page (`Access-Control-Allow-Origin: *`). No view of the API
    authenticates (settings.REST_FRAMEWORK), so nothing depends on the session or cookies and every visitor gets
    the same answer."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class OpenDataListView(OpenData, generics.ListAPIView):
    """A public list: GET, HEAD and OPTIONS.

    JSON is paged by `pagination_class`; CSV is the whole filtered list, since a CSV consumer wants one file of
    the data set, not page 1 of it. Errors (404 for an unknown filter value, a page out of range) are JSON
    whatever the format, so that an error is never read as data."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    csv_filename = ""

    def get_csv_filename(self) -> str:
        return self.csv_filename

    def paginate_queryset(self, queryset):
        if self.request.accepted_renderer.format == CSVRenderer.format:
            return None
        return super().paginate_queryset(queryset)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class ErrorSerializer(serializers.Serializer):
    """What an error answers, in JSON whatever the format asked."""

    detail = serializers.CharField(read_only=True)


def open_data_schema(*, summary: str, description: str, serializer, parameters=(), not_found: str = ""):
    """`extend_schema` for an `OpenDataListView`: the JSON response is the serializer in the view's envelope
    (drf-spectacular adds it from the pagination class), CSV a text body; `not_found` tells when it answers 404."""
    errors = {(404, JSONRenderer.media_type): OpenApiResponse(ErrorSerializer, description=not_found)}
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[*parameters, FORMAT_PARAMETER],
        responses={
            (200, JSONRenderer.media_type): OpenApiResponse(serializer(many=True), description=description),
            (200, CSVRenderer.media_type): OpenApiResponse(OpenApiTypes.STR, description=description),
            **(errors if not_found else {}),
        },
    )


class SchemaView(OpenData, SpectacularAPIView):
    """The OpenAPI document: JSON by default (as it has always been at this path), YAML with `?format=yaml`."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer, OpenApiYamlRenderer2]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # In English whatever the visitor's language (field titles come from the models' translated names), so
        # the document is the same for everybody; drf-spectacular's `?lang=` still chooses another.
        with translation.override("en"):
            return super().get(request, *args, **kwargs)


class DocsView(SpectacularSwaggerView):
    """Swagger UI from drf-spectacular-sidecar's local copy, under our CSP (no inline script or style).

    drf-spectacular's own templates put an inline `<style>` (and, in the single view, an inline script) in the
    page; its `SpectacularSwaggerSplitView` serves the init script from the view itself, but renders the CSRF
    token into it, which sets a cookie on every visitor. Our template loads a static init script that reads
    the schema's address from the page, and a static stylesheet."""

    template_name = "kaikukeskus/api_docs.html"
    url_name = "api-schema"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # drf-spectacular opens the page to other windows for its OAuth pop-up, which we do not use: keep the
        # site's `Cross-Origin-Opener-Policy`.
        del response.headers["Cross-Origin-Opener-Policy"]
        return response
