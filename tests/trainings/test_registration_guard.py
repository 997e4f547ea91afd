"""The public registration form against bots: a honeypot, a minimum fill time and limits per client address and
per e-mail address. A refused post saves nothing, sends nothing and keeps what was typed."""

import logging
import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from kaikukeskus import forms as human_check
from kaikukeskus.forms import HUMAN_MIN_FILL_SECONDS
from tests.trainings.factories import TrainingFactory, visitor_form_data
from trainings.models import Registration

pytestmark = pytest.mark.django_db

UNSENT = "The form could not be sent. Please check the details and send the form again."
LIMITED = "Many registrations have been sent from this network or with this e-mail address in a short time."


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Moves time on: the form's timestamp, the limits' windows and the local cache's expiry all read time.time().
    Every test starts a second into a new hour, so that no limit's window ends in the middle of a test."""
    real = time.time
    offset = [(real() // 3600 + 1) * 3600 + 1 - real()]
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])

    def advance(seconds: float) -> None:
        offset[0] += seconds

    return advance


def _data(locality, **values):
    return visitor_form_data(locality, **values)


def _post(client, training, data, *, ip="198.51.100.7", **headers):
    return client.post(reverse("trainings:detail", kwargs={"pk": training.pk}), data, REMOTE_ADDR=ip, **headers)


def _hidden_value(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client):
    training = TrainingFactory()
    page = client.get(reverse("trainings:detail", kwargs={"pk": training.pk})).content.decode()
    honeypot = re.search(r'<div class="field field-honeypot">\s*<div aria-hidden="true">(.*?)</div>', page, re.S)
    assert honeypot, "the honeypot's wrapper is off-screen (.field-honeypot) and aria-hidden"
    assert '<label for="id_website">Leave this field empty' in honeypot.group(1)
    field = re.search(r"<input[^>]*id_website[^>]*>", honeypot.group(1)).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field and 'type="text"' in field
    assert human_check.seconds_since_started(_hidden_value(page, "started")) < 60


def test_a_bot_that_fills_the_honeypot_is_refused_and_nothing_is_saved_or_sent(
    client, locality, django_capture_on_commit_callbacks
):
    training = TrainingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, training, _data(locality, website="https://spam.example"))
    page = response.content.decode()
    assert response.status_code == 200
    assert UNSENT in page and 'class="error-summary"' in page
    assert not Registration.objects.exists() and mail.outbox == []
    # What was typed is kept, and the honeypot is emptied: a person whose password manager filled it can send.
    assert 'value="Maija Meikäläinen"' in page and "spam.example" not in page
    honeypot = re.search(r"<input[^>]*id_website[^>]*>", page).group(0)
    assert "value=" not in honeypot
    again = dict(_data(locality), started=_hidden_value(page, "started"))
    assert _post(client, training, again).status_code == 302


def test_a_form_sent_sooner_than_a_person_could_is_refused_until_the_time_has_passed(client, locality, clock):
    training = TrainingFactory()
    page = client.get(reverse("trainings:detail", kwargs={"pk": training.pk})).content.decode()
    data = _data(locality, started=_hidden_value(page, "started"))
    response = _post(client, training, data)
    assert response.status_code == 200 and UNSENT in response.content.decode()
    assert not Registration.objects.exists()
    # The page shown again keeps the time it was first shown: a moment later the same form goes through.
    assert _hidden_value(response.content.decode(), "started") == data["started"]
    clock(HUMAN_MIN_FILL_SECONDS)
    assert _post(client, training, data).status_code == 302
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("started", ["", "1700000000.000", "1700000000.000:forged-signature"])
def test_a_missing_or_altered_time_is_refused_and_the_form_shown_again_works(client, locality, clock, started):
    training = TrainingFactory()
    response = _post(client, training, _data(locality, started=started))
    assert UNSENT in response.content.decode() and not Registration.objects.exists()
    renewed = _hidden_value(response.content.decode(), "started")
    assert human_check.seconds_since_started(renewed) is not None
    clock(HUMAN_MIN_FILL_SECONDS)
    assert _post(client, training, _data(locality, started=renewed)).status_code == 302


def test_a_form_left_open_for_days_gets_a_new_time(client, locality, clock):
    training = TrainingFactory()
    response = _post(client, training, _data(locality, shown_ago=3 * 24 * 60 * 60))
    assert UNSENT in response.content.decode()
    clock(HUMAN_MIN_FILL_SECONDS)
    renewed = _hidden_value(response.content.decode(), "started")
    assert _post(client, training, _data(locality, started=renewed)).status_code == 302


