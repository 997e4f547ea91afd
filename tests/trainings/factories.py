import datetime
import time

import factory
from django.utils import timezone

from kaikukeskus.forms import started_token
from trainings.models import Registration, Training


def in_days(days: float, *, hour: int = 9) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class TrainingFactory(factory.django.DjangoModelFactory):
    """A published on-site training in ten days, registration open now, 20 places."""

    class Meta:
        model = Training

    title_fi = factory.Sequence(lambda n: f"Koulutus {n}")
    title_sv = factory.Sequence(lambda n: f"Utbildning {n}")
    title_en = factory.Sequence(lambda n: f"Training {n}")
    description_fi = "Kuvaus"
    kind = Training.Kind.COORDINATOR_TRAINING
    audience = Training.Audience.COORDINATORS
    format = Training.Format.ON_SITE
    place = "Kaikukeskus, Helsinki"
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    capacity = 20
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    registration_closes_at = factory.LazyAttribute(lambda o: o.starts_at - datetime.timedelta(days=1))
    status = Training.Status.PUBLISHED

    class Params:
        online = factory.Trait(
            format=Training.Format.ONLINE, place="", online_link="https://meet.example.fi/kaikukortti-secret"
        )
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: in_days(-30)),
            registration_opens_at=factory.LazyFunction(lambda: in_days(-60)),
        )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    training = factory.SubFactory(TrainingFactory)
    name = factory.Faker("name", locale="fi_FI")
    email = factory.Sequence(lambda n: f"osallistuja{n}@example.fi")
    organisation = "Kaupunginteatteri"
    status = Registration.Status.CONFIRMED


def visitor_form_data(locality, *, email="maija@example.fi", shown_ago=60.0, **extra) -> dict:
    """What a visitor's registration form posts, shown `shown_ago` seconds before."""
    return {
        "name": "Maija Meikäläinen",
        "email": email,
        "organisation": "Kirjasto",
        "locality": locality.pk,
        "accessibility_needs": "",
        "dietary_needs": "",
        "submission": f"form-{email}",
        "started": started_token(at=time.time() - shown_ago),
        "website": "",
        **extra,
    }
