import datetime

import factory
from django.utils import timezone

from communications.models import Audience, NewsItem, NewsTag
from communications.models.pages import LANGUAGES, Page


class NewsTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsTag
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"aihe-{n}")
    name_fi = factory.Sequence(lambda n: f"Aihe {n}")
    name_sv = factory.Sequence(lambda n: f"Ämne {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    slug = factory.Sequence(lambda n: f"uutinen-{n}")
    title_fi = factory.Sequence(lambda n: f"Uutinen {n}")
    body_fi = "<p>Kaikukortti laajenee uusille paikkakunnille.</p>"
    audience = Audience.PUBLIC
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        translated = factory.Trait(
            title_sv=factory.Sequence(lambda n: f"Nyhet {n}"),
            body_sv="<p>Kaikukortet utvidgas till nya orter.</p>",
            title_en=factory.Sequence(lambda n: f"News {n}"),
            body_en="<p>Kaikukortti reaches new localities.</p>",
        )
        scheduled = factory.Trait(publish_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1)))
        expired = factory.Trait(
            publish_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10)),
            expire_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )


class PageFactory(factory.django.DjangoModelFactory):
    """A published page with the same draft and published text, in Finnish only unless told."""

    class Meta:
        model = Page
        django_get_or_create = ("key",)
        skip_postgeneration_save = True  # `publish` saves when it changes the row

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
