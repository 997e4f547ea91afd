"""Authorization cases of the cooperation app's URLs (see tests/security/authz/__init__.py).

The world's `own` coordinator is a member of a working group; the `other` and `former` coordinators are not
members of any, so its pages answer them 404. Staff see every group; e-mailing members and the annual report
are staff pages."""

from tests.security.authz import LOGIN, Case, same, staff_only


def populate(world):
    from cooperation.models import Visibility
    from tests.cooperation.factories import GroupMeetingFactory, MeetingDocumentFactory, MembershipFactory

    world.group_membership = MembershipFactory(user=world.coordinator)
    world.group = world.group_membership.group
    world.group_meeting = GroupMeetingFactory(group=world.group, minutes="Pöytäkirja")
    world.group_document = MeetingDocumentFactory(meeting=world.group_meeting, visibility=Visibility.MEMBERS)


def _member_only(staff=200):
    return {"anonymous": LOGIN, "own": 200, "other": 404, "staff": staff}


CASES = [
    # Everybody signed in has the list (of the groups they belong to: none for most coordinators).
    Case("cooperation:group-list", {**same(200), "anonymous": LOGIN}),
    Case("cooperation:group-detail", _member_only(), kwargs=lambda w: {"pk": w.group.pk}),
    Case(
        "cooperation:meeting-detail",
        _member_only(),
        kwargs=lambda w: {"pk": w.group.pk, "meeting_pk": w.group_meeting.pk},
    ),
    Case("cooperation:document-download", _member_only(), kwargs=lambda w: {"pk": w.group_document.pk}),
    Case("cooperation:group-email", staff_only(), kwargs=lambda w: {"pk": w.group.pk}),
    Case("cooperation:annual-report", staff_only(), kwargs=lambda w: {"file_format": "csv"}),
]
