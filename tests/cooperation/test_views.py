import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.models import Visibility
from tests.cooperation.factories import (
    ActionItemFactory,
    GroupMeetingFactory,
    MeetingAttendeeFactory,
    MeetingDocumentFactory,
    MembershipFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def group(coordinator):
    group = WorkingGroupFactory(name_fi="Kulttuurihyvinvoinnin työryhmä")
    MembershipFactory(group=group, user=coordinator, started_on=_days(-100))
    return group


def _minutes_page(client, group, visibility, *, held_days_ago=30):
    meeting = GroupMeetingFactory(
        group=group,
        starts_at=timezone.now() - datetime.timedelta(days=held_days_ago),
        minutes="SALAINEN-MUISTIO",
        minutes_visibility=visibility,
    )
    url = reverse("cooperation:meeting-detail", kwargs={"pk": group.pk, "meeting_pk": meeting.pk})
    return client.get(url)


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (Visibility.PUBLIC, {"member": True, "former": True, "staff": True}),
        (Visibility.MEMBERS, {"member": True, "former": False, "staff": True}),
        (Visibility.STAFF, {"member": False, "former": False, "staff": True}),
    ],
)
def test_minutes_visibility_per_role(client, group, coordinator, staff, visibility, expected):
    from tests.kaikukeskus.factories import UserFactory

    former = UserFactory(email="former.member@example.fi")
    MembershipFactory(group=group, user=former, started_on=_days(-400), ended_on=_days(-200))
    for role, user in {"member": coordinator, "former": former, "staff": staff}.items():
        client.force_login(user)
        response = _minutes_page(client, group, visibility)
        assert response.status_code == 200, role
        assert ("SALAINEN-MUISTIO" in response.content.decode()) is expected[role], role


def test_a_former_member_reads_member_minutes_of_meetings_during_their_period(client, group):
    from tests.kaikukeskus.factories import UserFactory

    former = UserFactory(email="former.member@example.fi")
    MembershipFactory(group=group, user=former, started_on=_days(-400), ended_on=_days(-200))
    client.force_login(former)
    assert "SALAINEN-MUISTIO" in _minutes_page(client, group, Visibility.MEMBERS, held_days_ago=300).content.decode()
    assert "SALAINEN-MUISTIO" not in _minutes_page(client, group, Visibility.MEMBERS, held_days_ago=30).content.decode()


def test_a_coordinator_sees_only_the_groups_they_belong_to(client, group, other_coordinator):
    WorkingGroupFactory(name_fi="Toinen ryhmä")
    client.force_login(other_coordinator)
    assert "Kulttuurihyvinvoinnin" not in client.get(reverse("cooperation:group-list")).content.decode()
    assert client.get(reverse("cooperation:group-detail", kwargs={"pk": group.pk})).status_code == 404


def test_documents_download_by_their_visibility(client, group, coordinator, staff):
    meeting = GroupMeetingFactory(group=group)
    members_only = MeetingDocumentFactory(meeting=meeting, visibility=Visibility.MEMBERS)
    staff_only = MeetingDocumentFactory(meeting=meeting, visibility=Visibility.STAFF)
    client.force_login(coordinator)
    response = client.get(reverse("cooperation:document-download", kwargs={"pk": members_only.pk}))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("cooperation:document-download", kwargs={"pk": staff_only.pk})).status_code == 404
    page = client.get(reverse("cooperation:meeting-detail", kwargs={"pk": group.pk, "meeting_pk": meeting.pk}))
    assert page.content.decode().count("/portal/groups/documents/") == 1
    client.force_login(staff)
    assert client.get(reverse("cooperation:document-download", kwargs={"pk": staff_only.pk})).status_code == 200


def _populate(n: int, coordinator) -> None:
    for _ in range(n):
        group = WorkingGroupFactory()
        MembershipFactory(group=group, user=coordinator)
        GroupMeetingFactory(group=group)


def test_the_groups_list_makes_the_same_number_of_queries_for_5_and_25_groups(
    client, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("cooperation:group-list")
    _populate(5, coordinator)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    _populate(20, coordinator)
    with django_assert_num_queries(len(five)):
        response = client.get(url)
    assert response.content.decode().count("/portal/groups/") >= 25


def _meetings(group, n: int) -> None:
    for _ in range(n):
        meeting = GroupMeetingFactory(group=group, minutes="Muistio")
        MeetingAttendeeFactory(meeting=meeting)
        ActionItemFactory(meeting=meeting)
        MeetingDocumentFactory(meeting=meeting)


def test_the_group_page_makes_the_same_number_of_queries_for_5_and_25_meetings(
    client, group, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("cooperation:group-detail", kwargs={"pk": group.pk})
    _meetings(group, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    _meetings(group, 20)
    with django_assert_num_queries(len(five)):
        client.get(url)


def test_staff_e_mail_the_members_from_the_group(staff_client, outbox, group, coordinator):
    url = reverse("cooperation:group-email", kwargs={"pk": group.pk})
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"subject": "Syksyn kokous", "body": "Tervetuloa 12.10."})
    assert response.status_code == 302
    assert [message.to for message in outbox.deliver()] == [[coordinator.email]]


def test_the_annual_report_lists_the_groups_that_met_in_the_year(staff_client):
    met = WorkingGroupFactory(name_fi="Kokoontunut ryhmä")
    this_year = timezone.make_aware(datetime.datetime.combine(datetime.date(TODAY.year, 3, 15), datetime.time(10)))
    GroupMeetingFactory(group=met, starts_at=this_year, minutes="ok", place="Helsinki")
    GroupMeetingFactory(group=met, starts_at=this_year.replace(month=5), state="cancelled")
    GroupMeetingFactory(
        group=WorkingGroupFactory(name_fi="Viime vuonna"), starts_at=this_year.replace(year=TODAY.year - 1)
    )

    response = staff_client.get(
        reverse("cooperation:annual-report", kwargs={"file_format": "csv"}), {"year": TODAY.year}
    )

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Disposition"] == f'attachment; filename="working-groups-{TODAY.year}.csv"'
    assert len(lines) == 2
    assert lines[1].startswith("Kokoontunut ryhmä;Kotimainen;") and f"{TODAY.year}-03-15" in lines[1]
    xlsx = staff_client.get(reverse("cooperation:annual-report", kwargs={"file_format": "xlsx"}), {"year": TODAY.year})
    assert xlsx.content[:2] == b"PK"
