from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from communications import selectors
from communications.models import Acknowledgement, NewsItem

pytestmark = pytest.mark.django_db


def test_demo_has_a_dozen_news_over_two_years_with_each_kind(demo_data):
    items = NewsItem.objects.all()
    assert items.count() == 12
    oldest, newest = items.order_by("publish_at").first(), items.order_by("publish_at").last()
    assert (timezone.now() - oldest.publish_at).days >= 600
    assert newest.publish_at > timezone.now()  # scheduled for tomorrow
    assert NewsItem.objects.public().count() == 9
    assert items.filter(audience="coordinators").exists()
    assert items.filter(pinned=True).count() == 1
    assert items.filter(to_acknowledge=True).count() == 1
    assert items.exclude(title_sv="").count() >= 5 and items.exclude(title_en="").count() >= 4
    (status,) = selectors.acknowledgement_status()
    assert 0 < status.acknowledged < status.total
    assert Acknowledgement.objects.exists()


def test_seeding_again_changes_nothing(demo_data):
    counts = (NewsItem.objects.count(), Acknowledgement.objects.count(), NewsItem.history.count())
    call_command("seed_demo", stdout=StringIO())
    assert (NewsItem.objects.count(), Acknowledgement.objects.count(), NewsItem.history.count()) == counts


def test_demo_has_a_sent_newsletter_a_draft_and_subscribers(demo_data, client):
    from communications.models import Newsletter, Subscriber

    sent = Newsletter.objects.sent().get()
    assert sent.recipients_count and sent.items.exists()
    assert Newsletter.objects.filter(sent_at__isnull=True).count() == 1
    assert Subscriber.objects.receiving().count() == 3 and Subscriber.objects.opted_out().count() == 1
    assert client.get(f"/sv/newsletter/{sent.pk}/").status_code == 200


def test_seeding_again_leaves_the_newsletters_as_they_are(demo_data):
    from communications.models import Newsletter, Subscriber

    counts = (Newsletter.objects.count(), Subscriber.objects.count(), Newsletter.history.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Newsletter.objects.count(), Subscriber.objects.count(), Newsletter.history.count()) == counts
