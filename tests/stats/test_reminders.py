"""Reminders of reports not yet submitted: the daily task's kinds (14 and 3 days before the due date, overdue),
once per report and kind, each coordinator in their own language; staff's button for the missing."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stats import services
from stats.models import LocalityReport, ReportingRound, ReportReminder
from stats.tasks import send_report_reminders
from tests.localities.factories import CoordinatorFactory, LocalityFactory
from tests.stats.factories import ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db

K = ReportReminder.Kind
S = LocalityReport.Status
# Relative to today: the coordinators' memberships start today.
DUE = timezone.localdate() + datetime.timedelta(days=20)


@pytest.fixture
def reporting_round():
    return RoundFactory(
        title="2025",
        opens_on=DUE - datetime.timedelta(days=60),
        due_on=DUE,
        closes_on=DUE + datetime.timedelta(days=30),
    )


@pytest.fixture
def report(reporting_round, locality, coordinator):
    return ReportFactory(round=reporting_round, locality=locality)


def _days_before(days):
    return DUE - datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("on", "kind"),
    [
        (_days_before(30), None),
        (_days_before(15), None),
        (_days_before(14), K.DUE_IN_14),
        (_days_before(4), K.DUE_IN_14),
        (_days_before(3), K.DUE_IN_3),
        (DUE, K.DUE_IN_3),
        (DUE + datetime.timedelta(days=1), K.OVERDUE),
        (DUE + datetime.timedelta(days=90), K.OVERDUE),
    ],
)
def test_the_kind_of_the_day(reporting_round, on, kind):
    assert services.reminder_kind(reporting_round, on=on) == kind


def test_each_kind_goes_once_per_report(report, coordinator, django_capture_on_commit_callbacks):
    for day, expected_kind in [(14, K.DUE_IN_14), (10, None), (3, K.DUE_IN_3), (1, None), (-1, K.OVERDUE), (-5, None)]:
        with django_capture_on_commit_callbacks(execute=True):
            result = services.reminders_send(on=_days_before(day))
        assert result.reports == (1 if expected_kind else 0), day
    assert list(ReportReminder.objects.values_list("kind", flat=True)) == [K.DUE_IN_14, K.DUE_IN_3, K.OVERDUE]
    assert len(mail.outbox) == 3
    assert [message.to for message in mail.outbox] == [[coordinator.email]] * 3


def test_running_twice_the_same_day_sends_nothing_more(report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(on=_days_before(3))
        services.reminders_send(on=_days_before(3))
    assert len(mail.outbox) == 1
    assert ReportReminder.objects.count() == 1


def test_a_missed_day_still_sends_the_kind(report, django_capture_on_commit_callbacks):
    """The task did not run 14 days before: 12 days before, the 14-day reminder goes."""
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(on=_days_before(12))
    assert ReportReminder.objects.get().kind == K.DUE_IN_14
    assert len(mail.outbox) == 1


def test_only_reports_still_with_the_coordinators_of_open_rounds(
    reporting_round, locality, coordinator, django_capture_on_commit_callbacks
):
    reminded = {}
    for status in S.values:
        place = LocalityFactory(slug=f"place-{status}")
        CoordinatorFactory(locality=place)
        reminded[status] = ReportFactory(round=reporting_round, locality=place, status=status)
    closed = RoundFactory(title="2024", period_start=datetime.date(2024, 1, 1))
    closed.status = ReportingRound.Status.CLOSED
    closed.save()
    ReportFactory(round=closed, locality=locality)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_send(on=_days_before(3))
    assert set(ReportReminder.objects.values_list("report__status", flat=True)) == {S.DRAFT, S.RETURNED}
    assert result.reports == 2
    assert len(mail.outbox) == 2


def test_each_coordinator_in_their_language(reporting_round, locality, django_capture_on_commit_callbacks, outbox):
    ReportFactory(round=reporting_round, locality=locality)
    for language in ("fi", "sv", "en"):
        CoordinatorFactory(
            locality=locality, user__email=f"{language}@kajaani.example.fi", user__preferred_language=language
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(on=_days_before(3))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"fi@kajaani.example.fi", "sv@kajaani.example.fi", "en@kajaani.example.fi"}
    assert "is due soon" in by_address["en@kajaani.example.fi"].subject
    assert f"{DUE.day}.{DUE.month}.{DUE.year}" in by_address["fi@kajaani.example.fi"].body
    assert "määräpäivä" in by_address["fi@kajaani.example.fi"].body
    assert "Kajana" in by_address["sv@kajaani.example.fi"].subject
    assert "/sv/portal/localities/kajaani/statistics/" in by_address["sv@kajaani.example.fi"].body
    overdue = services.reminders_send  # the overdue template too
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        overdue(on=DUE + datetime.timedelta(days=2))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "overdue" in by_address["en@kajaani.example.fi"].subject
    assert "myöhässä" in by_address["fi@kajaani.example.fi"].subject
    assert "försenad" in by_address["sv@kajaani.example.fi"].subject


def test_former_and_inactive_coordinators_get_nothing_and_a_locality_without_any_waits(
    reporting_round, locality, other_locality, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    CoordinatorFactory(locality=locality, started_on=today - datetime.timedelta(days=99), ended_on=today)
    CoordinatorFactory(locality=locality, user__is_active=False)
    ReportFactory(round=reporting_round, locality=locality)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_send(on=_days_before(3))
    assert result.reports == 0 and result.without_coordinators == (str(locality),)
    assert not mail.outbox and not ReportReminder.objects.exists()


def test_the_task_runs_the_service(report, django_capture_on_commit_callbacks):
    round_ = report.round
    round_.due_on = timezone.localdate() + datetime.timedelta(days=3)
    round_.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_report_reminders.delay().get() == 1
    assert len(mail.outbox) == 1


def test_the_beat_schedule_runs_the_task_daily(settings):
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "stats.tasks.send_report_reminders")
    assert entry["schedule"].day_of_week == set(range(7))


# --- Staff's button --------------------------------------------------------------------------------------


def test_staff_remind_the_missing_once_a_day(report, staff, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reminders_send_missing(actor=staff, reporting_round=report.round)
        second = services.reminders_send_missing(actor=staff, reporting_round=report.round)
    assert (first.reports, first.emails, second.reports) == (1, 1, 0)
    reminder = ReportReminder.objects.get()
    assert (reminder.kind, reminder.sent_by, reminder.recipients) == (K.MANUAL, staff, 1)
    assert len(mail.outbox) == 1
    # The scheduled kinds are separate: the daily task still sends its own.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(on=_days_before(3)).reports == 1


def test_only_staff_remind_and_only_open_rounds(report, coordinator, staff):
    with pytest.raises(PermissionDenied):
        services.reminders_send_missing(actor=coordinator, reporting_round=report.round)
    services.round_close(actor=staff, reporting_round=report.round)
    with pytest.raises(ValidationError):
        services.reminders_send_missing(actor=staff, reporting_round=report.round)


def test_the_overdue_reminder_names_the_last_day_only_while_it_is_ahead(
    reporting_round, report, coordinator, django_capture_on_commit_callbacks, outbox
):
    coordinator.preferred_language = "en"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(on=DUE + datetime.timedelta(days=2))
    assert "Late reports are accepted until" in mail.outbox[0].body
    ReportReminder.objects.all().delete()
    outbox.clear()
    # The round was left open past its closing day: no last day in the past is promised.
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(on=reporting_round.closes_on + datetime.timedelta(days=1))
    assert "Late reports are accepted until" not in mail.outbox[0].body
    assert "Fill in and submit the report in the coordinator portal:" in mail.outbox[0].body
