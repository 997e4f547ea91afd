"""The networks app's sections of the public locality page (registered in `NetworksConfig.ready()`): where the
card works (the locality's public venues, a page at a time) and where to get it (the locality's issuers)."""

from django.core.paginator import Paginator
from django.http import HttpRequest

from localities.models import Locality
from localities.sections import Section
from networks import selectors
from networks.forms import AccessibilityFilterForm

VENUES_PER_PAGE = 50
ISSUERS_PER_PAGE = 50
STYLESHEETS = ("networks/networks.css",)
QUERY_PARAMS = ("page", "issuers", "accessibility")  # the pages of venues and of issuers, the venues' filter


def locality_sections(request: HttpRequest, locality: Locality) -> list[Section]:
    accessibility = AccessibilityFilterForm(
        request.GET if "accessibility" in request.GET else None, auto_id="venue-filter-%s"
    )
    venues = Paginator(
        selectors.public_venues_of_locality(locality=locality, accessibility=accessibility.keys()), VENUES_PER_PAGE
    ).get_page(request.GET.get("page"))
    issuers = Paginator(selectors.public_issuers(locality=locality), ISSUERS_PER_PAGE).get_page(
        request.GET.get("issuers")
    )
    return [
        Section(
            template="networks/public_locality_issuers.html",
            context={"locality": locality, "page": issuers},
            stylesheets=STYLESHEETS,
        ),
        Section(
            template="networks/public_locality_venues.html",
            context={
                "locality": locality,
                "page": venues,
                "groups": selectors.by_sector(venues.object_list),
                "filter_form": accessibility,
                "filtered": bool(accessibility.keys()),
                "query": _query_without_page(request),
            },
            stylesheets=STYLESHEETS,
        ),
    ]


def _query_without_page(request: HttpRequest) -> str:
    """The query the venue pages' links keep (the filter), without the page number."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
