"""No English on the staff workspace's pages in Finnish and Swedish (tests/test_translations.py's rule, walked
over the workspace: the front page, the pilot board, a locality, the rounds, a report's review, the years and
the publishing confirmation)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tests.test_translations import LANGUAGES, english_msgids, walk


@pytest.fixture(scope="module")
def msgids():
    return english_msgids()


@pytest.fixture
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_the_staff_workspace(staff_client, locality, msgids, language):
    from stats import aggregation
    from tests.localities.factories import FeedbackMeetingFactory, FollowUpActionFactory, PilotFactory
    from tests.stats.factories import FILLED, ReportFactory, yearly_round
    from tests.trainings.factories import RegistrationFactory, TrainingFactory, in_days

    PilotFactory(locality=locality)
    FollowUpActionFactory(meeting=FeedbackMeetingFactory(locality=locality), due_on=datetime.date(2025, 1, 1))
    ReportFactory(round=yearly_round(2024), locality=locality, status="approved", **FILLED)
    report = ReportFactory(
        round=yearly_round(2025),
        locality=locality,
        status="submitted",
        **{**FILLED, "cards_registered": 400},
        explanations={"change:cards_registered": "Uusi kortinjakaja."},
    )
    aggregation.aggregate_year(year=2024)
    RegistrationFactory(training=TrainingFactory(starts_at=in_days(-2), registration_opens_at=in_days(-20)))
    pages = {
        "front page": reverse("portal"),
        "pilot board": reverse("localities:staff-pilots"),
        "locality": reverse("localities:staff-locality", kwargs={"slug": locality.slug}),
        "rounds": reverse("stats:staff-rounds"),
        "round": reverse("stats:staff-round", kwargs={"pk": report.round_id}),
        "report": reverse("stats:staff-report", kwargs={"pk": report.pk}),
        "years": reverse("stats:staff-years"),
        "year": reverse("stats:staff-year", kwargs={"year": 2024}),
        "publish": reverse("stats:staff-year-publish", kwargs={"year": 2024}),
    }
    # Names the test data gives in one language only (a locality's, a person's) are not the pages' English.
    assert walk(staff_client, pages, language=language, msgids=msgids) == {}
