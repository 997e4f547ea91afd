import datetime

import factory
from django.utils import timezone

from communications.models import Audience, NewsItem, NewsTag


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
