import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from support import services
from support.models import Booking, Slot
from tests.localities.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def slot(*, days: float = 7, capacity: int = 1, limit: int = 24) -> Slot:
    return Slot.objects.create(
        starts_at=timezone.now() + datetime.timedelta(days=days),
        length=45,
        online_link="https://meet.example.fi/kaikukeskus",
        capacity=capacity,
        change_limit_hours=limit,
    )


def _calendar(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name == "kaikukortti.ics" and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_a_coordinator_books_and_gets_a_confirmation_with_a_calendar_file(coordinator, locality, outbox):
    booked = services.booking_create(actor=coordinator, slot=slot(), locality=locality, topic="Pilotin aloitus")
    assert (booked.locality, booked.booked_by, booked.is_active) == (locality, coordinator, True)
    (message,) = outbox.deliver()
    assert message.to == [coordinator.email] and message.subject.startswith("Konsultaatio varattu")
    event = _calendar(message).walk("VEVENT")[0]
    assert str(event["uid"]).startswith(f"support-booking-{booked.pk}@")
    assert event["location"] == "https://meet.example.fi/kaikukeskus"


def test_a_full_slot_refuses_the_next_locality(coordinator, locality, other_coordinator, other_locality):
    taken = slot()
    services.booking_create(actor=coordinator, slot=taken, locality=locality, topic="A")
    with pytest.raises(services.BookingRefusedError) as refused:
        services.booking_create(actor=other_coordinator, slot=taken, locality=other_locality, topic="B")
    assert refused.value.code == "full"
    assert Booking.objects.count() == 1


def test_one_booking_a_locality_a_slot(coordinator, second_coordinator, locality):
    shared = slot(capacity=3)
    services.booking_create(actor=coordinator, slot=shared, locality=locality, topic="A")
    with pytest.raises(services.BookingRefusedError):
        services.booking_create(actor=second_coordinator, slot=shared, locality=locality, topic="B")


def test_a_coordinator_cannot_book_for_another_locality(coordinator, other_locality):
    with pytest.raises(PermissionDenied):
        services.booking_create(actor=coordinator, slot=slot(), locality=other_locality, topic="A")


def test_cancel_and_move_until_the_limit_and_not_after(coordinator, second_coordinator, locality, outbox):
    first, later = slot(days=3), slot(days=5)
    booking = services.booking_create(actor=coordinator, slot=first, locality=locality, topic="Tilastot")
    outbox.clear()
    moved = services.booking_move(actor=second_coordinator, booking=booking, slot=later)
    assert (moved.slot, moved.sequence) == (later, 1)
    (message,) = outbox.deliver()
    event = _calendar(message).walk("VEVENT")[0]
    assert event["sequence"] == 1 and str(event["uid"]).startswith(f"support-booking-{booking.pk}@")
    outbox.clear()
    services.booking_cancel(actor=coordinator, booking=moved)
    (message,) = outbox.deliver()
    assert _calendar(message)["method"] == "CANCEL"
    assert not Booking.objects.active().exists()
    # Within the limit nothing changes any more.
    soon = slot(days=0.5, limit=24)
    Booking.objects.create(slot=soon, locality=locality, topic="x", booked_by=coordinator)
    late = Booking.objects.get(slot=soon)
    with pytest.raises(services.BookingRefusedError, match="24"):
        services.booking_cancel(actor=coordinator, booking=late)
    with pytest.raises(services.BookingRefusedError):
        services.booking_move(actor=coordinator, booking=late, slot=later)
    with pytest.raises(services.BookingRefusedError):
        services.booking_create(actor=coordinator, slot=slot(days=0.5), locality=locality, topic="myöhään")


def test_another_locality_cannot_cancel(coordinator, other_coordinator, locality):
    booking = services.booking_create(actor=coordinator, slot=slot(), locality=locality, topic="A")
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=other_coordinator, booking=booking)


def test_a_reminder_the_day_before_once(coordinator, locality, outbox):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    next_day = Slot.objects.create(
        starts_at=tomorrow.replace(hour=13, minute=0, second=0, microsecond=0),
        online_link="https://meet.example.fi/a",
        change_limit_hours=1,
    )
    Booking.objects.create(slot=next_day, locality=locality, topic="Huomenna", booked_by=coordinator)
    Booking.objects.create(
        slot=slot(days=1.5, capacity=2),
        locality=locality,
        topic="x",
        booked_by=coordinator,
        cancelled_at=timezone.now(),
    )
    assert services.booking_reminders_send() == 1
    assert services.booking_reminders_send() == 0
    (message,) = outbox.deliver()
    assert message.subject.startswith("Muistutus") and "Huomenna" in message.body


def test_the_consultation_pages(client, coordinator, other_coordinator, locality, outbox):
    free = slot()
    client.force_login(coordinator)
    page = client.get(reverse("support:slots"))
    assert page.status_code == 200 and f'id="slot-{free.pk}-topic"' in page.content.decode()
    response = client.post(
        reverse("support:slot-book", kwargs={"pk": free.pk}), {"locality": locality.pk, "topic": "A"}
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    client.force_login(other_coordinator)
    assert client.get(reverse("support:booking-move", kwargs={"pk": booking.pk})).status_code == 404
    assert client.post(reverse("support:booking-cancel", kwargs={"pk": booking.pk})).status_code == 404
    client.force_login(coordinator)
    assert client.post(reverse("support:booking-cancel", kwargs={"pk": booking.pk})).status_code == 302
    assert not Booking.objects.active().exists()


def test_the_slot_list_makes_the_same_queries_for_few_and_many(client, coordinator, locality):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)

    def count(total):
        for index in range(Slot.objects.count(), total):
            made = slot(days=2 + index, capacity=2)
            Booking.objects.create(slot=made, locality=CoordinatorFactory().locality, topic="x")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("support:slots")).status_code == 200
        return len(queries)

    assert count(3) == count(20)
