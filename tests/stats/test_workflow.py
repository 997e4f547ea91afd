"""The reports' workflow services (stats/services.py): who may do what, and when a report locks."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaikukeskus.locking import StaleVersionError
from localities.models import Locality
from stats import services
from stats.models import LocalityReport, ReportEvent, ReportingRound
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory
from tests.networks.factories import IssuerFactory, PartnerFactory
from tests.stats.factories import FILLED, ReportFactory, yearly_round

pytestmark = pytest.mark.django_db


# A submission with both breakdowns, 21 queries: the report locked and read, the coordinator's scope, the
# network (once), the version bumped, the save (a check constraint validated in a savepoint) and its history,
# each breakdown deleted and written, the findings (the breakdowns as saved, last year's report), the submission
# and its history, the event, and the submission's own savepoint.
SUBMIT_QUERIES = 21


def on(day: datetime.date):
    """Today is `day` for the models and services (`timezone.localdate`)."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def save(report, actor, **data):
    return services.report_save(actor=actor, report=report, data=data, expected_version=report.version)


def submit(report, actor, **kwargs):
    return services.report_submit(actor=actor, report=report, expected_version=report.version, **kwargs)


@pytest.fixture
def filled(report):
    LocalityReport.objects.filter(pk=report.pk).update(**FILLED)
    report.refresh_from_db()
    return report


@pytest.fixture
def submitted(filled, coordinator):
    return submit(filled, coordinator)


# --- Opening a round --------------------------------------------------------------------------------------


def test_opening_a_round_creates_a_prefilled_draft_for_each_running_locality(staff, locality):
    Locality.objects.filter(pk=locality.pk).update(pilot_start_on=datetime.date(2024, 3, 1))
    locality.municipalities.set(locality.municipalities.model.objects.filter(code__in=["205", "765"]))
    PartnerFactory(locality=locality, joined_on=datetime.date(2024, 1, 1))
    PartnerFactory(locality=locality, joined_on=datetime.date(2024, 1, 1), left_on=datetime.date(2025, 6, 1))
    IssuerFactory(locality=locality, joined_on=datetime.date(2024, 1, 1))
    prospect = LocalityFactory(status=Locality.Status.PROSPECT)
    reporting_round = yearly_round(2025, status=ReportingRound.Status.PLANNED)
    assert services.round_open(actor=staff, reporting_round=reporting_round) == 1
    report = LocalityReport.objects.get(round=reporting_round)
    assert report.locality == locality and report.status == LocalityReport.Status.DRAFT
    assert (report.municipalities, report.issuers, report.venues) == (2, 1, 1)
    assert not LocalityReport.objects.filter(locality=prospect).exists()
    assert services.round_open(actor=staff, reporting_round=reporting_round) == 0  # idempotent


def test_only_staff_open_and_close_rounds(coordinator, reporting_round):
    with pytest.raises(PermissionDenied):
        services.round_open(actor=coordinator, reporting_round=reporting_round)
    with pytest.raises(PermissionDenied):
        services.round_close(actor=coordinator, reporting_round=reporting_round)


# --- Saving and submitting ---------------------------------------------------------------------------------


def test_a_coordinator_saves_a_draft_with_blanks(report, coordinator):
    saved = save(report, coordinator, cards_registered=10, adult_culture=None, highlights="Hyvä vuosi")
    assert (saved.cards_registered, saved.adult_culture, saved.highlights) == (10, None, "Hyvä vuosi")
    assert saved.version == report.version + 1
    assert saved.status == LocalityReport.Status.DRAFT


def test_a_draft_refuses_a_wrong_figure_by_field_and_saves_nothing(report, coordinator):
    with pytest.raises(ValidationError) as raised:
        save(report, coordinator, cards_registered=-1, highlights="x")
    assert set(raised.value.message_dict) == {"cards_registered"}
    report.refresh_from_db()
    assert report.highlights == "" and report.version == 1


