"""The staff workspace's statistics pages: a round's completeness and reminders, a report's review (figures
beside last year's in the reader's number format, warnings with explanations, approve and return through the
services, with history), and a year's aggregation and publishing after the confirmation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from localities.models import Locality
from stats.models import LocalityReport, NationalYear, ReportEvent, ReportReminder
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory
from tests.networks.factories import IssuerFactory, PartnerFactory
from tests.stats.factories import FILLED, ReportFactory, yearly_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_language() -> str:
    return "fi"  # the pages in Finnish, the site's default (tests/stats/conftest.py says English)


@pytest.fixture
def staff_user():
    return StaffFactory()


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _reports(reporting_round, count, **fields):
    return [ReportFactory(round=reporting_round, **fields) for _ in range(count)]


# --- Rounds ---------------------------------------------------------------------------------------------------


def test_the_round_page_shows_its_completeness_and_every_report(staff_client):
    reporting_round = yearly_round(2025)
    due = reporting_round.due_on
    on_time = datetime.datetime.combine(due - datetime.timedelta(days=3), datetime.time(12), tzinfo=datetime.UTC)
    late = datetime.datetime.combine(due + datetime.timedelta(days=3), datetime.time(12), tzinfo=datetime.UTC)
    ReportFactory(round=reporting_round, status="submitted", first_submitted_at=on_time, submitted_at=on_time)
    ReportFactory(round=reporting_round, status="returned", first_submitted_at=late, submitted_at=late)
    waiting = ReportFactory(round=reporting_round, status="draft", locality__name_fi="Puuttuvala")

    page = staff_client.get(reverse("stats:staff-round", kwargs={"pk": reporting_round.pk})).content.decode()

    assert "Puuttuvala" in page
    assert reverse("stats:staff-report", kwargs={"pk": waiting.pk}) in page
    # Expected 3, on time 1, late 1, missing 1, returned 1, awaiting review 1.
    for label, number in [("Odotettu", 3), ("Ajoissa", 1), ("Myöhässä", 1), ("Puuttuu", 1), ("Palautettu", 1)]:
        assert f"<dt>{label}</dt><dd>{number}</dd>" in page, label


def test_the_rounds_and_a_round_make_the_same_queries_for_5_reports_and_40(staff_client):
    small, big = yearly_round(2024), yearly_round(2025)
    _reports(small, 5, status="submitted")
    _reports(big, 40, status="submitted")
    rounds_url = reverse("stats:staff-rounds")
    first = _queries(staff_client, rounds_url)
    yearly_round(2023)
    assert _queries(staff_client, rounds_url) == first
    small_count = _queries(staff_client, reverse("stats:staff-round", kwargs={"pk": small.pk}))
    assert _queries(staff_client, reverse("stats:staff-round", kwargs={"pk": big.pk})) == small_count


def test_the_reminder_button_reminds_through_the_service(staff_client, staff_user, outbox):
    reporting_round = yearly_round(2025)
    report = ReportFactory(round=reporting_round, status="draft")
    CoordinatorFactory(locality=report.locality)
    ReportFactory(round=reporting_round, status="submitted")

    response = staff_client.post(reverse("stats:staff-round-remind", kwargs={"pk": reporting_round.pk}))

    assert response.status_code == 302
    reminder = ReportReminder.objects.get()
    assert (reminder.report, reminder.kind, reminder.sent_by) == (report, ReportReminder.Kind.MANUAL, staff_user)
    assert len(outbox.deliver()) == 1


def test_the_reminder_button_is_refused_for_a_closed_round(staff_client):
    reporting_round = yearly_round(2025, status="closed")
    ReportFactory(round=reporting_round, status="draft")
    response = staff_client.post(reverse("stats:staff-round-remind", kwargs={"pk": reporting_round.pk}), follow=True)
    assert not ReportReminder.objects.exists()
    assert "vain avoimen kierroksen" in response.content.decode()


# --- A report's review ----------------------------------------------------------------------------------------


@pytest.fixture
def submitted():
    locality = LocalityFactory(name_fi="Kajaani", pilot_start_on=datetime.date(2023, 1, 1))
    ReportFactory(round=yearly_round(2024), locality=locality, status="approved", **{**FILLED, "cards_registered": 120})
    CoordinatorFactory(locality=locality)
    return ReportFactory(
        round=yearly_round(2025),
        locality=locality,
        status="submitted",
        **{**FILLED, "cards_registered": 12345},
        explanations={"change:cards_registered": "Uusi kortinjakaja aloitti keväällä."},
    )


def _review_url(report, language=""):
    with translation.override(language or "fi"):
        return reverse("stats:staff-report", kwargs={"pk": report.pk})


def test_the_review_shows_the_figures_beside_last_years_in_the_languages_number_format(staff_client, submitted):
    page = staff_client.get(_review_url(submitted)).content.decode()
    with translation.override("fi"):
        assert formats.number_format(12345, force_grouping=True) in page
        assert "+" + formats.number_format(12225, force_grouping=True) in page
    assert "12345" not in page and "12,345" not in page
    # The warning is judged by services.report_findings, with the coordinators' explanation beside it.
    assert "Uusi kortinjakaja aloitti keväällä." in page
    assert 'name="action" value="approve"' in page and 'name="action" value="return"' in page

    english = staff_client.get(_review_url(submitted, "en")).content.decode()
    assert "12,345" in english


def test_the_review_shows_the_venue_and_issuer_breakdown(staff_client, submitted):
    from stats.models import IssuerFigure, VenueFigure

    venue = PartnerFactory(locality=submitted.locality, name="Kajaanin kaupunginteatteri")
    issuer = IssuerFactory(locality=submitted.locality, name="Kajaanin sosiaalitoimi")
    VenueFigure.objects.create(report=submitted, partner=venue, sector="culture", adult=1500, child=20)
    IssuerFigure.objects.create(report=submitted, partner=issuer, cards_registered=7)
    page = staff_client.get(_review_url(submitted)).content.decode()
    assert "Kajaanin kaupunginteatteri" in page and "Kajaanin sosiaalitoimi" in page
    with translation.override("fi"):
        assert formats.number_format(1500, force_grouping=True) in page


def test_approving_goes_through_the_service_with_history(staff_client, staff_user, submitted):
    response = staff_client.post(_review_url(submitted), {"action": "approve", "approve-comment": "Hyvä."})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == LocalityReport.Status.APPROVED and submitted.reviewed_by == staff_user
    record = submitted.history.latest()
    assert (record.history_change_reason, record.history_user) == ("report.approved", staff_user)
    event = ReportEvent.objects.get(report=submitted, action=ReportEvent.Action.APPROVED)
    assert (event.actor, event.comment) == (staff_user, "Hyvä.")
    page = staff_client.get(_review_url(submitted)).content.decode()
    assert "Hyväksytty" in page  # the history's reason in the reader's language (|history_reason)


def test_returning_needs_a_reason_and_goes_through_the_service_with_history(
    staff_client, staff_user, submitted, outbox
):
    refused = staff_client.post(_review_url(submitted), {"action": "return", "return-comment": " "})
    assert refused.status_code == 400
    assert "Kerro, mitä pitää korjata" in refused.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == LocalityReport.Status.SUBMITTED

    response = staff_client.post(
        _review_url(submitted), {"action": "return", "return-comment": "Lasten liikunta puuttuu."}
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == LocalityReport.Status.RETURNED
    record = submitted.history.latest()
    assert record.history_user == staff_user
    assert record.history_change_reason.startswith("report.returned")
    assert "Lasten liikunta puuttuu." in record.history_change_reason
    assert len(outbox.deliver()) == 1


def test_a_second_review_is_refused_and_changes_nothing(staff_client, submitted):
    staff_client.post(_review_url(submitted), {"action": "approve", "approve-comment": ""})
    response = staff_client.post(_review_url(submitted), {"action": "return", "return-comment": "Myöhässä."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == LocalityReport.Status.APPROVED
    assert submitted.history.count() == 2  # as made, approved


def test_after_a_review_the_next_report_of_the_round_opens(staff_client, submitted):
    following = ReportFactory(round=submitted.round, status="submitted", locality__name_fi="Lahti")
    response = staff_client.post(_review_url(submitted), {"action": "approve", "approve-comment": ""})
    assert response["Location"] == _review_url(following)


def test_an_approved_report_is_reopened_from_the_review_through_the_service_with_history(
    staff_client, staff_user, submitted, outbox
):
    staff_client.post(_review_url(submitted), {"action": "approve", "approve-comment": ""})
    page = staff_client.get(_review_url(submitted)).content.decode()
    assert 'name="action" value="reopen"' in page
    assert 'value="approve"' not in page and 'value="return"' not in page
    until = timezone.localdate() + datetime.timedelta(days=10)

    refused = staff_client.post(
        _review_url(submitted), {"action": "reopen", "reopen-until": until.isoformat(), "reopen-reason": ""}
    )
    assert refused.status_code == 400
    assert "Kerro avaamisen syy" in refused.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == LocalityReport.Status.APPROVED

    response = staff_client.post(
        _review_url(submitted),
        {"action": "reopen", "reopen-until": until.isoformat(), "reopen-reason": "Kävijämäärä väärin."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == _review_url(submitted)  # back to the report, not to the next one
    with translation.override("fi"):
        assert formats.date_format(until) in response.content.decode()  # the confirmation names the last day
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reopened_until) == (LocalityReport.Status.REOPENED, until)
    record = submitted.history.latest()
    assert record.history_user == staff_user
    assert record.history_change_reason.startswith("report.reopened")
    assert ReportEvent.objects.filter(report=submitted, action=ReportEvent.Action.REOPENED, actor=staff_user).exists()
    assert len(outbox.deliver()) == 1  # the coordinators are told


def test_a_report_not_yet_approved_cannot_be_reopened(staff_client, submitted):
    assert 'value="reopen"' not in staff_client.get(_review_url(submitted)).content.decode()
    until = timezone.localdate() + datetime.timedelta(days=10)
    response = staff_client.post(
        _review_url(submitted), {"action": "reopen", "reopen-until": until.isoformat(), "reopen-reason": "Miksi?"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == LocalityReport.Status.SUBMITTED


# --- Years ----------------------------------------------------------------------------------------------------


@pytest.fixture
def year_2025():
    reporting_round = yearly_round(2025)
    reported = LocalityFactory(name_fi="Raportoiva", pilot_start_on=datetime.date(2024, 1, 1))
    ReportFactory(round=reporting_round, locality=reported, status="approved")
    silent = LocalityFactory(name_fi="Hiljainen", pilot_start_on=datetime.date(2024, 1, 1))
    ReportFactory(round=reporting_round, locality=silent, status="draft")
    LocalityFactory(name_fi="Tuleva", status=Locality.Status.PROSPECT, pilot_start_on=None)
    return reporting_round


def test_the_year_shows_its_completeness_and_aggregates_through_the_service(staff_client, staff_user, year_2025):
    page = staff_client.get(reverse("stats:staff-year", kwargs={"year": 2025})).content.decode()
    assert "Hiljainen" in page and "Tuleva" not in page

    response = staff_client.post(reverse("stats:staff-year-aggregate", kwargs={"year": 2025}))

    assert response.status_code == 302
    national_year = NationalYear.objects.get(year=2025)
    assert national_year.localities == 1 and not national_year.is_published
    record = national_year.history.latest()
    assert (record.history_change_reason, record.history_user) == ("year.aggregated", staff_user)


def test_publishing_asks_for_a_confirmation_naming_the_localities_that_have_not_reported(
    staff_client, staff_user, year_2025
):
    staff_client.post(reverse("stats:staff-year-aggregate", kwargs={"year": 2025}))
    url = reverse("stats:staff-year-publish", kwargs={"year": 2025})

    confirmation = staff_client.get(url).content.decode()
    assert "Hiljainen" in confirmation and "1 paikkakunta ei ole raportoinut" in confirmation

    refused = staff_client.post(url, {})
    assert refused.status_code == 400
    assert not NationalYear.objects.get(year=2025).is_published

    response = staff_client.post(url, {"confirm": "on"})

    assert response.status_code == 302
    national_year = NationalYear.objects.get(year=2025)
    assert national_year.is_published
    record = national_year.history.latest()
    assert (record.history_change_reason, record.history_user) == ("year.published", staff_user)


def test_publishing_warns_of_reports_approved_after_the_last_aggregation_naming_their_localities(
    staff_client, staff_user, year_2025
):
    from stats import services

    publish_url = reverse("stats:staff-year-publish", kwargs={"year": 2025})
    year_url = reverse("stats:staff-year", kwargs={"year": 2025})
    late = ReportFactory(round=year_2025, locality__name_fi="Myöhäinen", status="submitted")
    staff_client.post(reverse("stats:staff-year-aggregate", kwargs={"year": 2025}))
    assert "approved-since" not in staff_client.get(publish_url).content.decode()

    services.report_approve(actor=staff_user, report=late, comment="")

    for url in (publish_url, year_url):
        page = staff_client.get(url).content.decode()
        assert "approved-since" in page
        assert "1 paikkakunnan raportti hyväksyttiin" in page
        assert "<li>" in page and "Myöhäinen</a></li>" in page
        assert "Raportoiva</a></li>" not in page  # approved before the aggregation: counted already
    assert reverse("stats:staff-year-aggregate", kwargs={"year": 2025}) in page

    staff_client.post(reverse("stats:staff-year-aggregate", kwargs={"year": 2025}))
    assert "approved-since" not in staff_client.get(publish_url).content.decode()
    assert NationalYear.objects.get(year=2025).localities == 2


def test_a_year_not_aggregated_cannot_be_published(staff_client, year_2025):
    response = staff_client.post(reverse("stats:staff-year-publish", kwargs={"year": 2025}), {"confirm": "on"})
    assert response.status_code == 302
    assert not NationalYear.objects.filter(year=2025).exists()


def test_the_published_history_is_not_aggregated_from_the_workspace(staff_client):
    page = staff_client.get(reverse("stats:staff-year", kwargs={"year": 2023})).content.decode()
    assert "stats:staff-year-aggregate" not in page
    assert reverse("stats:staff-year-aggregate", kwargs={"year": 2023}) not in page


def test_the_years_and_a_year_make_the_same_queries_for_few_localities_and_many(staff_client):
    reporting_round = yearly_round(2025)
    _reports(reporting_round, 5, status="approved")
    url = reverse("stats:staff-year", kwargs={"year": 2025})
    few = _queries(staff_client, url)
    years = _queries(staff_client, reverse("stats:staff-years"))
    _reports(reporting_round, 35, status="draft")
    yearly_round(2026)
    assert _queries(staff_client, url) == few
    assert _queries(staff_client, reverse("stats:staff-years")) == years


def test_the_review_makes_the_same_queries_for_3_breakdown_rows_and_30(staff_client, staff_user, submitted):
    from stats import services
    from stats.models import IssuerFigure, VenueFigure

    def add_rows(count):
        for _ in range(count):
            venue = PartnerFactory(locality=submitted.locality)
            issuer = IssuerFactory(locality=submitted.locality)
            VenueFigure.objects.create(report=submitted, partner=venue, sector="culture", adult=1, child=1)
            IssuerFigure.objects.create(report=submitted, partner=issuer, cards_registered=1)

    add_rows(3)
    few = _queries(staff_client, _review_url(submitted))
    add_rows(27)
    services.report_return(actor=staff_user, report=submitted, comment="Tarkista.", notify=False)
    ReportEvent.objects.create(report=submitted, action=ReportEvent.Action.SUBMITTED)
    assert _queries(staff_client, _review_url(submitted)) == few
