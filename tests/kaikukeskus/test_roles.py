"""Who is national staff: one definition (`User.objects.national_staff()`), asked by `user.is_national_staff`,
the overdue reminders, the feedback meeting's participant choices and the admin link alike."""

import pytest

from kaikukeskus.models import User, national_staff_choices
from localities.models import FeedbackMeeting
from tests.kaikukeskus.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "staff": StaffFactory(email="staff@example.fi"),
        "superuser": UserFactory(email="root@example.fi", is_staff=True, is_superuser=True),
        "staff_flag_only": UserFactory(email="flag@example.fi", is_staff=True),
        "inactive_staff": StaffFactory(email="gone@example.fi", is_active=False),
        "nobody": UserFactory(email="nobody@example.fi"),
    }


def test_national_staff_is_the_staff_group_or_superusers_with_staff_status_and_active(people):
    assert set(User.objects.national_staff().values_list("email", flat=True)) == {
        "staff@example.fi",
        "root@example.fi",
    }


def test_the_property_asks_the_same_rule(people):
    assert {name for name, user in people.items() if user.is_national_staff} == {"staff", "superuser"}


def test_feedback_meeting_participants_are_chosen_from_national_staff_only(people):
    field = FeedbackMeeting._meta.get_field("kaikukeskus_participants")
    assert field.remote_field.limit_choices_to is national_staff_choices
    choices = User.objects.filter(field.get_limit_choices_to())
    assert set(choices.values_list("email", flat=True)) == {"staff@example.fi", "root@example.fi"}


def test_the_administration_link_is_for_national_staff_only(client, people):
    client.force_login(people["staff_flag_only"])
    assert "/admin/" not in client.get("/portal/").content.decode()
    client.force_login(people["staff"])
    assert "/admin/" in client.get("/portal/").content.decode()
