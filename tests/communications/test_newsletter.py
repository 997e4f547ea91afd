"""The newsletter: recipients counted and sent once, each in their language, through the outbox in batches;
double opt-in; unsubscribing without logging in (also RFC 8058's one-click POST); the public web version."""

import re
import smtplib
import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail as django_mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from post_office.models import STATUS, Email

from communications import selectors, services, tasks
from communications.models import Newsletter, NewsletterDelivery, Subscriber
from kaikukeskus.forms import started_token
from kaikukeskus.models import User
from localities.models import Locality, Side
from tests.communications.factories import NewsItemFactory, NewsletterFactory, SubscriberFactory
from tests.kaikukeskus.factories import StaffFactory, UserFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory
from tests.trainings.factories import TrainingFactory
from trainings import services as trainings

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """A mail server that does not answer."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def _smtp(backend: str):
    from django.conf import settings

    return override_settings(POST_OFFICE={**settings.POST_OFFICE, "BACKENDS": {"default": backend}})


@pytest.fixture
def audience(db):
    """A coordinator in Swedish (two localities), one in English, a staff member in Finnish, subscribers in each
    language, one unconfirmed and one unsubscribed."""
    piloting = LocalityFactory(status=Locality.Status.PILOTING)
    permanent = LocalityFactory(status=Locality.Status.PERMANENT)
    swedish = UserFactory(email="ida@example.fi", preferred_language="sv")
    CoordinatorFactory(user=swedish, locality=piloting, side=Side.CULTURE)
    CoordinatorFactory(user=swedish, locality=permanent, side=Side.SOCIAL_HEALTH)
    CoordinatorFactory(user__email="ann@example.fi", user__preferred_language="en", locality=permanent)
    StaffFactory(email="henkilo@kaikukeskus.example.fi", preferred_language="fi")
    SubscriberFactory(email="tilaaja@example.fi", language="fi")
    SubscriberFactory(email="prenumerant@example.fi", language="sv")
    SubscriberFactory(email="reader@example.fi", language="en")
    SubscriberFactory(email="ann@example.fi", language="fi")  # also a coordinator: one message, as a coordinator
    SubscriberFactory(email="pending@example.fi", confirmed_at=None)
    SubscriberFactory(email="gone@example.fi", unsubscribed_at=timezone.now())


def _staff():
    return User.objects.get(email="henkilo@kaikukeskus.example.fi")


def _issue():
    newsletter = NewsletterFactory(translated=True)
    item = NewsItemFactory(title_fi="Uusi paikkakunta", title_sv="Ny ort", body_sv="<p>Text.</p>")
    newsletter.items.add(item)
    return newsletter


def _sent_to(messages) -> dict[str, str]:
    return {message.to[0]: message.subject for message in messages}


def test_recipients_are_counted_by_group_each_address_once(audience):
    with translation.override("en"):
        count = selectors.newsletter_recipient_count(newsletter=NewsletterFactory())
    assert count.coordinators == 2 and count.staff == 1 and count.subscribers == 4
    assert dict(count.subscribers_by_language) == {"Finnish": 2, "Swedish": 1, "English": 1}
    assert ("Piloting", "Culture", 1) in count.coordinators_by_status_and_side
    assert ("Permanent", "Social and health services", 1) in count.coordinators_by_status_and_side
    # ida, ann, staff, tilaaja, prenumerant, reader: ann's subscription does not make a second message.
    assert count.total == 6
    assert dict(count.by_language) == {"Finnish": 2, "Swedish": 2, "English": 2}


def test_counting_the_recipients_takes_the_same_queries_however_many(audience, django_assert_num_queries):
    newsletter = NewsletterFactory()
    with django_assert_num_queries(4):
        selectors.newsletter_recipient_count(newsletter=newsletter)
    for n in range(10):
        CoordinatorFactory(user__email=f"more{n}@example.fi")
        SubscriberFactory()
    with django_assert_num_queries(4):
        assert selectors.newsletter_recipient_count(newsletter=newsletter).total == 26


def test_an_issue_for_subscribers_only_leaves_coordinators_and_staff_out(audience):
    newsletter = NewsletterFactory(to_coordinators=False, to_staff=False)
    emails = {r.email for r in selectors.newsletter_recipients(newsletter=newsletter)}
    assert emails == {"tilaaja@example.fi", "prenumerant@example.fi", "reader@example.fi", "ann@example.fi"}


def test_each_recipient_gets_it_once_in_their_language_with_a_failing_smtp_in_between(
    audience, outbox, django_capture_on_commit_callbacks
):
    newsletter = _issue()
    with _smtp("tests.communications.test_newsletter.FailingBackend"):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.newsletter_send(actor=_staff(), newsletter=newsletter) == 6
        assert django_mail.outbox == [], "the mail server did not answer"
        assert set(Email.objects.values_list("status", flat=True)) == {STATUS.requeued}
    newsletter.refresh_from_db()
    assert newsletter.sent_at is not None and newsletter.recipients_count == 6
    # The server answers again; the retries are due.
    Email.objects.update(scheduled_time=timezone.now())
    sent = outbox.deliver()
    assert len(sent) == 6, "nothing lost"
    outbox.deliver()
    assert len(django_mail.outbox) == 6, "nothing twice"
    subjects = _sent_to(sent)
    assert subjects["ida@example.fi"].startswith("Nyhetsbrev")
    assert subjects["prenumerant@example.fi"].startswith("Nyhetsbrev")
    assert subjects["ann@example.fi"].startswith("Newsletter"), "as a coordinator, in their account's language"
    assert subjects["reader@example.fi"].startswith("Newsletter")
    assert subjects["tilaaja@example.fi"].startswith("Uutiskirje")
    swedish = next(message for message in sent if message.to == ["ida@example.fi"])
    assert "Ny ort" in swedish.body and "God höst" in swedish.body and "/sv/news/" in swedish.body


def test_a_batch_that_fails_midway_is_queued_again_and_nothing_twice(
    audience, outbox, monkeypatch, django_capture_on_commit_callbacks
):
    newsletter = _issue()
    monkeypatch.setattr(tasks.send_newsletter, "delay", lambda pk: None)  # the broker takes the task, later
    services.newsletter_send(actor=_staff(), newsletter=newsletter)
    assert services.newsletter_queue_batch(newsletter_id=newsletter.pk, size=2) == 2
    real_queue = services._queue_newsletter
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("the database went away in the middle of a batch")
        real_queue(**kwargs)

    monkeypatch.setattr(services, "_queue_newsletter", flaky)
    with pytest.raises(ConnectionError):
        services.newsletter_queue_batch(newsletter_id=newsletter.pk, size=2)
    assert Email.objects.count() == 2, "the failed batch left nothing queued"
    monkeypatch.setattr(services, "_queue_newsletter", real_queue)
    assert services.newsletter_queue_all(newsletter_id=newsletter.pk) == 4
    assert services.newsletter_queue_all(newsletter_id=newsletter.pk) == 0, "a second run queues nothing"
    sent = outbox.deliver()
    assert sorted(message.to[0] for message in sent) == sorted(
        NewsletterDelivery.objects.values_list("email", flat=True)
    )
    assert len(sent) == 6


def test_a_second_send_is_refused_and_sends_nothing(audience, outbox, django_capture_on_commit_callbacks):
    newsletter = _issue()
    staff = _staff()
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send(actor=staff, newsletter=newsletter)
    with translation.override("en"), pytest.raises(services.NewsletterAlreadySentError, match="already sent"):
        services.newsletter_send(actor=staff, newsletter=newsletter)
    assert len(outbox.deliver()) == 6
    assert NewsletterDelivery.objects.count() == 6


def test_the_database_refuses_a_second_delivery_of_an_issue_to_an_address(audience):
    from django.db import IntegrityError

    newsletter = NewsletterFactory(sent=True)
    NewsletterDelivery.objects.create(newsletter=newsletter, email="a@example.fi", language="fi")
    with pytest.raises(IntegrityError):
        NewsletterDelivery.objects.create(newsletter=newsletter, email="a@example.fi", language="sv")


def test_a_changed_recipient_count_stops_the_send_until_confirmed_again(audience):
    newsletter = _issue()
    with translation.override("en"), pytest.raises(ValidationError, match="changed to 6"):
        services.newsletter_send(actor=_staff(), newsletter=newsletter, expected_recipients=5)
    newsletter.refresh_from_db()
    assert newsletter.sent_at is None and not NewsletterDelivery.objects.exists()


def test_only_staff_send(audience, coordinator):
    with pytest.raises(PermissionDenied):
        services.newsletter_send(actor=coordinator, newsletter=_issue())


def test_every_message_has_the_unsubscribe_headers_and_link(audience, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send(actor=_staff(), newsletter=_issue())
    for message in outbox.deliver():
        link = re.search(r"https?://\S+/newsletter/unsubscribe/\S+/", message.body).group(0)
        assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert services.email_of_unsubscribe_token(link.rstrip("/").rsplit("/", 1)[1]) == message.to[0]


def test_staff_send_a_test_to_themselves_and_the_issue_stays_unsent(staff_client, staff, outbox, audience):
    newsletter = _issue()
    response = staff_client.post(reverse("communications:newsletter-test", kwargs={"pk": newsletter.pk}))
    assert response.status_code == 302
    (message,) = outbox.deliver()
    assert message.to == [staff.email] and message.subject.startswith("[")
    newsletter.refresh_from_db()
    assert newsletter.sent_at is None


def test_the_staff_page_counts_and_the_send_confirmation_names_the_number(
    staff_client, audience, outbox, django_capture_on_commit_callbacks
):
    newsletter = _issue()
    review = staff_client.get(reverse("communications:newsletter-review", kwargs={"pk": newsletter.pk}))
    assert review.status_code == 200 and review.context["count"].total == 7  # the signed-in staff member too
    url = reverse("communications:newsletter-send", kwargs={"pk": newsletter.pk})
    confirm = staff_client.get(url)
    assert "7 vastaanottajalle" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"recipients": 7}, follow=True)
    assert "lähetetään 7 vastaanottajalle" in response.content.decode()
    again = staff_client.post(url, {"recipients": 7}, follow=True)
    assert "on jo lähetetty" in again.content.decode()
    assert len(outbox.deliver()) == 7


# --- Subscribing ------------------------------------------------------------------------------------------


def _subscribe(client, email="uusi@example.fi", *, language="sv", shown_ago=60.0, **extra):
    with translation.override("en"):
        url = reverse("communications:newsletter-subscribe")
    return client.post(
        url,
        {
            "email": email,
            "language": language,
            "started": started_token(at=time.time() - shown_ago),
            "website": "",
            **extra,
        },
    )


def _link(message, name: str) -> str:
    return re.search(rf"https?://[^/\s]+(/\S*/newsletter/{name}/\S+/|/newsletter/{name}/\S+/)", message.body).group(1)


def test_double_opt_in_sends_nothing_until_the_link_is_used(client, outbox, audience):
    response = _subscribe(client)
    assert response.status_code == 302
    (message,) = outbox.deliver()
    assert message.to == ["uusi@example.fi"] and "nyhetsbrev" in message.subject.lower()
    assert not Subscriber.objects.filter(email="uusi@example.fi").exists()
    assert "uusi@example.fi" not in {r.email for r in selectors.newsletter_recipients(newsletter=_issue())}
    link = _link(message, "confirm")
    assert link.startswith("/sv/")
    page = client.get(link)
    assert page.status_code == 200 and not Subscriber.objects.filter(email="uusi@example.fi").exists(), (
        "a mail scanner following the link subscribes nobody"
    )
    client.post(link)
    subscriber = Subscriber.objects.get(email="uusi@example.fi")
    assert subscriber.confirmed_at and subscriber.language == "sv"
    assert subscriber.history.first().history_change_reason == "newsletter.subscribed"
    assert "uusi@example.fi" in {r.email for r in selectors.newsletter_recipients(newsletter=_issue())}


def test_an_expired_or_forged_confirmation_link_is_refused_clearly(client):
    token = services.confirmation_token(email="uusi@example.fi", language="fi")
    with translation.override("en"):
        forged_url = reverse("communications:newsletter-confirm", kwargs={"token": token[:-2] + "xx"})
    forged = client.get(forged_url)
    assert forged.status_code == 400 and "The link does not work" in forged.content.decode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "time", lambda: 1_000_000_000.0)
        expired_token = services.confirmation_token(email="uusi@example.fi", language="fi")
    with translation.override("en"):
        url = reverse("communications:newsletter-confirm", kwargs={"token": expired_token})
    expired = client.post(url)
    assert expired.status_code == 400 and "The link has expired" in expired.content.decode()
    assert not Subscriber.objects.exists()


def test_subscribing_an_address_again_answers_the_same_and_reveals_nothing(client, outbox):
    SubscriberFactory(email="vanha@example.fi")
    known = _subscribe(client, "vanha@example.fi")
    unknown = _subscribe(client, "tuntematon@example.fi")
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert sorted(message.to[0] for message in outbox.deliver()) == ["tuntematon@example.fi", "vanha@example.fi"]


@pytest.mark.parametrize(
    ("extra", "why"),
    [({"website": "http://spam.example"}, "honeypot filled"), ({"shown_ago": 0.2}, "sent at once")],
)
def test_the_bot_guard_refuses_a_bot_and_sends_nothing(client, outbox, extra, why):
    response = _subscribe(client, **extra)
    assert response.status_code == 200, why
    assert "could not be sent" in response.content.decode()
    assert outbox.deliver() == []


def test_subscriptions_are_limited_per_address(client, outbox):
    for _n in range(3):
        assert _subscribe(client, "sama@example.fi").status_code == 302
    refused = _subscribe(client, "sama@example.fi")
    assert refused.status_code == 200 and "try again later" in refused.content.decode()
    assert len(outbox.deliver()) == 3


def test_subscriptions_are_limited_per_client_address(client, outbox):
    for n in range(5):
        assert _subscribe(client, f"osoite{n}@example.fi").status_code == 302
    assert _subscribe(client, "kuudes@example.fi").status_code == 200
    assert len(outbox.deliver()) == 5


# --- Unsubscribing ----------------------------------------------------------------------------------------


def test_unsubscribing_without_login_get_confirms_and_post_unsubscribes(client):
    SubscriberFactory(email="tilaaja@example.fi")
    url = reverse(
        "communications:newsletter-unsubscribe", kwargs={"token": services.unsubscribe_token("tilaaja@example.fi")}
    )
    page = client.get(url)
    assert page.status_code == 200 and Subscriber.objects.get().unsubscribed_at is None
    assert "<form" in page.content.decode()
    assert client.post(url).status_code == 200
    assert Subscriber.objects.get().unsubscribed_at is not None
    assert not Subscriber.objects.receiving().exists()


def test_a_mail_programs_one_click_post_unsubscribes_directly(client, coordinator):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    url = reverse(
        "communications:newsletter-unsubscribe", kwargs={"token": services.unsubscribe_token(coordinator.email)}
    )
    response = csrf_client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert coordinator.email not in {r.email for r in selectors.newsletter_recipients(newsletter=NewsletterFactory())}


def test_a_forged_unsubscribe_link_is_refused(client):
    url = reverse("communications:newsletter-unsubscribe", kwargs={"token": "someone@example.fi:forged"})
    assert client.post(url).status_code == 400
    assert not Subscriber.objects.exists()


def test_service_mail_still_goes_to_an_unsubscribed_address(outbox, locality):
    services.subscriber_unsubscribe(email="maija@example.fi")
    trainings.registration_create(
        actor=AnonymousUser(), training=TrainingFactory(), email="maija@example.fi", name="Maija", language="fi"
    )
    assert [message.to for message in outbox.deliver()] == [["maija@example.fi"]]


def test_a_coordinator_turns_the_newsletter_off_and_on_in_my_account(coordinator_client, coordinator):
    url = reverse("communications:newsletter-preference")
    assert coordinator_client.get(url).context["form"].initial["receive"] is True
    coordinator_client.post(url, {})
    assert not services.newsletter_receives(user=coordinator)
    assert coordinator.email not in {r.email for r in selectors.newsletter_recipients(newsletter=NewsletterFactory())}
    coordinator_client.post(url, {"receive": "on"})
    assert services.newsletter_receives(user=coordinator)
    assert coordinator.email in {r.email for r in selectors.newsletter_recipients(newsletter=NewsletterFactory())}


# --- The web version --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "title", "intro"),
    [("", "Uutiskirje", "Hyvää syksyä"), ("/sv", "Nyhetsbrev", "God höst"), ("/en", "Newsletter", "Happy autumn")],
)
def test_the_web_version_is_public_in_each_language(client, prefix, title, intro):
    newsletter = NewsletterFactory(translated=True, sent=True)
    page = client.get(f"{prefix}/newsletter/{newsletter.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert title in html and intro in html


def test_the_web_version_of_an_untranslated_issue_is_in_finnish_said_so(client):
    newsletter = NewsletterFactory(sent=True)
    html = client.get(f"/en/newsletter/{newsletter.pk}/").content.decode()
    assert "Hyvää syksyä" in html and "in Finnish" in html


def test_a_draft_has_no_web_version(client, staff_client):
    newsletter = NewsletterFactory()
    url = reverse("communications:newsletter-issue", kwargs={"pk": newsletter.pk})
    assert client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 404


def test_the_web_version_takes_the_same_queries_however_many_items(client, django_assert_max_num_queries):
    newsletter = NewsletterFactory(sent=True)
    newsletter.items.add(NewsItemFactory())
    url = reverse("communications:newsletter-issue", kwargs={"pk": newsletter.pk})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    newsletter.items.add(*[NewsItemFactory() for _n in range(10)])
    from django.core.cache import cache

    from kaikukeskus import public_cache

    cache.clear()
    public_cache.forget_local()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_sent_issue_can_no_longer_be_edited(audience):
    newsletter = NewsletterFactory(sent=True)
    newsletter.title_fi = "Muutettu"
    with pytest.raises(ValidationError):
        services.newsletter_save(actor=_staff(), newsletter=newsletter)


# --- The administration -----------------------------------------------------------------------------------


def test_staff_write_an_issue_in_the_admin_sanitised_and_land_on_its_sending_page(staff_client, staff):
    item = NewsItemFactory()
    response = staff_client.post(
        reverse("admin:communications_newsletter_add"),
        {
            "title_fi": "Syksyn uutiskirje",
            "intro_fi": '<p onclick="x()">Hei<script>alert(1)</script></p>',
            "title_sv": "",
            "intro_sv": "",
            "title_en": "",
            "intro_en": "",
            "items": [item.pk],
            "to_coordinators": "on",
            "to_subscribers": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newsletter = Newsletter.objects.get()
    assert response.headers["Location"] == reverse("communications:newsletter-review", kwargs={"pk": newsletter.pk})
    assert newsletter.intro_fi == "<p>Hei</p>" and list(newsletter.items.all()) == [item]
    assert not newsletter.to_staff
    assert newsletter.history.latest().history_user == staff


def test_a_sent_issue_is_read_only_in_the_admin(staff_client):
    newsletter = NewsletterFactory(sent=True)
    url = reverse("admin:communications_newsletter_change", args=[newsletter.pk])
    page = staff_client.get(url)
    assert page.status_code == 200 and 'name="intro_fi"' not in page.content.decode()
    staff_client.post(url, {"title_fi": "Muutettu", "intro_fi": "<p>x</p>"})
    newsletter.refresh_from_db()
    assert newsletter.title_fi != "Muutettu"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_staff_sending_at_once_send_it_once(audience, monkeypatch):
    """The row lock, not the check before it: both read the issue unsent, one sends, the other is refused."""
    monkeypatch.setattr(tasks.send_newsletter, "delay", lambda pk: None)
    newsletter = _issue()
    staff = _staff()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send():
        try:
            barrier.wait()
            services.newsletter_send(actor=staff, newsletter=Newsletter.objects.get(pk=newsletter.pk))
            outcomes.append("sent")
        except services.NewsletterAlreadySentError:
            outcomes.append("refused")
        except Exception as error:  # pragma: no cover - reported below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "sent"]
    assert NewsletterDelivery.objects.filter(newsletter=newsletter).count() == 6
    services.newsletter_queue_all(newsletter_id=newsletter.pk)
    assert Email.objects.count() == 6


def test_staff_front_page_leads_to_the_newsletters_not_sent_yet(client, staff):
    draft = NewsletterFactory(title_fi="Joulukuun uutiskirje")
    client.force_login(staff)
    html = client.get(reverse("portal")).content.decode()
    assert reverse("communications:newsletter-review", kwargs={"pk": draft.pk}) in html
    assert reverse("admin:communications_newsletter_add") in html
