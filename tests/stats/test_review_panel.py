"""Staff's to-do on the portal's front page: the reports waiting for their review, by round, linked to the
admin's queue filtered to that round. Coordinators never see it."""

import pytest
from django.urls import reverse
from django.utils import translation

from stats.models import LocalityReport
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import LocalityFactory
from tests.stats.factories import ReportFactory, yearly_round

pytestmark = pytest.mark.django_db


def portal_page(client, user, language="fi") -> str:
    client.force_login(user)
    with translation.override(language):
        url = reverse("portal")
    return client.get(url).content.decode()


def test_staff_see_each_rounds_reports_awaiting_review_with_a_link_to_its_review(client):
    round_2025, round_2024 = yearly_round(2025), yearly_round(2024)
    for _ in range(2):
        ReportFactory(round=round_2025, status=LocalityReport.Status.SUBMITTED)
    ReportFactory(round=round_2024, status=LocalityReport.Status.SUBMITTED)
    ReportFactory(round=round_2024, status=LocalityReport.Status.APPROVED)
    ReportFactory(round=round_2024, status=LocalityReport.Status.DRAFT)

    page = portal_page(client, StaffFactory())

    assert "Tarkastettavat tilastoraportit" in page
    assert f"Kierros {round_2025.title}: 2 raporttia odottaa tarkastusta" in page
    assert f"Kierros {round_2024.title}: 1 raportti odottaa tarkastusta" in page
    # Each round opens its review in the staff workspace.
    assert reverse("stats:staff-round", kwargs={"pk": round_2025.pk}) in page


def test_the_panel_speaks_swedish_and_is_absent_when_nothing_waits(client):
    staff = StaffFactory()
    ReportFactory(round=yearly_round(2025), status=LocalityReport.Status.APPROVED)
    assert "Tarkastettavat tilastoraportit" not in portal_page(client, staff)

    ReportFactory(round=yearly_round(2025), status=LocalityReport.Status.SUBMITTED)
    assert "1 rapport väntar på granskning" in portal_page(client, staff, "sv")


def test_coordinators_never_see_the_review_panel(client, coordinator, locality):
    ReportFactory(round=yearly_round(2025), locality=locality, status=LocalityReport.Status.SUBMITTED)
    ReportFactory(round=yearly_round(2025), locality=LocalityFactory(), status=LocalityReport.Status.SUBMITTED)
    assert "odottaa tarkastusta" not in portal_page(client, coordinator)


def test_the_panel_makes_the_same_queries_for_one_round_and_for_many(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = StaffFactory()
    ReportFactory(round=yearly_round(2025), status=LocalityReport.Status.SUBMITTED)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal"))
    for year in range(2010, 2022):
        ReportFactory(round=yearly_round(year), status=LocalityReport.Status.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("portal"))
    assert len(many) == len(few)
