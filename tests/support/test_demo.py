import pytest
from django.contrib.auth import get_user_model

from kaikukeskus.demo import DemoContext
from support import demo
from support.models import Article, Attachment, Booking, CannedReply, Message, Question, Slot

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Question.objects.order_by("pk").values_list("pk", "subject", "state")),
        Message.objects.count(),
        Article.objects.count(),
        CannedReply.objects.count(),
        Slot.objects.count(),
        Booking.objects.count(),
    )


def test_demo_support_covers_every_case_and_is_idempotent(demo_data):
    assert set(Question.objects.values_list("state", flat=True)) == set(Question.State.values)
    assert Question.objects.values("locality").distinct().count() >= 3
    assert Message.objects.filter(is_internal=True).exists() and Attachment.objects.exists()
    for visibility in Article.Visibility.values:
        assert Article.objects.filter(visibility=visibility).count() >= 12
    assert (
        CannedReply.objects.count() >= 3 and Booking.objects.exists() and Slot.objects.count() > Booking.objects.count()
    )
    before = _snapshot()
    context = DemoContext(password="x")
    context.staff = get_user_model().objects.get(email="staff@demo.kaikukortti.test")
    demo.seed(context)
    assert _snapshot() == before
