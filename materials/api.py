"""Open data: the public materials with their current version, languages and download links (DESIGN §6). No login;
JSON, or CSV with `?format=csv`. The serializer is the endpoint's one field list: response, CSV columns and
OpenAPI schema. Links are built from the request, so they work wherever the portal answers (another port, host or
proxy), whatever `SITE_URL` says."""

from django.conf import settings
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kaikukeskus.api import CountedList, OpenDataListView, open_data_schema
from materials import selectors
from materials.models import Audience, Kind, Language


class MaterialSerializer(serializers.Serializer):
    """A public material and its current version; the fields in this order are the JSON object and the CSV
    columns."""

    slug = serializers.SlugField(help_text="Stable identifier, also in /materials/<slug>/.")
    title_fi = serializers.CharField()
    title_sv = serializers.CharField(help_text="Empty when there is no Swedish title.")
    title_en = serializers.CharField(help_text="Empty when there is no English title.")
    kind = serializers.ChoiceField(choices=Kind.choices)
    audience = serializers.ChoiceField(choices=Audience.choices)
    version = serializers.SerializerMethodField(help_text="The current version's label.")
    published_on = serializers.SerializerMethodField(help_text="When the current version was published.")
    changes_fi = serializers.SerializerMethodField(help_text="What the current version changed, in Finnish.")
    languages = serializers.SerializerMethodField(help_text="Languages of the current version's files.")
    download_urls = serializers.SerializerMethodField(
        help_text="The current version's files, one URL each (language and format in the file name)."
    )
    url = serializers.SerializerMethodField(help_text="The material's page.")

    @staticmethod
    def _current(material):
        return material.current_versions[0]

    def _absolute(self, path: str) -> str:
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(OpenApiTypes.STR)
    def get_version(self, material) -> str:
        return self._current(material).label

    @extend_schema_field(OpenApiTypes.DATE)
    def get_published_on(self, material) -> str:
        return self._current(material).published_on.isoformat()

    @extend_schema_field(OpenApiTypes.STR)
    def get_changes_fi(self, material) -> str:
        return self._current(material).changes_fi

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Language.choices)))
    def get_languages(self, material) -> list[str]:
        return sorted({file.language for file in self._current(material).files.all()})

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_download_urls(self, material) -> list[str]:
        from materials.views import download_url

        with translation.override(settings.LANGUAGE_CODE):
            return [self._absolute(download_url(file)) for file in self._current(material).files.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, material) -> str:
        from django.urls import reverse

        with translation.override(settings.LANGUAGE_CODE):
            return self._absolute(reverse("materials:detail", kwargs={"slug": material.slug}))


@open_data_schema(
    summary="Public materials: the national guideline and introductory materials",
    description="Every public material that has a current version, by kind and title, with its files' links.",
    serializer=MaterialSerializer,
)
class MaterialList(OpenDataListView):
    serializer_class = MaterialSerializer
    pagination_class = CountedList
    csv_filename = "kaikukortti-materials"
    # Not `csv_file_per_version`: the links are built from the request's host.

    def get_queryset(self):
        # The API is anonymous (settings.REST_FRAMEWORK): the visibility rule gives the public materials only.
        return selectors.library(user=None)
