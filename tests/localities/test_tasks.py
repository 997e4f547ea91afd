import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from localities import tasks
from tests.localities.factories import MilestoneFactory, PilotFactory

pytestmark = pytest.mark.django_db


def test_weekly_task_and_command_send_each_reminder_once(
    coordinator, locality, today, django_capture_on_commit_callbacks
):
    MilestoneFactory(pilot=PilotFactory(locality=locality, milestones=False), due_on=today - datetime.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_overdue_reminders.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_reminders")
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
