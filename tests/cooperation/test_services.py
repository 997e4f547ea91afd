import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cooperation import services
from cooperation.models import GroupMeeting, Membership
from tests.cooperation.factories import (
    ActionItemFactory,
    ExternalMembershipFactory,
    GroupMeetingFactory,
    MembershipFactory,
    WorkingGroupFactory,
)
from tests.kaikukeskus.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def test_a_member_who_left_and_rejoins_has_two_periods_and_the_first_is_unchanged(staff, coordinator):
    group = WorkingGroupFactory()
    first = services.membership_save(
        actor=staff, membership=Membership(group=group, user=coordinator, started_on=days(-400))
    )
    services.membership_end(actor=staff, membership=first, ended_on=days(-100))
    first.refresh_from_db()
    second = services.membership_rejoin(actor=staff, membership=first, started_on=days(-10), role="chair")

    periods = list(group.memberships.filter(user=coordinator).order_by("started_on"))
    assert [(p.started_on, p.ended_on, p.role) for p in periods] == [
        (days(-400), days(-100), "member"),
        (days(-10), None, "chair"),
    ]
    assert second.pk != first.pk
    # The history keeps the first period's creation and its end, never rewritten afterwards.
    assert [h.history_change_reason for h in first.history.order_by("history_id")] == ["created", "membership ended"]
    assert list(group.memberships.current().values_list("pk", flat=True)) == [second.pk]
    assert not first.is_current() and first.covers(days(-200))


@pytest.mark.parametrize(
    ("start", "end"),
    [(-200, None), (-500, -300), (-150, -50), (-120, -120)],
    ids=["open-inside", "overlaps-start", "overlaps-end", "one-day-inside"],
)
def test_a_period_that_overlaps_another_of_the_same_person_is_refused(staff, coordinator, start, end):
    group = WorkingGroupFactory()
    MembershipFactory(group=group, user=coordinator, started_on=days(-400), ended_on=days(-100))
    with pytest.raises(ValidationError) as error:
        services.membership_save(
            actor=staff,
            membership=Membership(
                group=group, user=coordinator, started_on=days(start), ended_on=days(end) if end else None
            ),
        )
    assert error.value.code == "overlap" or "overlap" in str(error.value)
    assert group.memberships.count() == 1


def test_an_external_contact_is_the_same_person_by_e_mail_in_any_case(staff):
    group = WorkingGroupFactory()
    ExternalMembershipFactory(group=group, email="anna@example.org", started_on=days(-50))
    with pytest.raises(ValidationError):
        services.membership_save(
            actor=staff,
            membership=Membership(group=group, name="Anna", email="ANNA@example.org", started_on=days(-10)),
        )
    # Another group, or another person, is fine.
    services.membership_save(
        actor=staff, membership=Membership(group=group, name="Ben", email="ben@example.org", started_on=days(-10))
    )
    services.membership_save(
        actor=staff,
        membership=Membership(group=WorkingGroupFactory(), name="A", email="anna@example.org", started_on=days(-10)),
    )


def test_a_membership_names_a_user_or_an_external_contact_not_both(staff, coordinator):
    with pytest.raises(ValidationError):
        services.membership_save(actor=staff, membership=Membership(group=WorkingGroupFactory(), started_on=TODAY))
    with pytest.raises(ValidationError):
        services.membership_save(
            actor=staff,
            membership=Membership(
                group=WorkingGroupFactory(), user=coordinator, name="X", email="x@example.org", started_on=TODAY
            ),
        )


def test_only_staff_write_memberships(coordinator):
    with pytest.raises(PermissionDenied):
        services.membership_save(
            actor=coordinator,
            membership=Membership(group=WorkingGroupFactory(), user=coordinator, started_on=TODAY),
        )


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint exists on PostgreSQL only")
def test_the_database_refuses_overlapping_ended_periods(coordinator):
    group = WorkingGroupFactory()
    MembershipFactory(group=group, user=coordinator, started_on=days(-400), ended_on=days(-100))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(group=group, user=coordinator, started_on=days(-300), ended_on=days(-200))