@pytest.mark.parametrize("role", ["other_coordinator", "former_coordinator", "visitor"])
def test_only_the_localitys_coordinators_and_staff_save(request, report, role, locality):
    if role == "former_coordinator":
        today = timezone.localdate()
        actor = CoordinatorFactory(
            locality=locality, started_on=today - datetime.timedelta(days=300), ended_on=today
        ).user
    else:
        actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        save(report, actor, cards_registered=1)
    report.refresh_from_db()
    assert report.cards_registered is None


def test_staff_may_save_any_localitys_draft(report, staff):
    assert save(report, staff, cards_registered=3).cards_registered == 3


def test_a_stale_version_is_refused_and_says_what_is_saved(report, coordinator, staff):
    save(report, staff, cards_registered=5)
    with pytest.raises(StaleVersionError) as raised:
        services.report_save(actor=coordinator, report=report, data={"cards_registered": 6}, expected_version=1)
    assert raised.value.current.cards_registered == 5
    report.refresh_from_db()
    assert report.cards_registered == 5


def test_submitting_needs_every_figure(report, coordinator):
    with pytest.raises(ValidationError) as raised:
        submit(report, coordinator, data={"cards_registered": 5})
    assert "cards_activated" in raised.value.message_dict
    report.refresh_from_db()
    assert report.status == LocalityReport.Status.DRAFT and report.cards_registered is None  # all or nothing


def test_submitting_needs_an_explanation_of_each_warning(filled, coordinator):
    with pytest.raises(ValidationError) as raised:
        submit(filled, coordinator, data={"venues": 0})
    assert set(raised.value.message_dict) == {"explanation:uses_without_venues"}
    filled.refresh_from_db()
    assert filled.status == LocalityReport.Status.DRAFT and filled.venues == 12
    done = submit(
        filled, coordinator, data={"venues": 0}, explanations={"uses_without_venues": "Kohteet ovat naapurikunnassa."}
    )
    assert done.status == LocalityReport.Status.SUBMITTED
    assert done.explanations == {"uses_without_venues": "Kohteet ovat naapurikunnassa."}


def test_a_warning_against_last_year_needs_its_explanation(filled, coordinator, locality):
    last_year = yearly_round(2024)
    ReportFactory(
        round=last_year, locality=locality, status=LocalityReport.Status.APPROVED, **{**FILLED, "cards_registered": 40}
    )
    with pytest.raises(ValidationError) as raised:
        submit(filled, coordinator)
    assert set(raised.value.message_dict) == {"explanation:change:cards_registered"}
    explained = {"change:cards_registered": "Uusi kortinjakaja aloitti."}
    assert submit(filled, coordinator, explanations=explained).status == LocalityReport.Status.SUBMITTED


def test_submitting_records_who_when_and_the_event(filled, coordinator):
    done = submit(filled, coordinator)
    assert done.submitted_by == coordinator and done.first_submitted_at == done.submitted_at
    event = ReportEvent.objects.get(report=done)
    assert (event.action, event.actor) == (ReportEvent.Action.SUBMITTED, coordinator)


