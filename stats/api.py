"""Open data: the national statistics (DESIGN §6). No login; JSON, or CSV with `?format=csv`. Published years
only, and per locality only what the aggregation wrote from approved reports (`LocalityYear`): a coordinator's
draft or a report under review never appears. The serializers are the endpoints' one field list: response, CSV
columns and OpenAPI schema; the figures' names come from `stats.models.FIGURES`."""

import copy

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from kaikukeskus.api import CountedList, OpenDataListView, PagedQuery, Pages, QueryInteger, open_data_schema
from stats import selectors
from stats.models import FIGURES, NationalYear


def _figure(help_text: str = "") -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, min_value=0, help_text=help_text or "Null when not known.")


def _figures_serializer(name: str, doc: str, before: dict, after: dict) -> type[serializers.Serializer]:
    """A serializer whose fields are `before`, the ten figures and `uses_total`, then `after`, in this order (the
    JSON object and the CSV columns)."""
    fields = {
        **before,
        **{figure: _figure() for figure in FIGURES},
        "uses_total": _figure("The eight use figures added up. Null when not known."),
        **after,
    }
    # DRF orders declared fields by their creation; `before` and `after` were made before the figures, so each
    # field is made again here, in the order above (a field's deepcopy is a new instance with its arguments).
    ordered = {field_name: copy.deepcopy(field) for field_name, field in fields.items()}
    return type(name, (serializers.Serializer,), {"__doc__": doc, "__module__": __name__, **ordered})


NationalYearSerializer = _figures_serializer(
    "NationalYearSerializer",
    "A published year's national figures.",
    before={
        "year": serializers.IntegerField(),
        "source": serializers.ChoiceField(
            choices=NationalYear.Source.choices,
            help_text="aggregated: summed from the localities' approved reports; published: the history as "
            "Kaikukeskus published it (2015-2023), whose unknown figures are null.",
        ),
    },
    after={
        "municipalities": _figure("Municipalities where the card was in use."),
        "localities": _figure("Localities that reported."),
        "issuers": _figure("Issuers at year end."),
        "venues": _figure("Venues at year end."),
    },
)

LocalityYearSerializer = _figures_serializer(
    "LocalityYearSerializer",
    "One locality's figures for a published year, from its approved reports.",
    before={
        "year": serializers.IntegerField(source="national_year.year"),
        "locality": serializers.SlugField(source="locality.slug", help_text="The locality's slug."),
        "locality_name_fi": serializers.CharField(source="locality.name_fi"),
        "locality_name_sv": serializers.CharField(source="locality.name_sv", help_text="Or empty."),
        "locality_name_en": serializers.CharField(source="locality.name_en", help_text="Or empty."),
    },
    after={
        "municipalities": _figure("Municipalities where the card was in use, as the locality reported."),
        "issuers": _figure("Issuers at year end."),
        "venues": _figure("Venues at year end."),
    },
)


class LocalityYearQuery(PagedQuery):
    year = QueryInteger(
        required=False,
        min_value=1,
        max_value=9999,
        help_text="Only this year's localities. Not a published year: 404. A year of the published history: no rows.",
    )


@open_data_schema(
    summary="National Kaikukortti statistics by year",
    description="Every published year, oldest first: cards, uses by age group and sector, and the network.",
    serializer=NationalYearSerializer,
)
class NationalYearList(OpenDataListView):
    serializer_class = NationalYearSerializer
    pagination_class = CountedList
    csv_filename = "kaikukortti-statistics-national"
    csv_file_per_version = True

    def get_queryset(self):
        return selectors.published_years()


@open_data_schema(
    summary="Kaikukortti statistics by locality",
    description="Each locality's approved figures of the published years aggregated from reports, by year and "
    "locality. The published history 2015-2023 has national figures only.",
    serializer=LocalityYearSerializer,
    not_found="Not a published year, or no such page.",
)
class LocalityYearList(OpenDataListView):
    serializer_class = LocalityYearSerializer
    pagination_class = Pages
    query_class = LocalityYearQuery
    csv_file_per_version = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.year: int | None = self.query.get("year")
        if self.year is not None and not selectors.published_years().filter(year=self.year).exists():
            raise NotFound(_("This year's statistics are not published."))

    def get_queryset(self):
        return selectors.published_locality_years(year=self.year)

    def get_csv_filename(self) -> str:
        suffix = f"-{self.year}" if self.year else ""
        return f"kaikukortti-statistics-localities{suffix}"
