"""Feedback meetings planned ahead: invitations with a calendar file in each person's language, partners invited
by e-mail, a reminder once, and the record filled in on the same page afterwards."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from localities import meeting_guests, services
from localities.models import FeedbackMeeting
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import CoordinatorFactory, FeedbackMeetingFactory

pytestmark = pytest.mark.django_db


def _next_week(hour: int = 13) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _calendar(message) -> str:
    (name, content, mimetype), *_rest = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return content.decode() if isinstance(content, bytes) else content


def _plan(actor, locality, **extra):
    values = {
        "starts_at": _next_week(),
        "ends_at": _next_week(15),
        "place": "Kirjaston kokoushuone",
        "agenda": "1. Kokemukset\n2. Kyselyn tulokset",
    }
    return services.feedback_meeting_plan(actor=actor, locality=locality, **{**values, **extra})


def test_coordinators_and_chosen_staff_are_invited_each_in_their_language(outbox, locality, coordinator):
    swedish = CoordinatorFactory(locality=locality, user__email="sv@kajaani.example.fi").user
    swedish.preferred_language = "sv"
    swedish.save()
    staff_en = StaffFactory(email="en@kaikukeskus.example.fi", preferred_language="en")
    StaffFactory(email="not-chosen@kaikukeskus.example.fi")

    meeting = _plan(coordinator, locality, staff=[staff_en])

    assert meeting.state == FeedbackMeeting.State.PLANNED and meeting.held_on == _next_week().date()
    sent = {message.to[0]: message for message in outbox.deliver()}
    assert set(sent) == {coordinator.email, swedish.email, staff_en.email}
    assert sent[coordinator.email].subject.startswith("Kutsu: Kaikukortin palautekokous, Kajaani")
    assert sent[swedish.email].subject.startswith("Inbjudan: Kaikukortets responsmöte, Kajana")
    assert sent[staff_en.email].subject.startswith("Invitation: Kaikukortti feedback meeting, Kajaani")
    for address, summary in [
        (coordinator.email, "Kaikukortin palautekokous"),
        (swedish.email, "Kaikukortets responsmöte"),
        (staff_en.email, "Kaikukortti feedback meeting"),
    ]:
        calendar = _calendar(sent[address])
        assert "BEGIN:VEVENT" in calendar and summary in calendar
        assert "Kirjaston kokoushuone" in calendar
    # One event per person: the UIDs differ, so that a later file replaces only that person's event.
    uids = {line for message in sent.values() for line in _calendar(message).splitlines() if line.startswith("UID")}
    assert len(uids) == 3


def test_a_coordinator_of_another_locality_cannot_plan_here(locality, other_coordinator):
    with pytest.raises(PermissionDenied):
        _plan(other_coordinator, locality)


def test_a_meeting_needs_a_place_or_a_link_and_a_future_start(locality, staff):
    with pytest.raises(ValidationError):
        _plan(staff, locality, place="")
    with pytest.raises(ValidationError):
        _plan(staff, locality, starts_at=timezone.now() - datetime.timedelta(hours=1), ends_at=None)
    assert _plan(staff, locality, place="", online_link="https://meet.example.fi/abc").where


def test_partners_contact_persons_come_from_the_registry_and_are_invited_once(outbox, locality, coordinator):
    from tests.networks.factories import ContactPersonFactory, PartnerFactory

    contact = ContactPersonFactory(
        partner=PartnerFactory(locality=locality, name="Kajaanin kaupunginteatteri"), email="teatteri@example.fi"
    )
    ContactPersonFactory(partner=PartnerFactory(locality=locality), email="", phone="040 1")  # no address
    candidates = meeting_guests.candidates(locality)
    assert [(c.email, c.organisation) for c in candidates] == [(contact.email, "Kajaanin kaupunginteatteri")]

    meeting = _plan(coordinator, locality)
    outbox.clear()
    count = services.feedback_meeting_invite_guests(
        actor=coordinator,
        meeting=meeting,
        addresses=[(contact.name, contact.email), ("", "museo@example.fi")],
        language="sv",
    )
    again = services.feedback_meeting_invite_guests(
        actor=coordinator, meeting=meeting, addresses=[("", "TEATTERI@example.fi")], language="fi"
    )

    assert (count, again) == (2, 0)
    messages = outbox.deliver()
    assert sorted(m.to[0] for m in messages) == ["museo@example.fi", "teatteri@example.fi"]
    assert all(m.subject.startswith("Inbjudan") and "BEGIN:VCALENDAR" in _calendar(m) for m in messages)
    # Guests have no account: no link to the portal.
    assert all("/portal/" not in m.body for m in messages)


def test_everyone_invited_is_reminded_once_the_day_before(outbox, locality, coordinator, staff):
    meeting = _plan(coordinator, locality, staff=[staff])
    services.feedback_meeting_invite_guests(
        actor=coordinator, meeting=meeting, addresses=[("", "partner@example.fi")], language="fi"
    )
    outbox.clear()

    assert services.feedback_meeting_reminders_send() == 0  # a week ahead: not yet
    day_before = meeting.starts_at - datetime.timedelta(hours=20)
    assert services.feedback_meeting_reminders_send(now=day_before) == 1
    assert services.feedback_meeting_reminders_send(now=day_before + datetime.timedelta(hours=1)) == 0

    messages = outbox.deliver()
    assert sorted(m.to[0] for m in messages) == sorted([coordinator.email, staff.email, "partner@example.fi"])
    assert all(m.subject.startswith("Muistutus") for m in messages)


def test_the_record_is_filled_in_on_the_same_page_after_the_meeting(coordinator_client, locality, staff):
    meeting = FeedbackMeetingFactory(
        locality=locality,
        state=FeedbackMeeting.State.PLANNED,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        place="Kirjasto",
    )
    page = reverse("localities:meeting-detail", kwargs={"slug": locality.slug, "pk": meeting.pk})
    assert "Täytä muistio" in coordinator_client.get(page).content.decode()

    response = coordinator_client.post(
        reverse("localities:meeting-record", kwargs={"slug": locality.slug, "pk": meeting.pk}),
        {
            "participants": [staff.pk],
            "attendance": "Kulttuuritoimi, seurakunta",
            "attendee_count": "12",
            "summary": "Hyvä vuosi",
            "action_description": "Kysely kumppaneille",
            "action_owner": "Kulttuuritoimi",
            "action_due_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )

    assert response.status_code == 302 and response.headers["Location"] == page
    meeting.refresh_from_db()
    assert meeting.state == FeedbackMeeting.State.HELD
    assert (meeting.attendee_count, meeting.summary) == (12, "Hyvä vuosi")
    assert list(meeting.kaikukeskus_participants.all()) == [staff]
    assert meeting.actions.get().owner_display == "Kulttuuritoimi"
    assert meeting.history.first().history_change_reason == "recorded"


def test_the_planning_page_plans_and_sends(coordinator_client, outbox, locality, coordinator, staff):
    response = coordinator_client.post(
        reverse("localities:meeting-plan", kwargs={"slug": locality.slug}),
        {
            "date": _next_week().date().isoformat(),
            "start_time": "13:00",
            "end_time": "15:00",
            "online_link": "https://meet.example.fi/kajaani",
            "agenda": "Kokemukset",
            "staff": [staff.pk],
        },
    )
    meeting = FeedbackMeeting.objects.get()
    assert response.status_code == 302
    assert timezone.localtime(meeting.starts_at).hour == 13
    assert len(outbox.deliver()) == 2


def test_the_locality_page_lists_meetings_in_the_same_number_of_queries(
    coordinator_client, locality, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("localities:portal-detail", kwargs={"slug": locality.slug})
    FeedbackMeetingFactory.create_batch(5, locality=locality)
    with CaptureQueriesContext(connection) as five:
        assert coordinator_client.get(url).status_code == 200
    FeedbackMeetingFactory.create_batch(25, locality=locality)
    with django_assert_num_queries(len(five)):
        coordinator_client.get(url)


# --- Moving and cancelling a planned meeting ----------------------------------------------------------------


def _uid_and_sequence(message) -> tuple[str, str]:
    lines = _calendar(message).splitlines()
    return (
        next(line for line in lines if line.startswith("UID")),
        next(line for line in lines if line.startswith("SEQUENCE")),
    )


def _planned_with_guest(coordinator, locality, staff):
    meeting = _plan(coordinator, locality, staff=[staff])
    services.feedback_meeting_invite_guests(
        actor=coordinator, meeting=meeting, addresses=[("Partneri", "partner@example.fi")], language="sv"
    )
    return meeting


def test_a_moved_meeting_tells_everyone_invited_with_the_same_event_at_a_higher_sequence(
    outbox, locality, coordinator, staff
):
    meeting = _planned_with_guest(coordinator, locality, staff)
    first = {message.to[0]: _uid_and_sequence(message) for message in outbox.deliver()}
    outbox.clear()
    later = _next_week(9) + datetime.timedelta(days=2)

    moved = services.feedback_meeting_move(
        actor=staff, meeting=meeting, starts_at=later, ends_at=later + datetime.timedelta(hours=1)
    )

    assert (moved.starts_at, moved.held_on, moved.sequence) == (later, timezone.localdate(later), 1)
    assert moved.history.first().history_change_reason == "feedback_meeting.moved"
    assert moved.history.first().history_user == staff
    sent = {message.to[0]: message for message in outbox.deliver()}
    assert set(sent) == {coordinator.email, staff.email, "partner@example.fi"}
    for address, message in sent.items():
        uid, sequence = _uid_and_sequence(message)
        assert uid == first[address][0]  # the same event, replaced
        assert (first[address][1], sequence) == ("SEQUENCE:0", "SEQUENCE:1")
        calendar = _calendar(message)
        assert "METHOD:PUBLISH" in calendar and "STATUS:CONFIRMED" in calendar
        assert later.astimezone(datetime.UTC).strftime("DTSTART:%Y%m%dT%H%M%SZ") in calendar
    assert sent[coordinator.email].subject.startswith("Siirretty: Kaikukortin palautekokous, Kajaani")
    assert sent["partner@example.fi"].subject.startswith("Flyttat: Kaikukortets responsmöte, Kajana")
    # The reminder is due again, before the new time.
    assert services.feedback_meeting_reminders_send(now=later - datetime.timedelta(hours=20)) == 1


def test_a_cancelled_meeting_tells_everyone_invited_and_cancels_the_event(outbox, locality, coordinator, staff):
    meeting = _planned_with_guest(coordinator, locality, staff)
    first = {message.to[0]: _uid_and_sequence(message) for message in outbox.deliver()}
    outbox.clear()

    cancelled = services.feedback_meeting_cancel(actor=coordinator, meeting=meeting, reason="Sovitaan uusi aika.")

    assert cancelled.state == FeedbackMeeting.State.CANCELLED
    assert cancelled.history.first().history_change_reason == "feedback_meeting.cancelled: Sovitaan uusi aika."
    sent = {message.to[0]: message for message in outbox.deliver()}
    assert set(sent) == {coordinator.email, staff.email, "partner@example.fi"}
    for address, message in sent.items():
        calendar = _calendar(message)
        assert "METHOD:CANCEL" in calendar and "STATUS:CANCELLED" in calendar
        assert _uid_and_sequence(message) == (first[address][0], "SEQUENCE:1")
        assert message.attachments[0][2] == "text/calendar; method=CANCEL"
    assert sent[coordinator.email].subject.startswith("Peruttu: Kaikukortin palautekokous, Kajaani")
    assert "Sovitaan uusi aika." in sent[coordinator.email].body
    # Nobody is reminded of a cancelled meeting, and it cannot be moved or cancelled again.
    outbox.clear()
    assert services.feedback_meeting_reminders_send(now=meeting.starts_at - datetime.timedelta(hours=20)) == 0
    with pytest.raises(ValidationError):
        services.feedback_meeting_move(actor=staff, meeting=meeting, starts_at=_next_week(10))
    with pytest.raises(ValidationError):
        services.feedback_meeting_cancel(actor=staff, meeting=meeting)
    assert outbox.deliver() == []


def test_only_a_planned_meeting_ahead_moves_and_only_within_scope(locality, other_coordinator, staff):
    meeting = _plan(staff, locality)
    with pytest.raises(PermissionDenied):
        services.feedback_meeting_move(actor=other_coordinator, meeting=meeting, starts_at=_next_week(10))
    with pytest.raises(PermissionDenied):
        services.feedback_meeting_cancel(actor=other_coordinator, meeting=meeting)
    with pytest.raises(ValidationError):
        services.feedback_meeting_move(
            actor=staff, meeting=meeting, starts_at=timezone.now() - datetime.timedelta(hours=1)
        )
    held = FeedbackMeetingFactory(locality=locality)  # recorded after the fact
    with pytest.raises(ValidationError):
        services.feedback_meeting_cancel(actor=staff, meeting=held)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.sequence) == (FeedbackMeeting.State.PLANNED, 0)


def test_the_meeting_page_moves_and_cancels_with_plain_forms(coordinator_client, outbox, locality, coordinator):
    meeting = _plan(coordinator, locality)
    page = reverse("localities:meeting-detail", kwargs={"slug": locality.slug, "pk": meeting.pk})
    move = reverse("localities:meeting-move", kwargs={"slug": locality.slug, "pk": meeting.pk})
    cancel = reverse("localities:meeting-cancel", kwargs={"slug": locality.slug, "pk": meeting.pk})
    shown = coordinator_client.get(page).content.decode()
    assert f'action="{move}"' in shown and f'action="{cancel}"' in shown
    assert f'value="{_next_week().date().isoformat()}"' in shown  # the form starts from the current time
    outbox.clear()

    refused = coordinator_client.post(move, {"move-date": "", "move-start_time": "10:00"})
    assert refused.status_code == 400
    later = _next_week().date() + datetime.timedelta(days=1)
    response = coordinator_client.post(
        move, {"move-date": later.isoformat(), "move-start_time": "10:00", "move-end_time": "11:30"}, follow=True
    )
    assert response.redirect_chain[-1][0] == page
    assert "Kokous siirrettiin" in response.content.decode()
    meeting.refresh_from_db()
    assert (timezone.localtime(meeting.starts_at).date(), timezone.localtime(meeting.starts_at).hour) == (later, 10)

    response = coordinator_client.post(cancel, {"cancel-reason": ""}, follow=True)
    assert "Kokous peruttiin" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == FeedbackMeeting.State.CANCELLED
    assert f'action="{move}"' not in response.content.decode()
    assert len(outbox.deliver()) == 2  # the move and the cancellation, to the one coordinator


def test_a_cancelled_meeting_is_not_recorded_as_held_once_its_time_has_passed(coordinator_client, locality, staff):
    meeting = FeedbackMeetingFactory(
        locality=locality,
        state=FeedbackMeeting.State.CANCELLED,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        place="Kirjasto",
    )
    page = reverse("localities:meeting-detail", kwargs={"slug": locality.slug, "pk": meeting.pk})
    record = reverse("localities:meeting-record", kwargs={"slug": locality.slug, "pk": meeting.pk})
    assert f'action="{record}"' not in coordinator_client.get(page).content.decode()

    with pytest.raises(ValidationError):
        services.feedback_meeting_record(actor=staff, meeting=meeting, summary="Pidettiin sittenkin")
    response = coordinator_client.post(record, {"summary": "Pidettiin sittenkin"})

    assert "Perutusta kokouksesta ei tehdä muistiota." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == FeedbackMeeting.State.CANCELLED and meeting.summary != "Pidettiin sittenkin"