def test_a_coordinator_is_not_timed_and_has_no_honeypot(client, coordinator, locality):
    """Logged in, they register only their own address, once per training, with the form prefilled: a quick
    click is normal."""
    client.force_login(coordinator)
    training = TrainingFactory()
    page = client.get(reverse("trainings:detail", kwargs={"pk": training.pk})).content.decode()
    assert "id_website" not in page and 'name="started"' not in page
    response = _post(client, training, {"name": "Kaisa", "locality": locality.pk, "submission": "x"})
    assert response.status_code == 302 and Registration.objects.get().user == coordinator


# --- Limits -----------------------------------------------------------------------------------------------


def test_five_registrations_from_one_address_in_ten_minutes_then_try_again_later(client, locality, clock):
    trainings = TrainingFactory.create_batch(2)
    for number in range(5):
        assert _post(client, trainings[0], _data(locality, email=f"person{number}@example.fi")).status_code == 302
    response = _post(client, trainings[1], _data(locality, email="sixth@example.fi", accessibility_needs="Tulkki"))
    page = response.content.decode()
    assert response.status_code == 200 and LIMITED in page
    assert 'value="sixth@example.fi"' in page and "Tulkki" in page, "what was typed is kept"
    assert Registration.objects.count() == 5 and not Registration.objects.filter(email="sixth@example.fi").exists()
    # Another client is not held back by this one.
    assert _post(client, trainings[1], _data(locality, email="other@example.fi"), ip="198.51.100.8").status_code == 302
    # The window passes.
    clock(10 * 60)
    assert _post(client, trainings[1], _data(locality, email="sixth@example.fi")).status_code == 302


def test_three_registrations_of_one_email_address_in_an_hour(
    client, locality, clock, django_capture_on_commit_callbacks
):
    trainings = TrainingFactory.create_batch(4)
    with django_capture_on_commit_callbacks(execute=True):
        for number, training in enumerate(trainings[:3]):
            assert (
                _post(client, training, _data(locality, email="target@example.fi"), ip=f"192.0.2.{number}").status_code
                == 302
            )
        response = _post(client, trainings[3], _data(locality, email="TARGET@example.fi"), ip="192.0.2.99")
    assert LIMITED in response.content.decode()
    assert Registration.objects.count() == 3 and len(mail.outbox) == 3
    clock(60 * 60)
    assert _post(client, trainings[3], _data(locality, email="target@example.fi"), ip="192.0.2.99").status_code == 302


def test_a_double_click_is_not_counted(client, locality):
    training = TrainingFactory()
    data = _data(locality, email="target@example.fi")
    for _ in range(4):
        assert _post(client, training, data).status_code == 302
    assert Registration.objects.count() == 1
    other = TrainingFactory()
    assert _post(client, other, _data(locality, email="target@example.fi")).status_code == 302


def test_a_cache_that_fails_does_not_stop_registration(client, locality, monkeypatch, caplog):
    class Broken:
        def add(self, *args, **kwargs):
            raise ConnectionError("the cache is down")

        incr = add

    from kaikukeskus import ratelimit

    monkeypatch.setattr(ratelimit, "cache", Broken())
    training = TrainingFactory()
    with caplog.at_level(logging.WARNING, logger="kaikukeskus.ratelimit"):
        for number in range(7):
            assert _post(client, training, _data(locality, email=f"p{number}@example.fi")).status_code == 302
    assert Registration.objects.count() == 7
    assert "the cache failed" in caplog.text and "the action is allowed" in caplog.text


# --- Client address behind proxies ----------------------------------------------------------------------


def test_x_forwarded_for_is_not_trusted_by_default(client, locality, settings):
    """Without trusted proxies a bot cannot write itself a new address in each post."""
    assert settings.TRUSTED_PROXY_COUNT == 0
    training = TrainingFactory()
    for number in range(5):
        _post(client, training, _data(locality, email=f"b{number}@example.fi"), HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = _post(client, training, _data(locality, email="b9@example.fi"), HTTP_X_FORWARDED_FOR="10.0.0.9")
    assert LIMITED in response.content.decode()


def test_behind_a_trusted_proxy_the_address_it_added_counts(client, locality, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    training = TrainingFactory()
    proxy = "10.0.0.2"
    # Five visitors behind the same load balancer each register: they are five clients, not one.
    for number in range(6):
        response = _post(
            client,
            training,
            _data(locality, email=f"v{number}@example.fi"),
            ip=proxy,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
        assert response.status_code == 302
    # A client that writes its own X-Forwarded-For is still counted by the address the proxy added.
    for number in range(5):
        spoofed = f"1.2.3.{number}, 203.0.113.50"
        _post(client, training, _data(locality, email=f"s{number}@example.fi"), ip=proxy, HTTP_X_FORWARDED_FOR=spoofed)
    response = _post(
        client, training, _data(locality, email="s9@example.fi"), ip=proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.50"
    )
    assert LIMITED in response.content.decode()
