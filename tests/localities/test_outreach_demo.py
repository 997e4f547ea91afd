"""seed_demo's outreach: interest submissions in several states and languages, owners, overdue next steps and a
lost prospect; seeding again adds nothing."""

import pytest
from django.contrib.auth import get_user_model

from kaikukeskus.demo import DemoContext
from localities import demo, selectors
from localities.models import InterestSubmission, Locality, ProspectContact

pytestmark = pytest.mark.django_db


def test_demo_outreach_covers_the_pipeline_and_is_idempotent(demo_data):
    staff = get_user_model().objects.get(email="staff@demo.kaikukortti.test")
    submissions = InterestSubmission.objects.all()
    assert {s.outcome for s in submissions} == set(InterestSubmission.Outcome.values)
    assert {s.language for s in submissions} == {"fi", "sv", "en"}
    assert submissions.values("owner").distinct().count() == 2

    rows = selectors.pipeline(user=staff)
    assert any(row.next_step_overdue for row in rows) and any(not row.next_step_overdue for row in rows)
    assert all(row.locality.owner_id for row in rows if row.locality.slug.startswith("prospect-"))
    lost = list(selectors.lost_prospects(user=staff))
    assert [locality.name_fi for locality in lost] == ["Ylöjärvi"] and lost[0].lost_reason
    assert not Locality.objects.public().filter(slug__startswith="prospect-").exists()

    before = (InterestSubmission.objects.count(), ProspectContact.objects.count(), Locality.objects.count())
    context = DemoContext(password="x")
    context.staff = staff
    demo.seed(context)
    assert (InterestSubmission.objects.count(), ProspectContact.objects.count(), Locality.objects.count()) == before