def test_the_breakdowns_are_checked_against_the_network_and_the_totals(filled, coordinator, other_locality):
    from stats.validation import IssuerRow

    issuer = IssuerFactory(locality=filled.locality, joined_on=datetime.date(2024, 1, 1))
    stranger = IssuerFactory(locality=other_locality, joined_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as raised:
        submit(filled, coordinator, issuer_rows=[IssuerRow(stranger.pk, 120)])
    assert raised.value.message_dict[None]
    with pytest.raises(ValidationError) as raised:
        submit(filled, coordinator, issuer_rows=[IssuerRow(issuer.pk, 119)])
    assert set(raised.value.message_dict) == {"cards_registered"}
    done = submit(filled, coordinator, issuer_rows=[IssuerRow(issuer.pk, 120)])
    assert list(done.issuer_figures.values_list("partner_id", "cards_registered")) == [(issuer.pk, 120)]


def test_a_submission_reads_the_network_once(filled, coordinator, django_assert_num_queries):
    """Saving checks the breakdowns against the locality's partners in the period; the submission's check of the
    saved report uses the same ids instead of reading them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stats.validation import IssuerRow, VenueRow

    issuer = IssuerFactory(locality=filled.locality, joined_on=datetime.date(2024, 1, 1))
    venue_rows = [
        VenueRow(
            PartnerFactory(locality=filled.locality, joined_on=datetime.date(2024, 1, 1), sector=sector).pk,
            sector,
            getattr(filled, f"adult_{sector}"),
            getattr(filled, f"child_{sector}"),
        )
        for sector in ("culture", "education", "science", "sports")
    ]
    with CaptureQueriesContext(connection) as queries, django_assert_num_queries(SUBMIT_QUERIES):
        done = submit(filled, coordinator, venue_rows=venue_rows, issuer_rows=[IssuerRow(issuer.pk, 120)])
    assert done.status == LocalityReport.Status.SUBMITTED
    partner_reads = [query["sql"] for query in queries if 'FROM "networks_partner"' in query["sql"]]
    assert len(partner_reads) == 1, partner_reads


# --- Who may do what with a submitted or approved report ----------------------------------------------------


def test_a_coordinator_cannot_edit_a_submitted_report(submitted, coordinator):
    with pytest.raises(services.ReportLockedError):
        save(submitted, coordinator, cards_registered=1)
    with pytest.raises(services.ReportLockedError):
        submit(submitted, coordinator)


@pytest.mark.parametrize("action", ["approve", "return", "reopen"])
def test_a_coordinator_cannot_review(submitted, coordinator, action):
    call = {
        "approve": lambda: services.report_approve(actor=coordinator, report=submitted),
        "return": lambda: services.report_return(actor=coordinator, report=submitted, comment="Korjaa"),
        "reopen": lambda: services.report_reopen(
            actor=coordinator, report=submitted, until=datetime.date(2099, 1, 1), reason="Korjaus"
        ),
    }[action]
    with pytest.raises(PermissionDenied):
        call()
    submitted.refresh_from_db()
    assert submitted.status == LocalityReport.Status.SUBMITTED


def test_staff_approve_once_and_the_report_locks(submitted, staff, coordinator):
    approved = services.report_approve(actor=staff, report=submitted)
    assert approved.status == LocalityReport.Status.APPROVED and not approved.editable_by_coordinators()
    with pytest.raises(services.AlreadyReviewedError):
        services.report_approve(actor=StaffFactory(), report=submitted)
    with pytest.raises(services.ReportLockedError):
        save(approved, coordinator, cards_registered=1)


def test_returning_needs_a_comment_and_tells_the_coordinators(
    submitted, staff, coordinator, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        services.report_return(actor=staff, report=submitted, comment="  ")
    coordinator.preferred_language = "sv"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.report_return(actor=staff, report=submitted, comment="Tarkista liikuntakäynnit.")
    assert returned.status == LocalityReport.Status.RETURNED and returned.editable_by_coordinators()
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert "returnerades" in message.subject and "\n" not in message.subject
    assert "Tarkista liikuntakäynnit." in message.body
    assert f"/sv/portal/localities/{submitted.locality.slug}/statistics/{submitted.pk}/" in message.body
    # The coordinators fix it and submit again: the first submission still counts for timeliness.
    first = returned.first_submitted_at
    again = submit(returned, coordinator)
    assert again.status == LocalityReport.Status.SUBMITTED and again.first_submitted_at == first


def test_a_reopened_report_is_editable_until_its_last_day_and_locks_by_itself(
    submitted, staff, coordinator, django_capture_on_commit_callbacks
):
    approved = services.report_approve(actor=staff, report=submitted)
    until = timezone.localdate() + datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        reopened = services.report_reopen(actor=staff, report=approved, until=until, reason="Liikunta puuttui.")
    assert reopened.status == LocalityReport.Status.REOPENED
    [message] = mail.outbox
    assert "Liikunta puuttui." in message.body and "korjattavaksi" in message.subject  # Finnish, the default
    with on(until):
        assert reopened.editable_by_coordinators()
        save(reopened, coordinator, highlights="Korjattu")
    reopened.refresh_from_db()
    with on(until + datetime.timedelta(days=1)):
        assert not reopened.editable_by_coordinators()
        with pytest.raises(services.ReportLockedError):
            save(reopened, coordinator, highlights="Liian myöhään")


def test_reopening_needs_a_reason_and_a_day_not_past(submitted, staff):
    approved = services.report_approve(actor=staff, report=submitted)
    with on(datetime.date(2026, 3, 1)), pytest.raises(ValidationError) as raised:
        services.report_reopen(actor=staff, report=approved, until=datetime.date(2026, 2, 28), reason=" ")
    assert set(raised.value.message_dict) == {"until", "reason"}


def test_a_draft_locks_when_its_round_closes(report, staff, coordinator):
    services.round_close(actor=staff, reporting_round=report.round)
    report.refresh_from_db()
    with pytest.raises(services.ReportLockedError):
        save(report, coordinator, cards_registered=1)


def test_the_query_and_the_model_agree_on_what_coordinators_may_edit(locality):
    today = datetime.date(2026, 3, 1)
    reports = []
    for index, (round_status, status, until) in enumerate(
        (round_status, status, until)
        for round_status in ReportingRound.Status.values
        for status in LocalityReport.Status.values
        for until in (None, today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1))
        if (status == LocalityReport.Status.REOPENED) == (until is not None)
    ):
        reporting_round = yearly_round(1900 + index, status=round_status)
        reports.append(ReportFactory(round=reporting_round, locality=locality, status=status, reopened_until=until))
    editable = set(LocalityReport.objects.editable_by_coordinators(today).values_list("pk", flat=True))
    assert editable == {report.pk for report in reports if report.editable_by_coordinators(today)}
    assert 0 < len(editable) < len(reports)


# --- E-mail -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "date"),
    [
        ("fi", "korjattavaksi", "15. maaliskuuta 2026"),
        ("sv", "öppnades", "15 mars 2026"),
        ("en", "open for correction", "15 March 2026"),
    ],
)
def test_the_emails_speak_the_coordinators_language(filled, coordinator, language, subject, date, outbox):
    coordinator.preferred_language = language
    coordinator.save()
    LocalityReport.objects.filter(pk=filled.pk).update(
        status=LocalityReport.Status.REOPENED, reopened_until=datetime.date(2026, 3, 15), reopen_reason="Syy"
    )
    filled.refresh_from_db()
    assert services.send_report_email(report=filled, template="stats/email/report_reopened.txt") == 1
    [message] = outbox.deliver()
    assert subject in message.subject
    assert date in message.body and "Syy" in message.body
    prefix = "" if language == "fi" else f"/{language}"
    assert f"{prefix}/portal/localities/{filled.locality.slug}/statistics/{filled.pk}/" in message.body


def test_a_return_is_saved_when_the_mail_server_is_down_and_the_mail_goes_once_later(
    submitted, staff, coordinator, outbox, django_capture_on_commit_callbacks
):
    from django.conf import settings
    from django.test import override_settings
    from post_office.models import STATUS, Email

    outbox.clear()
    down = {**settings.POST_OFFICE, "BACKENDS": {"default": "tests.kaikukeskus.test_mail.FailingBackend"}}
    with override_settings(POST_OFFICE=down), django_capture_on_commit_callbacks(execute=True):
        returned = services.report_return(actor=staff, report=submitted, comment="Tarkista liikuntakäynnit.")
    assert returned.status == LocalityReport.Status.RETURNED
    assert Email.objects.get().status == STATUS.requeued and mail.outbox == []
    Email.objects.update(scheduled_time=timezone.now())
    assert [message.to for message in outbox.deliver()] == [[coordinator.email]]
    assert len(outbox.deliver()) == 1, "once"
