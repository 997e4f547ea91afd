"""The venues endpoint's part of the OpenAPI schema (`/api/v1/schema/` gathers each app's `OPENAPI_PATHS`).
The view itself is `networks.views.venues_api`; its fields are `selectors.PUBLIC_API_FIELDS`."""

from kaikukeskus.api import list_response_schema
from networks.models import Sector, VenueCategory
from networks.selectors import PUBLIC_API_FIELDS

_TEXT = {"type": "string"}
VENUE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "locality": {"type": "string", "description": "Slug of the locality, as in /api/v1/localities/."},
        "name": _TEXT,
        "parent_organisation": _TEXT,
        "municipality": {"type": "string", "pattern": "^[0-9]{3}$", "description": "Municipality code."},
        "municipality_name_fi": _TEXT,
        "municipality_name_sv": _TEXT,
        "address": _TEXT,
        "website": _TEXT,
        "sector": {"type": "string", "enum": list(Sector.values)},
        "category": {"type": "string", "enum": list(VenueCategory.values)},
        "offer_fi": {"type": "string", "description": "What the card covers, in Finnish."},
        "offer_sv": {"type": "string", "description": "What the card covers, in Swedish."},
        "offer_en": {"type": "string", "description": "What the card covers, in English."},
        "joined_on": {"type": "string", "format": "date"},
    },
    "required": list(PUBLIC_API_FIELDS),
}
OPENAPI_PATHS = {
    "/api/v1/venues/": {
        "get": {
            "summary": "Venues that take Kaikukortti (public listing; never contact persons)",
            "parameters": [
                {
                    "name": "locality",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "Only this locality's venues (slug). Unknown or non-public: 404.",
                },
                {"$ref": "#/components/parameters/format"},
            ],
            "responses": {
                "200": list_response_schema("Venue", "Active, publicly listed venues."),
                "404": {"description": "No public locality with that slug."},
            },
        }
    }
}
OPENAPI_SCHEMAS = {"Venue": VENUE_SCHEMA}
