import datetime

import pytest
from django.utils import timezone, translation

from kaikukeskus import history
from stats import services
from stats.models import LocalityReport, ReportingRound
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import LocalityFactory

pytestmark = pytest.mark.django_db


def _approved_report(staff) -> LocalityReport:
    day = datetime.date(2024, 1, 1)
    reporting_round = ReportingRound.objects.create(
        title="2024",
        period_start=day,
        period_end=day.replace(month=12, day=31),
        opens_on=day,
        due_on=day,
        closes_on=day,
    )
    return LocalityReport.objects.create(
        round=reporting_round, locality=LocalityFactory(), status=LocalityReport.Status.APPROVED
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_long_reason_fits_the_history_column_in_every_language(language):
    """The change reason's column holds 100 characters: a Finnish prefix and an 80-character cut of the reason
    went past it (PostgreSQL refused the reopening)."""
    staff = StaffFactory()
    report = _approved_report(staff)
    with translation.override(language):
        services.report_reopen(
            actor=staff, report=report, until=timezone.localdate(), reason="Korjattavaa " * 20, notify=False
        )
    reason = report.history.latest().history_change_reason
    assert len(reason) <= history.REASON_LENGTH and reason.endswith("…")
    assert reason.startswith("report.reopened: Korjattavaa"), "the key is stored, not its translation"
