"""Shared pieces of the open data API (DESIGN §6) on Django REST Framework: read-only list views with no login,
JSON by default, CSV with `?format=csv`, CORS-open; the OpenAPI document and its docs page come from
drf-spectacular, generated from the same serializers that shape the responses.

An app adds an endpoint with a serializer (its field list, the one place), an `OpenDataListView` and, when it takes
filters, a `query_class` (its query parameters, the one place: documented in the schema and checked on every
request, so that whatever the schema forbids answers 400)."""

import io
import threading
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import FileResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import generics, serializers
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from kaikukeskus import open_data_files, public_cache
from kaikukeskus.open_data_files import write_csv
from kaikukeskus.spreadsheets import neutralise_cell


def _csv_value(value) -> object:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    if isinstance(value, dict):  # an object (a venue's accessibility): its keys and values in one cell
        return " ".join(f"{key}={'' if item is None else item}" for key, item in value.items())
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
        write_csv(output, fields=fields, rows=csv_row_values(fields, rows))
        renderer_context["response"]["Content-Disposition"] = f'attachment; filename="{view.get_csv_filename()}.csv"'
        return output.getvalue().encode(self.charset)


def csv_row_values(fields: list[str], rows: Iterable[dict]) -> Iterator[list]:
    """Each serialized row as the CSV's cells, in the order of `fields`."""
    return ([_csv_value(row.get(field)) for field in fields] for row in rows)


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


class QueryInteger(serializers.IntegerField):
    """A whole number in a query, read as `int()` reads it, which is how the paginator reads `page` and
    `page_size` itself (and how openapi-core reads an integer parameter). DRF's `IntegerField` also takes "5.0",
    which the paginator then refuses with a 404."""

    def to_internal_value(self, data):
        if len(str(data)) > self.MAX_STRING_LENGTH:
            self.fail("max_string_length")
        try:
            return int(data)
        except (TypeError, ValueError):
            self.fail("invalid")


class ListQuery(serializers.Serializer):
    """The query parameters of every list: its fields are the operation's parameters in the schema (drf-spectacular
    explodes a serializer given as parameters) and what `OpenDataListView` checks. Each parameter at most once and
    never empty: a client that sends `format=` or two `page_size` has a bug it should hear about."""

    format = serializers.ChoiceField(
        choices=["json", "csv"],
        required=False,
        help_text=(
            "csv: every row of the filtered list in one CSV file (not paged), one column per JSON field in the "
            "same order, the field names as the header; lists separated by spaces, formula-like cells prefixed "
            "with an apostrophe."
        ),
    )


class PagedQuery(ListQuery):
    """A list in pages (`Pages`)."""

    page = QueryInteger(required=False, min_value=1, help_text="A page number, from 1. Past the last page: 404.")
    page_size = QueryInteger(
        required=False, min_value=1, max_value=Pages.max_page_size, help_text="Rows per page; 100 unless given."
    )


def _messages(detail) -> list:
    """A parameter's errors as one list of messages (a repeatable one's come per position: `{0: [...]}`)."""
    if isinstance(detail, dict):
        return [message for item in detail.values() for message in _messages(item)]
    if isinstance(detail, list | tuple):
        return [message for item in detail for message in _messages(item)]
    return [detail]


def validated_query(query_class: type[serializers.Serializer], params) -> dict:
    """The query checked against `query_class`, or a `ValidationError` (400) naming each bad parameter.
    Parameters the class does not declare are ignored, as OpenAPI allows."""
    fields = query_class().fields
    names = list(fields)
    # A `ListField` parameter is repeatable (`?accessibility=a&accessibility=b`): all its values, as a list.
    repeatable = {name for name, field in fields.items() if isinstance(field, serializers.ListField)}
    # One value per name, and a plain dict: DRF reads a QueryDict as a form, where an empty optional value counts as
    # not sent.
    query = query_class(
        data={name: params.getlist(name) if name in repeatable else params[name] for name in names if name in params}
    )
    errors = {} if query.is_valid() else {name: _messages(detail) for name, detail in query.errors.items()}
    for name in names:
        if name not in repeatable and len(params.getlist(name)) > 1:
            errors[name] = [_("Give this parameter once.")]
    if errors:
        raise ValidationError({"detail": _("The query is not valid."), "parameters": errors})
    return query.validated_data


