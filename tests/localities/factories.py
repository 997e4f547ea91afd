import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from localities.models import (
    AccessRequest,
    Coordinator,
    FeedbackMeeting,
    FollowUpAction,
    Locality,
    LocalityAgreement,
    Milestone,
    MilestoneTemplate,
    Municipality,
    Pilot,
    ProspectContact,
    Side,
)
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
    # This year's first day, or the day permanent use began if that was earlier (a pilot comes first).
    pilot_start_on = factory.LazyAttribute(
        lambda locality: min(
            filter(None, [timezone.localdate().replace(month=1, day=1), getattr(locality, "permanent_since", None)])
        )
    )

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


class PilotFactory(factory.django.DjangoModelFactory):
    """A pilot with the national template's milestones (as `services.pilot_create` makes them)."""

    class Meta:
        model = Pilot
        skip_postgeneration_save = True

    locality = factory.SubFactory(LocalityFactory)
    planned_start_on = factory.LazyAttribute(lambda o: o.locality.pilot_start_on or timezone.localdate())

    @factory.post_generation
    def milestones(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Milestone.objects.bulk_create(
                Milestone.from_template(step, pilot=self) for step in MilestoneTemplate.objects.filter(is_active=True)
            )


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    pilot = factory.SubFactory(PilotFactory, milestones=False)
    position = factory.Sequence(lambda n: 1000 + n)
    title_fi = factory.Faker("sentence", nb_words=4, locale="fi_FI")
    title_sv = factory.Faker("sentence", nb_words=4, locale="sv_SE")
    title_en = factory.Faker("sentence", nb_words=4)
    due_on = factory.LazyFunction(timezone.localdate)


class FeedbackMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackMeeting

    locality = factory.SubFactory(LocalityFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    attendance = factory.Faker("name", locale="fi_FI")
    summary = factory.Faker("paragraph", locale="fi_FI")


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    meeting = factory.SubFactory(FeedbackMeetingFactory)
    description = factory.Faker("sentence", locale="fi_FI")
    owner_name = factory.Faker("name", locale="fi_FI")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class ProspectContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProspectContact

    locality = factory.SubFactory(LocalityFactory, status=Locality.Status.PROSPECT, pilot_start_on=None)
    contacted_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    channel = ProspectContact.Channel.EMAIL
    summary = factory.Faker("paragraph", locale="fi_FI")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "sopimus.pdf", content: bytes = PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class LocalityAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalityAgreement

    locality = factory.SubFactory(LocalityFactory)
    title = factory.Sequence(lambda n: f"Kaikukortti-sopimus {n}")
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    valid_from = factory.LazyAttribute(lambda o: o.signed_on)
    document = factory.LazyFunction(pdf_file)


class AccessRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessRequest

    user = factory.SubFactory(UserFactory)
    locality = factory.SubFactory(LocalityFactory)
    side = Side.SOCIAL_HEALTH
    reason = factory.Faker("sentence", locale="fi_FI")
