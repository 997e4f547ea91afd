import factory
from django.utils import timezone

from localities.models import Coordinator, Locality, Municipality, Side
from tests.kaikukeskus.factories import UserFactory


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        skip_postgeneration_save = True

    name_fi = factory.Sequence(lambda n: f"Paikkakunta {n}")
    name_sv = factory.Sequence(lambda n: f"Ort {n}")
    name_en = factory.Sequence(lambda n: f"Locality {n}")
    slug = factory.Sequence(lambda n: f"locality-{n}")
    kind = Locality.Kind.MUNICIPALITY
    status = Locality.Status.PILOTING
    pilot_start_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        """Pass codes or Municipality rows: LocalityFactory(municipalities=["091"])."""
        if create and extracted:
            self.municipalities.set(
                [m if isinstance(m, Municipality) else Municipality.objects.get(code=m) for m in extracted]
            )


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator

    user = factory.SubFactory(UserFactory)
    locality = factory.SubFactory(LocalityFactory)
    side = Side.CULTURE
