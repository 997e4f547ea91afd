"""Open data: the localities the public sees on /localities/ (DESIGN §6). No login; JSON, or CSV with
`?format=csv`. The serializer is the endpoint's one field list: response, CSV columns and OpenAPI schema."""

from rest_framework import serializers

from kaikukeskus.api import CountedList, OpenDataListView, open_data_schema
from localities import selectors
from localities.models import Locality, Municipality


class LocalitySerializer(serializers.Serializer):
    """A public locality; the fields in this order are the JSON object and the CSV columns."""

    slug = serializers.SlugField(help_text="Stable identifier, also in /localities/<slug>/.")
    name_fi = serializers.CharField()
    name_sv = serializers.CharField(help_text="Empty when the locality has no Swedish name.")
    name_en = serializers.CharField(help_text="Empty when the locality has no English name.")
    kind = serializers.ChoiceField(choices=Locality.Kind.choices)
    status = serializers.ChoiceField(choices=[(status.value, status.label) for status in Locality.PUBLIC_STATUSES])
    # The queryset only tells drf-spectacular what a code is; nothing is ever written through this serializer.
    municipalities = serializers.SlugRelatedField(
        queryset=Municipality.objects.all(),
        slug_field="code",
        many=True,
        help_text="Statistics Finland municipality codes.",
    )
    pilot_start_on = serializers.DateField(allow_null=True)
    pilot_end_on = serializers.DateField(allow_null=True)
    permanent_since = serializers.DateField(allow_null=True)
    website = serializers.CharField(help_text="The locality's own Kaikukortti page, or empty.")


@open_data_schema(
    summary="Localities where Kaikukortti is in use (piloting or permanent)",
    description="Every public locality, ordered by slug; never prospects or localities not running the card.",
    serializer=LocalitySerializer,
)
class LocalityList(OpenDataListView):
    serializer_class = LocalitySerializer
    pagination_class = CountedList
    csv_filename = "kaikukortti-localities"
    csv_file_per_version = True

    def get_queryset(self):
        return selectors.public_localities_with_codes()
