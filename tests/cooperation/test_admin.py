import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperation.models import GroupMeeting, WorkingGroup
from tests.cooperation.factories import GroupMeetingFactory, MembershipFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _inline(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def _group_form(**memberships) -> dict:
    return {
        "name_fi": "Uusi ryhmä",
        "scope": "international",
        "host": "Nordic Culture Point",
        "kaikukeskus_role": "observer",
        "language": "en",
        "active_from": "2025-01-01",
        **memberships,
    }


def test_staff_add_a_group_with_members_and_overlapping_periods_are_told_at_the_row(staff_client, coordinator):
    url = reverse("admin:cooperation_workinggroup_add")
    assert staff_client.get(url).status_code == 200
    rows = [
        {"user": coordinator.pk, "role": "member", "started_on": "2025-01-01", "ended_on": "2025-06-30"},
        {"user": coordinator.pk, "role": "member", "started_on": "2025-06-01", "ended_on": ""},
    ]
    response = staff_client.post(url, _group_form(**_inline("memberships", rows)))
    assert response.status_code == 200
    assert "jaksot menisivät päällekkäin" in response.content.decode()
    assert not WorkingGroup.objects.exists()

    rows[1]["started_on"] = "2025-09-01"  # rejoined after a gap: two periods
    response = staff_client.post(url, _group_form(**_inline("memberships", rows)))
    assert response.status_code == 302
    group = WorkingGroup.objects.get()
    assert group.memberships.count() == 2


def test_staff_record_a_meeting_with_minutes_in_the_admin(staff_client, staff):
    group = WorkingGroupFactory()
    member = MembershipFactory(group=group, user=staff)
    meeting = GroupMeetingFactory(group=group, state="planned", starts_at=timezone.now() - datetime.timedelta(days=1))
    url = reverse("admin:cooperation_groupmeeting_change", kwargs={"object_id": meeting.pk})
    assert staff_client.get(url).status_code == 200
    starts = timezone.localtime(meeting.starts_at)
    data = {
        "group": group.pk,
        "starts_at_0": starts.strftime("%d.%m.%Y"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "place": "Teams",
        "state": "held",
        "agenda": "1. Avaus",
        "minutes": "Päätettiin asioista.",
        "minutes_visibility": "members",
        "version": meeting.version,
        **_inline("attendees", [{"membership": member.pk, "name": "", "organisation": ""}]),
        **_inline("documents", []),
        **_inline(
            "action_items",
            [{"description": "Lausunto", "owner": "", "owner_name": "Sihteeri", "due_on": str(TODAY)}],
        ),
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.state == GroupMeeting.State.HELD and meeting.minutes
    assert meeting.history.first().history_change_reason == "minutes written"
    assert meeting.attendees.get().membership == member
    assert meeting.action_items.get().history.first().history_user == staff
