"""Two coordinators of different localities take the last place of a consultation at the same moment, in two
real transactions: the slot's row lock makes the second wait for the first's commit and count again, so one gets
the place and the other is told it is gone. On SQLite the in-memory database locks the whole table instead: this
proves something on PostgreSQL only."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from support import services
from support.models import Booking, Slot
from tests.localities.factories import CoordinatorFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def test_two_coordinators_take_the_last_place_at_once_one_gets_it_the_other_is_told():
    slot = Slot.objects.create(
        starts_at=timezone.now() + datetime.timedelta(days=7), online_link="https://meet.example.fi/x", capacity=2
    )
    Booking.objects.create(slot=slot, locality=CoordinatorFactory().locality, topic="ensimmäinen")
    first, second = CoordinatorFactory(), CoordinatorFactory()
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def book(membership):
        try:
            start.wait()
            services.booking_create(
                actor=membership.user, slot=slot, locality=membership.locality, topic=membership.user.email
            )
            outcomes[membership.user.email] = "booked"
        except services.BookingRefusedError as error:
            outcomes[membership.user.email] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(membership,)) for membership in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["booked", "full"]
    assert Booking.objects.active().filter(slot=slot).count() == 2
