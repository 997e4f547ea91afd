import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kaikukeskus.demo import DemoContext
from trainings import demo, selectors
from trainings.models import Registration, Training

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Training.objects.order_by("pk").values_list("pk", "title_fi", "starts_at", "status", "capacity")),
        list(Registration.objects.order_by("pk").values_list("pk", "status", "email")),
        Training.history.count(),
        Registration.history.count(),
    )


def test_demo_trainings_cover_every_case_and_are_idempotent(demo_data):
    before = _snapshot()
    context = DemoContext(password="x")
    context.staff = get_user_model().objects.get(email="staff@demo.kaikukortti.test")
    demo.seed(context)
    assert _snapshot() == before
    now = timezone.now()
    upcoming = Training.objects.upcoming(now)
    meeting = upcoming.get(kind=Training.Kind.NATIONAL_MEETING)
    assert meeting.format == Training.Format.ONLINE and meeting.online_link
    assert upcoming.filter(kind=Training.Kind.COORDINATOR_TRAINING).exists()
    assert upcoming.filter(kind=Training.Kind.PARTNER_BRIEFING).exists()
    full = upcoming.with_seats_taken().get(kind=Training.Kind.WORKSHOP)
    assert full.seats_taken == full.capacity and full.registrations.waitlist().count() == 2
    past = Registration.objects.filter(training__ends_at__lt=now)
    assert past.filter(status=Registration.Status.ATTENDED).exists()
    assert past.filter(status=Registration.Status.NO_SHOW).exists()
    # Coverage has trained and untrained sides; a new coordinator is offered the onboarding.
    assert any(entry.untrained_sides for entry in selectors.coverage())
    nokia = get_user_model().objects.get(email="coordinator.nokia@demo.kaikukortti.test")
    assert selectors.next_onboarding_for(user=nokia) is not None
