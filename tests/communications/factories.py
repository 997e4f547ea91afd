import datetime

import factory
from django.utils import timezone

from communications.models import Audience, NewsItem, Newsletter, NewsTag, Subscriber
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


class NewsletterFactory(factory.django.DjangoModelFactory):
    """A draft issue in Finnish (`translated=True`: in Swedish and English too)."""

    class Meta:
        model = Newsletter

    title_fi = factory.Sequence(lambda n: f"Uutiskirje {n}")
    intro_fi = "<p>Hyvää syksyä! Tässä <strong>uutiset</strong>.</p>"

    class Params:
        translated = factory.Trait(
            title_sv=factory.Sequence(lambda n: f"Nyhetsbrev {n}"),
            intro_sv="<p>God höst! Här är nyheterna.</p>",
            title_en=factory.Sequence(lambda n: f"Newsletter {n}"),
            intro_en="<p>Happy autumn! Here is the news.</p>",
        )
        sent = factory.Trait(sent_at=factory.LazyFunction(timezone.now), recipients_count=0)


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber."""

    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"tilaaja{n}@example.fi")
    language = "fi"
    confirmed_at = factory.LazyFunction(timezone.now)
