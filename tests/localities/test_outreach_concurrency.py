"""Five submissions for one municipality at the same moment, in real transactions: one prospect with five
contacts. On PostgreSQL the service locks the municipality's row, so each waits for the one before and finds its
prospect; the ProspectClaim's unique municipality is the database's own refusal of a second one. (The in-memory
SQLite of a quick local run locks whole tables instead: run with DATABASE_URL on PostgreSQL.)"""

import threading

import pytest
from django.db import connection

from localities import services
from localities.models import InterestSubmission, Locality, Municipality, ProspectContact
from tests.kaikukeskus.factories import StaffFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,
]


def test_simultaneous_submissions_for_one_municipality_make_one_prospect():
    StaffFactory()
    kokkola = Municipality.objects.get(name_fi="Kokkola")
    start = threading.Barrier(5)
    errors: list[BaseException] = []

    def send(index: int) -> None:
        try:
            start.wait()
            services.interest_submit(
                language="fi",
                municipality=kokkola,
                organisation="Kokkolan kaupunki",
                sector="culture",
                name=f"Lähettäjä {index}",
                email=f"sender{index}@kokkola.example.fi",
                other_sector="yes",
                decision_stage="idea",
                consent=True,
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Locality.objects.filter(municipalities=kokkola).count() == 1
    assert InterestSubmission.objects.filter(outcome="new_prospect").count() == 1
    assert InterestSubmission.objects.filter(outcome="contact_added").count() == 4
    assert ProspectContact.objects.count() == 5
