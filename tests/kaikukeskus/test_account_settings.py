"""My account: a person sets their name, the language of their e-mails and the reminders they may turn off,
through `kaikukeskus.services.account_update`, with history; the next e-mail comes in the language chosen."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kaikukeskus import services
from localities import services as locality_services
from tests.localities.factories import MilestoneFactory, PilotFactory

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    data = {
        "first_name": "Saga",
        "last_name": "Lindholm",
        "preferred_language": "sv",
        "wants_overdue_reminders": "on",
        "wants_consultation_mail": "on",
        **overrides,
    }
    return client.post(reverse("account"), {k: v for k, v in data.items() if v is not None})


def test_the_page_shows_the_choices_and_says_which_mail_always_comes(coordinator_client):
    response = coordinator_client.get(reverse("account"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="preferred_language"' in html and 'value="sv"' in html
    assert 'name="wants_overdue_reminders"' in html
    assert "tilastoraporttien" in html  # the mail that a deadline depends on is named, in Finnish
    assert response["Cache-Control"].startswith("max-age=0")


def test_saving_changes_name_language_and_reminders_with_history(coordinator_client, coordinator):
    response = _post(coordinator_client, wants_overdue_reminders=None)

    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert (coordinator.first_name, coordinator.last_name) == ("Saga", "Lindholm")
    assert coordinator.preferred_language == "sv"
    assert coordinator.wants_overdue_reminders is False
    assert coordinator.wants_consultation_mail is True
    latest = coordinator.history.latest()
    assert latest.history_change_reason == "account.edited"
    assert latest.history_user_id == coordinator.pk


def test_the_next_email_a_coordinator_gets_is_in_the_language_they_chose(
    coordinator_client, coordinator, locality, outbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    pilot = PilotFactory(locality=locality, milestones=False)
    MilestoneFactory(pilot=pilot, title_sv="Kort tryckta", due_on=today - datetime.timedelta(days=3))
    assert coordinator.preferred_language == "fi"

    _post(coordinator_client, preferred_language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        locality_services.overdue_reminders_send(on=today)

    (message,) = [m for m in outbox.deliver() if m.to == [coordinator.email]]
    assert message.subject == "Kaikukortti: försenade uppgifter i piloten"
    assert "/sv/portal/" in message.body


def test_a_coordinator_who_turned_off_overdue_reminders_gets_none(
    coordinator_client, coordinator, locality, outbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    MilestoneFactory(pilot=PilotFactory(locality=locality, milestones=False), due_on=today - datetime.timedelta(days=3))

    _post(coordinator_client, wants_overdue_reminders=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert locality_services.overdue_reminders_send(on=today) == 0

    assert outbox.deliver() == []


def test_nobody_changes_another_persons_account(coordinator, other_coordinator):
    with pytest.raises(PermissionDenied):
        services.account_update(actor=other_coordinator, user=coordinator, first_name="Joku")


def test_the_service_writes_no_role_nor_address(coordinator):
    for field, value in [("is_staff", True), ("email", "x@example.fi")]:
        with pytest.raises(TypeError):
            services.account_update(actor=coordinator, user=coordinator, **{field: value})
    coordinator.refresh_from_db()
    assert not coordinator.is_staff


def test_an_unknown_language_is_refused_and_nothing_saved(coordinator_client, coordinator):
    response = _post(coordinator_client, preferred_language="de")

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "fi"
