"""Who is national staff: one definition (`User.objects.national_staff()`), asked by `user.is_national_staff`,
the overdue reminders, the feedback meeting's participant choices and the admin link alike."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kaikukeskus.models import User, national_staff_choices
from localities.models import FeedbackMeeting, Locality
from localities.permissions import acts_as_national_staff, localities_for, require_staff
from tests.kaikukeskus.factories import StaffFactory, UserFactory
from tests.localities.factories import LocalityFactory

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


def test_staff_act_as_staff_only_with_the_second_factor_where_it_is_required(people, settings):
    """Membership stays (lists of staff to e-mail or to choose); the scope it gives waits for the second factor."""
    staff = people["staff"]
    LocalityFactory()
    settings.STAFF_MFA_REQUIRED = False
    assert acts_as_national_staff(staff) and localities_for(staff).count() == Locality.objects.count()
    settings.STAFF_MFA_REQUIRED = True
    staff = User.objects.get(pk=staff.pk)
    assert staff.is_national_staff and staff in User.objects.national_staff()
    assert not acts_as_national_staff(staff)
    assert not localities_for(staff).exists()
    with pytest.raises(PermissionDenied):
        require_staff(staff)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    staff = User.objects.get(pk=staff.pk)
    assert acts_as_national_staff(staff) and localities_for(staff).count() == Locality.objects.count()
    require_staff(staff)
    assert not acts_as_national_staff(AnonymousUser()) and not acts_as_national_staff(people["nobody"])
