import factory
from django.utils import timezone

from communications.models.pages import LANGUAGES, Page


class PageFactory(factory.django.DjangoModelFactory):
    """A published page with the same draft and published text, in Finnish only unless told."""

    class Meta:
        model = Page
        django_get_or_create = ("key",)

    key = Page.Key.ABOUT
    draft_title_fi = "Mikä Kaikukortti on?"
    draft_body_fi = "<p>Kaikukortti on maksuton kortti.</p>"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def publish(self, create, extracted, **kwargs):
        if self.published_at is not None:
            for part in ("title", "body"):
                for language in LANGUAGES:
                    setattr(self, f"{part}_{language}", getattr(self, f"draft_{part}_{language}"))
            if create:
                self.save()
