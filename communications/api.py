"""Open data: the public news (DESIGN §6), paged like the venues, newest first. Links are built from the request,
so they work wherever the portal answers."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communications.models import NewsItem
from kaikukeskus.api import OpenDataListView, PagedQuery, Pages, open_data_schema


class NewsItemSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="Stable identifier, also in /news/<slug>/.")
    title_fi = serializers.CharField()
    title_sv = serializers.CharField(help_text="Empty when there is no Swedish title.")
    title_en = serializers.CharField(help_text="Empty when there is no English title.")
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=["fi", "sv", "en"]),
        help_text="The languages the item is written in (title and text); the page shows Finnish for the others.",
    )
    published_at = serializers.DateTimeField(source="publish_at")
    url = serializers.SerializerMethodField(help_text="The item's page (Finnish; /sv/ and /en/ for the others).")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, item: NewsItem) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return self.context["request"].build_absolute_uri(
                reverse("communications:news-detail", kwargs={"slug": item.slug})
            )


@open_data_schema(
    summary="Public news and announcements",
    description="Published news for everybody, newest first. Scheduled, expired and coordinators' items are not "
    "listed.",
    serializer=NewsItemSerializer,
    not_found="No such page.",
)
class NewsList(OpenDataListView):
    serializer_class = NewsItemSerializer
    pagination_class = Pages
    query_class = PagedQuery
    csv_filename = "kaikukortti-news"

    def get_queryset(self):
        return NewsItem.objects.public().order_by("-publish_at", "-pk")
