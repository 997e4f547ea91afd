"""Open data: the localities the public sees on /localities/ (DESIGN §6). No login; JSON, or CSV with
`?format=csv`."""

from django.views.decorators.http import require_GET

from kaikukeskus.api import api_response
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