class OpenDataNegotiation(DefaultContentNegotiation):
    """`?format=` chooses the renderer (the query was checked before), else the `Accept` header, else JSON: an
    `Accept` that no renderer matches gets JSON rather than a 406 the schema does not document. The answer to
    OPTIONS describes the endpoint and is JSON whatever the format (the CSV renderer has no rows to write)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        format = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if request.method == "OPTIONS":
            chosen = renderers[0]
        elif format:
            chosen = self.filter_renderers(renderers, format)[0]
        else:
            try:
                return super().select_renderer(request, renderers, format_suffix)
            except NotAcceptable:
                chosen = renderers[0]
        return chosen, chosen.media_type


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
    the data set, not page 1 of it. The query is checked against `query_class` first (a `PagedQuery` with `Pages`):
    400 for what the schema forbids. Errors (400; 404 for an unknown filter value, a page out of range) are JSON
    whatever the format, so that an error is never read as data. OPTIONS takes any query: a browser's preflight
    must not fail before the request it announces can be told what is wrong.

    With `csv_file_per_version`, the unfiltered CSV is written to a file once per public data version and day,
    then served from it (`whole_csv_response`); a filtered one is rendered."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    content_negotiation_class = OpenDataNegotiation
    query_class: type[serializers.Serializer] = ListQuery
    csv_filename = ""
    # The unfiltered CSV depends on the public data and the day alone (not on the request's host, say): it is
    # written to a file once per version and served from it (`whole_csv_response`).
    csv_file_per_version = False

    def initial(self, request, *args, **kwargs):
        self.query = {} if request.method == "OPTIONS" else validated_query(self.query_class, request.query_params)
        super().initial(request, *args, **kwargs)

    def get_csv_filename(self) -> str:
        return self.csv_filename

    def paginate_queryset(self, queryset):
        if self.request.accepted_renderer.format == CSVRenderer.format:
            return None
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        if self.is_whole_csv():
            return self.whole_csv_response()
        return super().list(request, *args, **kwargs)

    def is_whole_csv(self) -> bool:
        """CSV of the unfiltered list: nothing in the query but what the CSV ignores (the format, pages)."""
        return (
            self.csv_file_per_version
            and self.request.accepted_renderer.format == CSVRenderer.format
            and not self.kwargs
            and set(self.query) <= set(PagedQuery().fields)
        )

    def whole_csv_response(self) -> FileResponse:
        """The unfiltered CSV from its file of the current public data version (`open_data_files`), written by the
        first request that asks for it: the same bytes the renderer makes, with rows read from the database in
        chunks so that memory stays flat however many there are."""
        stem = self.get_csv_filename()
        version = public_cache.data_version()
        folder = open_data_files.folder(version)
        name = open_data_files.file_name(folder=folder, stem=stem)
        try:
            file = open_data_files.open_file(name=name, write=self._write_whole_csv)
        except FileNotFoundError:  # removed between writing and opening by a request of a newer version
            file = open_data_files.open_file(name=name, write=self._write_whole_csv)
        response = FileResponse(
            file, as_attachment=True, filename=f"{stem}.csv", content_type=f"{CSVRenderer.media_type}; charset=utf-8"
        )
        response["ETag"] = f'"{name.removeprefix(open_data_files.ROOT + "/").replace("/", "-")}"'
        response["Last-Modified"] = http_date(version.last_modified)
        response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_MAX_AGE}"
        conditional = get_conditional_response(
            self.request._request, etag=response["ETag"], last_modified=version.last_modified, response=response
        )
        if conditional is not response:
            file.close()
        return conditional

    def _write_whole_csv(self, out) -> None:
        serializer = self.get_serializer()
        fields = list(serializer.fields)
        queryset = self.filter_queryset(self.get_queryset())
        rows = (serializer.to_representation(row) for row in queryset.iterator(chunk_size=2000))
        write_csv(out, fields=fields, rows=csv_row_values(fields, rows))

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class ErrorSerializer(serializers.Serializer):
    """What an error answers, in JSON whatever the format asked."""

    detail = serializers.CharField(read_only=True)


class QueryErrorSerializer(ErrorSerializer):
    """A query the schema forbids: what is wrong with each parameter."""

    parameters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        read_only=True,
        help_text="Each bad parameter with what is wrong with it.",
    )


def open_data_schema(*, summary: str, description: str, serializer, not_found: str = ""):
    """`extend_schema` for an `OpenDataListView`: the parameters are the view's `query_class`; the JSON response is
    the serializer in the view's envelope (drf-spectacular adds it from the pagination class), CSV a text body; a
    query the parameters forbid answers 400; `not_found` tells when it answers 404."""

    def decorate(view: type[OpenDataListView]) -> type[OpenDataListView]:
        json = JSONRenderer.media_type
        responses = {
            (200, json): OpenApiResponse(serializer(many=True), description=description),
            (200, CSVRenderer.media_type): OpenApiResponse(OpenApiTypes.STR, description=description),
            (400, json): OpenApiResponse(QueryErrorSerializer, description="A parameter the schema does not allow."),
        }
        if not_found:
            responses[404, json] = OpenApiResponse(ErrorSerializer, description=not_found)
        schema = extend_schema(
            summary=summary, description=description, parameters=[view.query_class], responses=responses
        )
        return schema(view)

    return decorate


_SCHEMA_LOCK = threading.Lock()


class SchemaView(OpenData, SpectacularAPIView):
    """The OpenAPI document: JSON by default (as it has always been at this path), YAML with `?format=yaml`."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer, OpenApiYamlRenderer2]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # In English whatever the visitor's language (field titles come from the models' translated names), so
        # the document is the same for everybody; drf-spectacular's `?lang=` still chooses another. One at a time:
        # drf-spectacular imports its extensions' targets on first use without a lock, and two first requests in
        # two threads made the second fail (an extension whose target the first had just set to None: a 500).
        with _SCHEMA_LOCK, translation.override("en"):
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
