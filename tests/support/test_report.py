import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from support import report
from support.models import Category
from tests.localities.factories import LocalityFactory
from tests.support.factories import QuestionFactory

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def _asked(day: datetime.date, **values):
    asked_at = datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=HELSINKI)
    return QuestionFactory(asked_at=asked_at, **values)


def test_counts_median_first_reply_share_within_target_and_flagged_sections():
    kajaani, tornio = LocalityFactory(name_fi="Kajaani"), LocalityFactory(name_fi="Tornio")
    monday = datetime.date(2026, 3, 2)
    # First replies after 1, 2 and 5 working days (the target is 3 working days: Thursday the 5th).
    _asked(monday, locality=kajaani, category=Category.STATISTICS, done_on=datetime.date(2026, 3, 3))
    _asked(monday, locality=kajaani, category=Category.STATISTICS, done_on=datetime.date(2026, 3, 4))
    _asked(monday, locality=tornio, category=Category.STATISTICS, done_on=datetime.date(2026, 3, 9))
    _asked(datetime.date(2026, 4, 1), locality=None, category=Category.PILOT)
    _asked(datetime.date(2025, 4, 1), locality=tornio, category=Category.PILOT)  # another year
    yearly = report.yearly(year=2026)
    assert yearly.total == 4
    assert yearly.counts == [
        ("Kajaani", "Tilastot", 3, 2),
        ("Tornio", "Tilastot", 3, 1),
        ("Valtakunnallinen", "Pilotti", 4, 1),
    ]
    assert yearly.median_working_days == 2
    assert (yearly.within_target, yearly.replied) == (2, 3)
    flagged = [label for label, _count, is_flagged in yearly.by_category if is_flagged]
    assert flagged == ["Pilotti", "Tilastot"]


def test_the_report_page_and_its_spreadsheets(client, staff):
    _asked(datetime.date(2026, 5, 4), locality=LocalityFactory(name_fi="Kajaani"), category=Category.MATERIALS)
    client.force_login(staff)
    page = client.get(reverse("support:report"), {"year": 2026}).content.decode()
    assert "Materiaalit ja toimintamalli" in page and "tarkista tämä osio" in page
    csv = client.get(reverse("support:report-export", kwargs={"file_format": "csv"}), {"year": 2026})
    assert csv["Content-Disposition"] == 'attachment; filename="support-questions-2026.csv"'
    assert "Kajaani" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("support:report-export", kwargs={"file_format": "xlsx"}), {"year": 2026})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert client.get(reverse("support:report-export", kwargs={"file_format": "exe"})).status_code == 404
