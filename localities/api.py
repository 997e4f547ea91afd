"""Open data: the localities the public sees on /localities/ (DESIGN §6). No login; JSON, or CSV with
`?format=csv`."""

from django.views.decorators.http import require_GET

from kaikukeskus.api import api_response, list_response_schema
from localities import selectors

LOCALITY_FIELDS = [
    "slug",
    "name_fi",
    "name_sv",
    "name_en",
    "kind",
    "status",
    "municipalities",
    "pilot_start_on",
    "pilot_end_on",
    "permanent_since",
    "website",
]


@require_GET
def locality_list(request):
    return api_response(
        request, rows=selectors.public_locality_api_rows(), fields=LOCALITY_FIELDS, filename="kaikukortti-localities"
    )


# The endpoint's part of the OpenAPI schema (`/api/v1/schema/` gathers each app's `OPENAPI_PATHS`).
_DATE = {"type": ["string", "null"], "format": "date"}
LOCALITY_SCHEMA = {
    "type": "object",
    "properties": {
        "slug": {"type": "string", "description": "Stable identifier, also in /localities/<slug>/."},
        "name_fi": {"type": "string"},
        "name_sv": {"type": "string"},
        "name_en": {"type": "string"},
        "kind": {"type": "string", "enum": ["municipality", "group", "county"]},
        "status": {"type": "string", "enum": ["piloting", "permanent"]},
        "municipalities": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[0-9]{3}$"},
            "description": "Statistics Finland municipality codes.",
        },
        "pilot_start_on": _DATE,
        "pilot_end_on": _DATE,
        "permanent_since": _DATE,
        "website": {"type": "string", "description": "The locality's own Kaikukortti page, or empty."},
    },
    "required": LOCALITY_FIELDS,
}
OPENAPI_PATHS = {
    "/api/v1/localities/": {
        "get": {
            "summary": "Localities where Kaikukortti is in use (piloting or permanent)",
            "parameters": [{"$ref": "#/components/parameters/format"}],
            "responses": {"200": list_response_schema("Locality", "Every public locality.")},
        }
    }
}
OPENAPI_SCHEMAS = {"Locality": LOCALITY_SCHEMA}
