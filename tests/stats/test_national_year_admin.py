"""Staff aggregate and publish national years in the admin: the figures are never typed in, a published-history
year is replaced only when staff say so, and publishing makes the year public."""

import pytest
from django.urls import reverse

from stats.models import LocalityReport, NationalYear
from tests.stats.factories import ReportFactory, yearly_round

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:stats_nationalyear_changelist")
AGGREGATE = reverse("admin:stats_nationalyear_aggregate")


def approved_reports(year: int, count: int = 2):
    reporting_round = yearly_round(year)
    return [ReportFactory(round=reporting_round, status=LocalityReport.Status.APPROVED) for _ in range(count)]


def test_staff_aggregate_a_year_from_the_approved_reports_and_publish_it(staff_client):
    reports = approved_reports(2025)
    ReportFactory(round=yearly_round(2025), status=LocalityReport.Status.SUBMITTED, adult_culture=999)

    response = staff_client.post(AGGREGATE, {"year": 2025, "publish": "on"}, follow=True)

    year = NationalYear.objects.get(year=2025)
    assert year.adult_culture == sum(report.adult_culture for report in reports)
    assert year.localities == 2 and year.is_published
    assert "2025 koottu: 2 / " in response.content.decode()  # the admin answers in its URL's language, Finnish
    assert response.redirect_chain[-1][0] == CHANGELIST


def test_the_published_history_is_replaced_only_when_staff_say_so(staff_client):
    approved_reports(2023)
    published = NationalYear.objects.get(year=2023)

    response = staff_client.post(AGGREGATE, {"year": 2023})
    assert response.status_code == 200
    assert "2023" in response.context["form"].errors["force"][0]
    assert NationalYear.objects.get(year=2023).total_uses == published.total_uses == 51188

    staff_client.post(AGGREGATE, {"year": 2023, "force": "on"})
    replaced = NationalYear.objects.get(year=2023)
    assert replaced.source == NationalYear.Source.AGGREGATED and replaced.total_uses != 51188


def test_a_bad_year_is_told_next_to_the_field_and_nothing_is_made(staff_client):
    response = staff_client.post(AGGREGATE, {"year": "twenty"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert not NationalYear.objects.filter(year__gt=2023).exists()


def test_publish_and_unpublish_actions(staff_client):
    approved_reports(2025)
    staff_client.post(AGGREGATE, {"year": 2025})
    year = NationalYear.objects.get(year=2025)
    assert not year.is_published

    staff_client.post(CHANGELIST, {"action": "publish", "_selected_action": [year.pk]})
    assert NationalYear.objects.get(year=2025).is_published
    staff_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [year.pk]})
    assert not NationalYear.objects.get(year=2025).is_published


def test_aggregating_again_picks_up_a_newly_approved_report(staff_client):
    approved_reports(2025, count=1)
    staff_client.post(AGGREGATE, {"year": 2025})
    approved_reports(2025, count=1)
    year = NationalYear.objects.get(year=2025)

    staff_client.post(CHANGELIST, {"action": "aggregate_again", "_selected_action": [year.pk]})
    assert NationalYear.objects.get(year=2025).localities == 2


def test_the_figures_cannot_be_typed_in(staff_client):
    year = NationalYear.objects.get(year=2020)
    response = staff_client.get(reverse("admin:stats_nationalyear_change", args=[year.pk]))
    assert response.status_code == 200
    assert 'name="cards_registered"' not in response.content.decode()
    assert staff_client.get(reverse("admin:stats_nationalyear_changelist") + "add/").status_code in (302, 404)


def test_coordinators_cannot_aggregate(client, coordinator):
    client.force_login(coordinator)
    response = client.post(AGGREGATE, {"year": 2025})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not NationalYear.objects.filter(year=2025).exists()
