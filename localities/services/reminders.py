"""The daily e-mail of overdue milestones and follow-up actions."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kaikukeskus.mail import language_of, send_later, site_url
from localities.models import (
    Coordinator,
    FollowUpAction,
    Locality,
    Milestone,
    OverdueReminder,
)

User = get_user_model()


@transaction.atomic
def overdue_reminders_send(*, on: datetime.date | None = None) -> int:
    """E-mail every active coordinator the overdue milestones and follow-up actions of their localities, and
    every national staff member the same across all localities, in each one's own language. One e-mail per
    user and day at most (an `OverdueReminder` row records it), so the task can run twice without harm.
    A fixed number of queries: everything is read in bulk and grouped here."""
    on = on or timezone.localdate()
    milestones = list(
        Milestone.objects.overdue(on)
        .filter(pilot__locality__status__in=Locality.BOARD_STATUSES)
        .select_related("pilot__locality")
        .order_by("pilot__locality__name_fi", "due_on", "position")
    )
    actions = list(
        FollowUpAction.objects.overdue(on)
        .select_related("meeting__locality")
        .order_by("meeting__locality__name_fi", "due_on", "pk")
    )
    if not milestones and not actions:
        return 0
    by_locality: dict[int, dict[str, list]] = {}
    for milestone in milestones:
        by_locality.setdefault(milestone.pilot.locality_id, {"milestones": [], "actions": []})["milestones"].append(
            milestone
        )
    for action in actions:
        by_locality.setdefault(action.meeting.locality_id, {"milestones": [], "actions": []})["actions"].append(action)

    recipients: dict[int, dict] = {}
    memberships = (
        Coordinator.objects.active(on)
        .filter(locality_id__in=by_locality, user__is_active=True, user__wants_overdue_reminders=True)
        .select_related("user")
        .order_by("user_id", "locality__name_fi")
    )
    for membership in memberships:
        entry = recipients.setdefault(membership.user_id, {"user": membership.user, "localities": []})
        entry["localities"].append(membership.locality_id)
    staff_users = User.objects.national_staff().filter(wants_overdue_reminders=True)
    for user in staff_users:
        recipients[user.pk] = {"user": user, "localities": list(by_locality)}

    already = set(OverdueReminder.objects.filter(sent_on=on, user_id__in=recipients).values_list("user_id", flat=True))
    reminders = []
    outgoing = []
    for user_id, entry in recipients.items():
        if user_id in already:
            continue
        own_milestones = [m for locality_id in entry["localities"] for m in by_locality[locality_id]["milestones"]]
        own_actions = [a for locality_id in entry["localities"] for a in by_locality[locality_id]["actions"]]
        if not own_milestones and not own_actions:
            continue
        reminders.append(
            OverdueReminder(user=entry["user"], sent_on=on, milestones=len(own_milestones), actions=len(own_actions))
        )
        outgoing.append((entry["user"], own_milestones, own_actions))
    OverdueReminder.objects.bulk_create(reminders)
    for message in outgoing:
        _send_overdue_reminder(*message, on=on)
    return len(reminders)


def _send_overdue_reminder(user, milestones: list, actions: list, *, on: datetime.date) -> None:
    language = language_of(user)
    send_later(
        to=user.email,
        template="localities/email/overdue_reminder.txt",
        context={
            "milestones": milestones,
            "actions": actions,
            "on": on,
            "portal_link": site_url("portal", language=language),
        },
        language=language,
    )
