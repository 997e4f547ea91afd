"""Announcements to acknowledge: a coordinator sees one on the portal until they acknowledge it, staff see how many
localities have acknowledged and which have not, and the rest are reminded once, in their own language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communications import selectors, services
from communications.models import Acknowledgement
from tests.communications.factories import NewsItemFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcement():
    return NewsItemFactory(
        slug="kuitattava",
        title_fi="Kuitattava tiedote",
        title_sv="Meddelande att kvittera",
        body_sv="<p>Läs.</p>",
        audience="coordinators",
        to_acknowledge=True,
        reminder_after_days=5,
        publish_at=timezone.now() - datetime.timedelta(days=6),
    )


def test_coordinator_sees_the_announcement_on_the_portal_until_they_acknowledge(coordinator_client, announcement):
    portal = coordinator_client.get(reverse("portal")).content.decode()
    assert "Kuitattavat tiedotteet" in portal and "Kuitattava tiedote" in portal
    response = coordinator_client.post(reverse("communications:news-acknowledge", kwargs={"slug": "kuitattava"}))
    assert response.status_code == 302
    portal = coordinator_client.get(reverse("portal")).content.decode()
    assert "Kuitattavat tiedotteet" not in portal
    # A second click changes nothing.
    coordinator_client.post(reverse("communications:news-acknowledge", kwargs={"slug": "kuitattava"}))
    assert Acknowledgement.objects.filter(item=announcement).count() == 1


def test_a_coordinator_of_two_localities_acknowledges_for_both(announcement, coordinator, locality):
    second = LocalityFactory(slug="kuhmo", name_fi="Kuhmo")
    CoordinatorFactory(user=coordinator, locality=second)
    services.news_item_acknowledge(actor=coordinator, item=announcement)
    assert set(Acknowledgement.objects.values_list("locality__slug", flat=True)) == {"kajaani", "kuhmo"}
    assert selectors.awaiting_acknowledgement(user=coordinator) == []


def test_staff_see_how_many_localities_acknowledged_and_which_have_not(
    staff_client, announcement, coordinator, other_coordinator, locality
):
    CoordinatorFactory(locality=LocalityFactory(slug="oulu", name_fi="Oulu"))
    LocalityFactory(slug="ei-koordinaattoria", name_fi="Ilman koordinaattoria")  # not asked: nobody to answer
    services.news_item_acknowledge(actor=coordinator, item=announcement)
    (status,) = selectors.acknowledgement_status()
    assert (status.acknowledged, status.total) == (1, 3)
    assert [loc.slug for loc in status.missing] == ["oulu", "tornio"]
    portal = staff_client.get(reverse("portal")).content.decode()
    assert "1/3 paikkakuntaa kuitannut" in portal
    assert "Tornio" in portal and "Oulu" in portal
    admin = staff_client.get(reverse("admin:communications_newsitem_change", args=[announcement.pk]))
    assert "1/3 paikkakuntaa kuitannut" in admin.content.decode()


def test_acknowledgement_status_makes_three_queries_however_many_items(django_assert_num_queries, coordinator):
    for n in range(4):
        NewsItemFactory(slug=f"k-{n}", to_acknowledge=True, audience="coordinators")
    with django_assert_num_queries(3):
        assert len(selectors.acknowledgement_status()) == 4


def test_the_reminder_goes_once_to_the_localities_that_have_not_acknowledged_in_their_language(
    outbox, announcement, coordinator, other_coordinator
):
    other_coordinator.preferred_language = "sv"
    other_coordinator.save()
    services.news_item_acknowledge(actor=coordinator, item=announcement)
    assert services.acknowledgement_reminders_send() == 1
    assert services.acknowledgement_reminders_send() == 0  # once
    (message,) = outbox.deliver()
    assert message.to == [other_coordinator.email]
    assert message.subject == "Påminnelse: kvittera meddelandet ”Meddelande att kvittera”"
    assert "/sv/news/kuitattava/" in message.body
    announcement.refresh_from_db()
    assert announcement.reminder_sent_at is not None
    assert announcement.history.first().history_change_reason == "news.reminded"


def test_no_reminder_before_the_days_staff_chose(outbox, announcement, other_coordinator):
    announcement.publish_at = timezone.now() - datetime.timedelta(days=4)
    announcement.save()
    assert services.acknowledgement_reminders_send() == 0
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert services.acknowledgement_reminders_send(now=later) == 1


def test_the_beat_task_sends_the_reminders(outbox, announcement, other_coordinator):
    from communications.tasks import send_acknowledgement_reminders

    assert send_acknowledgement_reminders.delay().get() == 1
    assert len(outbox.deliver()) == 1


def test_staff_cannot_acknowledge_and_a_visitor_cannot_see_the_panel(staff, announcement):
    with pytest.raises(announcement.DoesNotExist):
        services.news_item_acknowledge(actor=staff, item=announcement)


def test_a_staff_only_item_cannot_be_to_acknowledge(staff):
    from django.core.exceptions import ValidationError

    from communications.models import NewsItem

    with pytest.raises(ValidationError):
        services.news_item_save(
            actor=staff,
            item=NewsItem(slug="x", title_fi="x", body_fi="<p>x</p>", audience="staff", to_acknowledge=True),
        )


def test_only_staff_write_news(coordinator):
    from django.core.exceptions import PermissionDenied

    from communications.models import NewsItem

    with pytest.raises(PermissionDenied):
        services.news_item_save(actor=coordinator, item=NewsItem(slug="x", title_fi="x", body_fi="<p>x</p>"))
