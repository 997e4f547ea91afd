"""Open data: the venues that take Kaikukortti (DESIGN §6), public fields only, never contact persons. No login;
JSON in pages, or the whole filtered list as CSV with `?format=csv`. The serializer is the endpoint's one field
list: response, CSV columns and OpenAPI schema."""

from rest_framework import serializers

from kaikukeskus.api import OpenDataListView, PagedQuery, Pages, open_data_schema
from localities.models import Locality
from localities.permissions import public_locality_or_404
from networks import selectors
from networks.models import ACCESSIBILITY_KEYS, ACCESSIBILITY_QUESTIONS, Answer, Sector, VenueCategory


class AccessibilitySerializer(serializers.Serializer):
    """A venue's answers (DESIGN §6): one key per question, each "yes", "no" or "unknown" ("unknown" also when
    the venue has told nothing), and when they were last checked."""

    def get_fields(self):
        fields = {
            key: serializers.ChoiceField(choices=Answer.values, help_text=f"{label}: yes, no or unknown.")
            for key, label in ACCESSIBILITY_QUESTIONS.items()
        }
        fields["checked_on"] = serializers.DateField(
            allow_null=True,
            help_text="When the answers were last checked, or null. Over 12 months: possibly out of date.",
        )
        return fields

    def get_attribute(self, instance):
        return instance.access  # a venue without answers: every answer unknown, checked_on null


class VenueSerializer(serializers.Serializer):
    """A public venue; the fields in this order are the JSON object and the CSV columns."""

    id = serializers.IntegerField()
    locality = serializers.CharField(
        source="locality.slug", help_text="The locality's slug, as in /api/v1/localities/."
    )
    name = serializers.CharField()
    parent_organisation = serializers.CharField(help_text="For example the city or the association, or empty.")
    municipality = serializers.CharField(source="municipality.code", help_text="Statistics Finland municipality code.")
    municipality_name_fi = serializers.CharField(source="municipality.name_fi")
    municipality_name_sv = serializers.CharField(source="municipality.name_sv")
    address = serializers.CharField(help_text="Street address, or empty.")
    website = serializers.CharField(help_text="The venue's web page, or empty.")
    sector = serializers.ChoiceField(choices=Sector.choices)
    category = serializers.ChoiceField(choices=VenueCategory.choices, allow_blank=True, help_text="Or empty.")
    offer_fi = serializers.CharField(help_text="What the card covers, in Finnish.")
    offer_sv = serializers.CharField(help_text="What the card covers, in Swedish.")
    offer_en = serializers.CharField(help_text="What the card covers, in English.")
    joined_on = serializers.DateField(help_text="When the venue joined the locality's network.")
    accessibility = AccessibilitySerializer(source="*", help_text="The venue's accessibility answers.")


class VenueQuery(PagedQuery):
    locality = serializers.SlugField(
        required=False, help_text="Only this locality's venues (slug). Unknown or not public: 404."
    )
    accessibility = serializers.ListField(
        child=serializers.ChoiceField(choices=ACCESSIBILITY_KEYS),
        required=False,
        max_length=len(ACCESSIBILITY_KEYS),
        help_text=(
            "Repeatable: only venues that answered yes to each question given (a no or an unknown is left out)."
        ),
    )


@open_data_schema(
    summary="Venues that take Kaikukortti (public listing; never contact persons)",
    description="Active, publicly listed venues of public localities, ordered by name.",
    serializer=VenueSerializer,
    not_found="No public locality with that slug, or no such page.",
)
class VenueList(OpenDataListView):
    serializer_class = VenueSerializer
    pagination_class = Pages
    query_class = VenueQuery
    csv_file_per_version = True

    def get_queryset(self):
        return selectors.public_venues(
            locality=self.locality, accessibility=self.query.get("accessibility") or ()
        ).order_by("name", "pk")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        slug = self.query.get("locality")
        self.locality: Locality | None = public_locality_or_404(slug=slug) if slug else None

    def get_csv_filename(self) -> str:
        return f"kaikukortti-venues-{self.locality.slug}" if self.locality else "kaikukortti-venues"
