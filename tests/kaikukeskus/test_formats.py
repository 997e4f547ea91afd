"""Dates follow the language, day first in every one of them: Finnish 1.3.2026, Swedish as written in Finland
(1.3.2026, 1 mars 2026), English 1 March 2026. Never month-first, on pages, in e-mails or in what a form
accepts."""

import datetime
import re

import pytest
from django import forms
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format

from localities import services
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import LocalityFactory, MilestoneFactory, PilotFactory
from tests.networks.factories import PartnerFactory

pytestmark = pytest.mark.django_db

MARCH_1 = datetime.date(2026, 3, 1)
PREFIXES = {"fi": "", "sv": "/sv", "en": "/en"}
EXPECTED = {
    # language: (long form, short form)
    "fi": ("1. maaliskuuta 2026", "1.3.2026"),
    "sv": ("1 mars 2026", "1.3.2026"),
    "en": ("1 March 2026", "1 Mar 2026"),
}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_FIRST = [
    re.compile(rf"\b({MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{{1,2}}, \d{{4}}"),  # March 1, 2026
    re.compile(r"\b0?3/0?1/(20)?26\b"),  # 03/01/2026, 3/1/26
    re.compile(r"\b(mars|maaliskuu\w*) \d{1,2}\b", re.IGNORECASE),  # mars 1
]


def assert_day_first(text: str, language: str) -> None:
    found = [match.group(0) for pattern in MONTH_FIRST for match in pattern.finditer(text)]
    assert not found, f"month-first dates in {language}: {found}"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_named_formats_are_day_first(language):
    long_form, short_form = EXPECTED[language]
    with translation.override(language):
        assert date_format(MARCH_1) == long_form
        assert date_format(MARCH_1, "SHORT_DATE_FORMAT") == short_form
        moment = datetime.datetime(2026, 3, 1, 14, 30)  # noqa: DTZ001 - formatting only, no time zone involved
        assert_day_first(date_format(moment, "DATETIME_FORMAT"), language)
        assert_day_first(date_format(moment, "SHORT_DATETIME_FORMAT"), language)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_portal_pages_show_dates_day_first(client, coordinator, locality, language):
    locality.pilot_start_on = MARCH_1
    locality.save()
    pilot = PilotFactory(locality=locality, planned_start_on=MARCH_1, milestones=False)
    MilestoneFactory(pilot=pilot, due_on=MARCH_1)
    client.force_login(coordinator)
    long_form, short_form = EXPECTED[language]

    overview = client.get(f"{PREFIXES[language]}/portal/localities/{locality.slug}/").content.decode()
    checklist = client.get(f"{PREFIXES[language]}/portal/localities/{locality.slug}/pilot/").content.decode()

    assert long_form in overview  # the pilot start
    assert long_form in checklist  # "due dates count from the planned pilot start, …"
    assert short_form in checklist  # the milestone's due date in the table
    assert_day_first(overview, language)
    assert_day_first(checklist, language)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_overdue_reminder_email_dates_are_day_first(language, django_capture_on_commit_callbacks):
    StaffFactory(preferred_language=language)
    locality = LocalityFactory(pilot_start_on=datetime.date(2026, 1, 1))
    MilestoneFactory(pilot=PilotFactory(locality=locality, milestones=False), due_on=MARCH_1)

    with django_capture_on_commit_callbacks(execute=True):
        services.overdue_reminders_send(on=datetime.date(2026, 3, 10))

    (message,) = mail.outbox
    assert EXPECTED[language][1] in message.body
    assert_day_first(message.body, language)


@pytest.mark.parametrize(
    ("language", "typed"),
    [("en", "01/03/2026"), ("en", "1.3.2026"), ("en", "1 March 2026"), ("sv", "1.3.2026"), ("fi", "1.3.2026")],
)
def test_typed_dates_are_read_day_first(language, typed):
    """What a date field in the admin accepts: 01/03/2026 is 1 March in English too, and Swedish takes the
    Finnish way of writing it."""
    with translation.override(language):
        assert forms.DateField().clean(typed) == MARCH_1


def test_english_slashes_are_not_read_month_first():
    with translation.override("en"):
        assert forms.DateField().clean("03/01/2026") == datetime.date(2026, 1, 3)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_partner_end_confirmation_writes_the_date_in_the_language(coordinator_client, locality, language):
    partner = PartnerFactory(locality=locality, joined_on=datetime.date(2025, 1, 1))
    url = f"{PREFIXES[language]}/portal/localities/{locality.slug}/partners/{partner.pk}/end/"

    response = coordinator_client.post(url, {"left_on": "2026-03-01"}, follow=True)

    (message,) = [str(message) for message in response.context["messages"]]
    assert EXPECTED[language][1] in message
    assert_day_first(message, language)


@pytest.mark.parametrize("language", EXPECTED)
def test_names_of_dated_records_carry_the_languages_date(language):
    """Admin lists, select boxes and history name a meeting or an agreement by its date: in the language's own
    short form, not ISO."""
    from tests.localities.factories import FeedbackMeetingFactory, LocalityAgreementFactory

    meeting = FeedbackMeetingFactory(held_on=MARCH_1)
    agreement = LocalityAgreementFactory(title="", signed_on=MARCH_1)
    with translation.override(language):
        names = f"{meeting} | {agreement}"
    assert EXPECTED[language][1] in names and "2026-03-01" not in names, names
