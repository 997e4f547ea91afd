"""Many visitors sign up for the last places at the same moment, each in a real transaction of their own. The
service locks the training's row, so on PostgreSQL each sign-up waits for the one before it to commit and counts
its seat: the training never takes more than its capacity, and the rest go on the waitlist in order. (SQLite's
in-memory database locks whole tables instead of waiting; CI runs this on PostgreSQL.)"""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from tests.trainings.factories import TrainingFactory
from trainings import links, services
from trainings.models import Registration

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]

SIGN_UPS = 12
CAPACITY = 5


def _at_once(target, arguments) -> None:
    start = threading.Barrier(len(arguments))

    def run(*args):
        try:
            start.wait()
            target(*args)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def test_capacity_holds_under_simultaneous_sign_ups():
    training = TrainingFactory(capacity=CAPACITY)
    errors = []

    def sign_up(number):
        try:
            services.registration_create(
                actor=AnonymousUser(), training=training, name=f"P {number}", email=f"p{number}@example.fi"
            )
        except Exception as error:
            errors.append(error)

    _at_once(sign_up, [(number,) for number in range(SIGN_UPS)])
    assert errors == []
    statuses = list(training.registrations.values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == CAPACITY
    assert statuses.count(Registration.Status.WAITLISTED) == SIGN_UPS - CAPACITY


def test_the_same_address_at_once_registers_once():
    training = TrainingFactory()
    outcomes = []

    def sign_up(number):
        try:
            services.registration_create(
                actor=AnonymousUser(), training=training, name=f"P {number}", email="Sama@Example.fi"
            )
            outcomes.append("registered")
        except services.ValidationError:
            outcomes.append("refused")

    _at_once(sign_up, [(number,) for number in range(4)])
    assert sorted(outcomes) == ["refused"] * 3 + ["registered"]


def test_simultaneous_cancellations_promote_one_each_from_the_waitlist():
    training = TrainingFactory(capacity=3)
    registrations = [
        services.registration_create(
            actor=AnonymousUser(), training=training, name=f"P {number}", email=f"p{number}@example.fi"
        )
        for number in range(6)
    ]
    holders = registrations[:3]

    def cancel(registration):
        services.registration_cancel(
            actor=AnonymousUser(), registration=registration, token=links.registration_token(registration)
        )

    _at_once(cancel, [(registration,) for registration in holders[:2]])
    statuses = dict(training.registrations.values_list("email", "status"))
    assert [statuses[f"p{number}@example.fi"] for number in range(6)] == [
        "cancelled",
        "cancelled",
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
