import datetime

import factory
from django.utils import timezone

from cooperation.models import ActionItem, GroupMeeting, MeetingAttendee, MeetingDocument, Membership, WorkingGroup
from tests.localities.factories import pdf_file


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name_fi = factory.Sequence(lambda n: f"Työryhmä {n}")
    name_sv = factory.Sequence(lambda n: f"Arbetsgrupp {n}")
    name_en = factory.Sequence(lambda n: f"Working group {n}")
    scope = WorkingGroup.Scope.DOMESTIC
    host = "Opetus- ja kulttuuriministeriö"
    kaikukeskus_role = WorkingGroup.Role.MEMBER
    active_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=800))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(WorkingGroupFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


class ExternalMembershipFactory(MembershipFactory):
    name = factory.Faker("name", locale="fi_FI")
    organisation = "Kulttuuria kaikille"
    email = factory.Sequence(lambda n: f"external{n}@example.org")


class GroupMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMeeting

    group = factory.SubFactory(WorkingGroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    state = GroupMeeting.State.HELD
    agenda = "1. Avaus\n2. Ajankohtaiset"


class MeetingAttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendee

    meeting = factory.SubFactory(GroupMeetingFactory)
    name = factory.Faker("name", locale="fi_FI")
    organisation = "Taiteen edistämiskeskus"


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(GroupMeetingFactory)
    description = "Kootaan kokemukset"
    owner_name = "Sihteeri"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(GroupMeetingFactory)
    title = "Esityslista"
    file = factory.LazyFunction(lambda: pdf_file("esityslista.pdf"))
    original_filename = "esityslista.pdf"
