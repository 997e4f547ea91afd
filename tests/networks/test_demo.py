import pytest

from kaikukeskus.demo import DemoContext
from localities.models import Locality
from networks.models import ContactPerson, Partner

pytestmark = pytest.mark.django_db


def seed():
    from kaikukeskus import demo as kaikukeskus_demo
    from localities import demo as localities_demo
    from networks import demo as networks_demo

    context = DemoContext(password="demo-password-123")
    kaikukeskus_demo.seed(context)
    localities_demo.seed(context)
    networks_demo.seed(context)


def test_demo_partners_cover_both_roles_all_sectors_ended_and_missing_primary_and_are_idempotent(demo_data):
    counts = (Partner.objects.count(), ContactPerson.objects.count(), Partner.history.count())
    seed()
    assert (Partner.objects.count(), ContactPerson.objects.count(), Partner.history.count()) == counts
    for locality in Locality.objects.exclude(status=Locality.Status.PROSPECT):
        partners = Partner.objects.filter(locality=locality)
        assert partners.count() >= 10, locality
        assert set(partners.values_list("role", flat=True)) == {"issuer", "venue"}
        assert set(partners.venues().values_list("sector", flat=True)) == {"culture", "education", "science", "sports"}
        assert partners.filter(left_on__isnull=False).exists()
        assert partners.active().without_primary_contact().exists()
        assert ContactPerson.objects.filter(partner__locality=locality).exists()
    assert not Partner.objects.filter(locality__status=Locality.Status.PROSPECT).exists()


def test_demo_has_accessibility_commitments_self_assessments_and_a_proposed_issuer(demo_data):
    from networks.models import Approval, SelfAssessment, VenueAccessibility

    answers = list(VenueAccessibility.objects.all())
    assert any(a.is_stale for a in answers) and any(not a.is_stale for a in answers)
    assert any(a.induction_loop == "yes" for a in answers)
    assert any(a.booking_fi and a.booking_sv and a.booking_en for a in answers)
    assert any(a.covers and a.companion_free == "yes" for a in answers)
    assert any(a.parking == "unknown" for a in answers)  # partial answers
    assert SelfAssessment.objects.filter(items__isnull=False).distinct().count() >= 12
    assert Partner.objects.filter(approval=Approval.PROPOSED).exists()
