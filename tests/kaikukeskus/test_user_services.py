"""A user's role moves through `kaikukeskus.services` only, each move recording who and why in the user's history;
the admin's user form writes through them."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from kaikukeskus import history, services
from kaikukeskus.models import User
from kaikukeskus.roles import STAFF_GROUP
from tests.kaikukeskus.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _latest(user):
    record = user.history.latest()
    return record.history_user, record.history_change_reason


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@kaikukeskus.example.fi", is_staff=True, is_superuser=True)


def test_granting_and_removing_the_staff_role_is_recorded_with_who_and_why(staff):
    person = UserFactory()
    services.staff_grant(actor=staff, user=person)
    person = User.objects.get(pk=person.pk)
    assert person.is_national_staff and _latest(person) == (staff, "staff.granted")
    services.staff_revoke(actor=staff, user=person)
    person = User.objects.get(pk=person.pk)
    assert not person.is_staff and not person.groups.filter(name=STAFF_GROUP).exists()
    assert _latest(person) == (staff, "staff.revoked")
    with translation.override("fi"):
        assert history.reason_label(person.history.latest().history_change_reason) == "Henkilökunnan rooli poistettu"


def test_deactivating_and_reactivating_is_recorded(staff):
    person = UserFactory()
    services.user_deactivate(actor=staff, user=person)
    assert not User.objects.get(pk=person.pk).is_active and _latest(person) == (staff, "user.deactivated")
    services.user_reactivate(actor=staff, user=person)
    assert User.objects.get(pk=person.pk).is_active and _latest(person) == (staff, "user.reactivated")


@translation.override("en")
def test_nobody_removes_their_own_staff_role_or_account(staff):
    with pytest.raises(PermissionDenied, match="your own staff role"):
        services.staff_revoke(actor=staff, user=staff)
    with pytest.raises(PermissionDenied, match="your own account"):
        services.user_deactivate(actor=staff, user=staff)
    staff.refresh_from_db()
    assert staff.is_national_staff and staff.is_active


def test_only_a_superuser_grants_or_removes_superuser_status(staff, superuser):
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        services.staff_grant(actor=staff, user=person, superuser=True)
    with pytest.raises(PermissionDenied):
        services.staff_revoke(actor=staff, user=superuser)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=staff, user=superuser)
    assert not User.objects.get(pk=person.pk).is_superuser
    services.staff_grant(actor=superuser, user=person, superuser=True)
    assert User.objects.get(pk=person.pk).is_superuser and _latest(person) == (superuser, "staff.granted")


def test_only_staff_change_roles(coordinator, visitor):
    for actor in (coordinator, visitor, None):
        with pytest.raises(PermissionDenied):
            services.staff_grant(actor=actor, user=visitor)
    assert not User.objects.get(pk=visitor.pk).is_staff


def test_the_plain_save_refuses_a_role_change(staff):
    person = UserFactory()
    person.is_staff = True
    with pytest.raises(ValueError):
        services.user_save(actor=staff, user=person)
    assert not User.objects.get(pk=person.pk).is_staff


def test_a_login_or_a_new_password_adds_no_history_and_the_history_keeps_no_password(client):
    person = UserFactory()
    before = person.history.count()
    client.force_login(person)
    person.set_password("another-horse-battery-staple")
    person.save(update_fields=["password"])
    assert person.history.count() == before
    assert not hasattr(person.history.model, "password") and not hasattr(person.history.model, "last_login")


# --- The admin's user form ------------------------------------------------------------------------------


def _post(client, user, **changes):
    url = reverse("admin:kaikukeskus_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.pop("password", None)
    data["groups"] = [group.pk for group in form.initial.get("groups", [])]
    data.pop("user_permissions", None)
    for name in ("last_login", "date_joined"):
        data.pop(name, None)
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(url, {key: value for key, value in data.items() if value != []})


def test_ticking_staff_status_in_the_admin_grants_the_role_through_the_service(staff_client, staff):
    person = UserFactory(first_name="Aino")
    response = _post(staff_client, person, is_staff="on", first_name="Aina")
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    person = User.objects.get(pk=person.pk)
    assert person.first_name == "Aina" and person.is_national_staff
    assert _latest(person) == (staff, "staff.granted")
    assert person.history.all()[1].history_change_reason == "edited"


def test_unticking_staff_status_or_active_in_the_admin_goes_through_the_services(staff_client, staff):
    other = StaffFactory()
    response = _post(staff_client, other, is_staff=False, is_active=False)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    other = User.objects.get(pk=other.pk)
    assert not other.is_staff and not other.groups.exists() and not other.is_active
    reasons = [record.history_change_reason for record in other.history.all()[:3]]
    assert reasons == ["user.deactivated", "staff.revoked", None]  # the factory's row: no "edited" one between
    assert {record.history_user for record in other.history.all()[:2]} == {staff}


def test_removing_the_staff_group_alone_in_the_admin_removes_the_role(staff_client, staff):
    other = StaffFactory()
    response = _post(staff_client, other, groups=[])
    assert response.status_code == 302
    other = User.objects.get(pk=other.pk)
    assert not other.is_national_staff and _latest(other) == (staff, "staff.revoked")


def test_a_staff_member_cannot_demote_or_deactivate_themselves_in_the_admin(staff_client, staff):
    response = _post(staff_client, staff, is_staff=False, is_active=False)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["is_staff"] == ["Et voi poistaa omaa henkilökunnan rooliasi; pyydä toista henkilökunnan jäsentä."]
    assert errors["is_active"] == ["Et voi poistaa omaa tiliäsi käytöstä; pyydä toista henkilökunnan jäsentä."]
    response = _post(staff_client, staff, groups=[])
    assert "groups" in response.context["adminform"].form.errors
    staff.refresh_from_db()
    assert staff.is_national_staff and staff.is_active


def test_staff_cannot_make_a_superuser_in_the_admin(staff_client):
    person = UserFactory()
    response = _post(staff_client, person, is_staff="on", is_superuser="on")
    assert response.status_code == 302  # the field is read only for staff: staff status only
    person = User.objects.get(pk=person.pk)
    assert person.is_staff and not person.is_superuser


def test_a_superuser_grants_and_removes_superuser_status_in_the_admin(client, superuser):
    client.force_login(superuser)
    person = StaffFactory()
    assert _post(client, person, is_superuser="on").status_code == 302
    person = User.objects.get(pk=person.pk)
    assert person.is_superuser and _latest(person) == (superuser, "superuser.granted")
    assert _post(client, person, is_superuser=False).status_code == 302
    person = User.objects.get(pk=person.pk)
    assert not person.is_superuser and person.is_staff and _latest(person) == (superuser, "superuser.revoked")


def test_a_user_created_in_the_admin_is_recorded(staff_client, staff):
    response = staff_client.post(
        reverse("admin:kaikukeskus_user_add"),
        {"email": "uusi@example.fi", "usable_password": "false"},
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert _latest(User.objects.get(email="uusi@example.fi")) == (staff, "created")


def test_the_users_history_is_shown_but_cannot_be_reverted(staff_client, staff):
    person = UserFactory()
    services.user_deactivate(actor=staff, user=person)
    page = staff_client.get(reverse("admin:kaikukeskus_user_history", args=[person.pk]))
    assert page.status_code == 200 and "Poistettu käytöstä" in page.content.decode()
    record = person.history.latest()
    url = reverse("admin:kaikukeskus_user_simple_history", args=[person.pk, record.history_id])
    assert staff_client.post(url, {"email": person.email}).status_code == 403
    assert not User.objects.get(pk=person.pk).is_active
    assert Group.objects.filter(name=STAFF_GROUP).exists()