def test_members_are_e_mailed_each_in_their_language(outbox, staff):
    group = WorkingGroupFactory(name_fi="Kulttuurihyvinvointi", name_sv="Kulturell välfärd", language="sv")
    MembershipFactory(group=group, user=UserFactory(email="fi@example.fi", preferred_language="fi"))
    MembershipFactory(group=group, user=UserFactory(email="en@example.fi", preferred_language="en"))
    ExternalMembershipFactory(group=group, email="ext@example.se", name="Extern Person")
    MembershipFactory(group=group, user=UserFactory(email="left@example.fi"), started_on=days(-300), ended_on=days(-1))

    assert services.group_members_email(actor=staff, group=group, subject="Kokous", body="Tervetuloa") == 3

    sent = {message.to[0]: message for message in outbox.deliver()}
    assert set(sent) == {"fi@example.fi", "en@example.fi", "ext@example.se"}
    assert sent["fi@example.fi"].subject == "Kulttuurihyvinvointi: Kokous"
    assert "Hei" in sent["fi@example.fi"].body
    assert sent["ext@example.se"].subject == "Kulturell välfärd: Kokous"
    assert "Hej Extern Person" in sent["ext@example.se"].body
    assert "Hello" in sent["en@example.fi"].body
    assert sent["fi@example.fi"].extra_headers["Reply-To"] == staff.email


def test_the_organiser_is_reminded_of_missing_minutes_once(outbox):
    organiser = StaffFactory(email="organiser@example.fi", preferred_language="sv")
    due = GroupMeetingFactory(organiser=organiser, starts_at=timezone.now() - datetime.timedelta(days=8))
    GroupMeetingFactory(organiser=organiser, starts_at=timezone.now() - datetime.timedelta(days=3))  # not yet
    GroupMeetingFactory(organiser=organiser, starts_at=timezone.now() - datetime.timedelta(days=9), minutes="ok")
    GroupMeetingFactory(
        organiser=organiser,
        starts_at=timezone.now() - datetime.timedelta(days=9),
        state=GroupMeeting.State.CANCELLED,
    )

    assert services.minutes_reminders_send() == 1
    assert services.minutes_reminders_send() == 0
    later = timezone.now() + datetime.timedelta(days=30)
    assert services.minutes_reminders_send(now=later) == 1  # the 3-day-old one, now due; never `due` again

    messages = outbox.deliver()
    assert [m.to for m in messages] == [["organiser@example.fi"], ["organiser@example.fi"]]
    assert messages[0].subject.startswith("Protokoll saknas")
    due.refresh_from_db()
    assert due.minutes_reminder_sent_at is not None
    assert due.version == 1  # the reminder is no edit: a form open on the meeting still saves


def test_an_action_item_is_overdue_by_the_one_rule_and_done_once(staff):
    item = ActionItemFactory(due_on=days(-1))
    assert item.is_overdue()
    assert list(type(item).objects.overdue()) == [item]
    services.action_item_mark_done(actor=staff, item=item)
    with pytest.raises(services.AlreadyDoneError):
        services.action_item_mark_done(actor=staff, item=item)
    assert not type(item).objects.overdue().exists()


def test_the_owner_marks_their_item_done_others_may_not(coordinator, other_coordinator):
    item = ActionItemFactory(owner=coordinator)
    with pytest.raises(PermissionDenied):
        services.action_item_mark_done(actor=other_coordinator, item=item)
    assert services.action_item_mark_done(actor=coordinator, item=item).done_by == coordinator


def test_a_meeting_with_minutes_cannot_stay_planned(staff):
    meeting = GroupMeetingFactory.build(group=WorkingGroupFactory(), state=GroupMeeting.State.PLANNED, minutes="x")
    with pytest.raises(ValidationError):
        services.meeting_save(actor=staff, meeting=meeting)
    meeting.state = GroupMeeting.State.HELD
    assert services.meeting_save(actor=staff, meeting=meeting).organiser == staff


def test_a_period_somebody_attended_with_is_ended_not_removed(staff, coordinator):
    from tests.cooperation.factories import MeetingAttendeeFactory

    membership = MembershipFactory(user=coordinator)
    MeetingAttendeeFactory(meeting=GroupMeetingFactory(group=membership.group), membership=membership, name="")
    with pytest.raises(ValidationError):
        services.membership_delete(actor=staff, membership=membership)
    services.membership_end(actor=staff, membership=membership, ended_on=TODAY)
    assert Membership.objects.filter(pk=membership.pk, ended_on=TODAY).exists()
