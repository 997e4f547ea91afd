"""The admin's remaining writes go through the services: an agreement's change page, the coordinators' memberships
(the locality's inline and their own page), a pilot's milestone rows and a meeting's follow-up actions, each
recording who and a reason key in the row's history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from localities import services
from localities.models import Coordinator, FollowUpAction, Locality, LocalityAgreement, Milestone, Side
from tests.localities.factories import (
    CoordinatorFactory,
    FeedbackMeetingFactory,
    FollowUpActionFactory,
    LocalityAgreementFactory,
    LocalityFactory,
    MilestoneFactory,
    PilotFactory,
)
from tests.localities.test_admin import _locality_form

pytestmark = pytest.mark.django_db


def _latest(history):
    record = history.latest()
    return record.history_type, record.history_user, record.history_change_reason


def _ok(response):
    assert response.status_code == 302, response.context and (
        response.context["adminform"].form.errors,
        [formset.errors for formset in response.context["inline_admin_formsets"]],
    )


def test_an_agreements_change_page_saves_through_the_service(staff_client, staff, locality):
    agreement = LocalityAgreementFactory(locality=locality, title="Vanha")
    url = reverse("admin:localities_localityagreement_change", args=[agreement.pk])
    data = {"title": "Uusi", "signed_on": agreement.signed_on, "valid_from": agreement.valid_from, "valid_until": ""}
    _ok(staff_client.post(url, data))
    assert LocalityAgreement.objects.get(pk=agreement.pk).title == "Uusi"
    assert _latest(agreement.history) == ("~", staff, "edited")


def test_a_membership_added_and_ended_on_the_localitys_page_is_recorded(staff_client, staff, coordinator):
    locality = LocalityFactory(status=Locality.Status.PILOTING, pilot_start_on=datetime.date(2026, 3, 1))
    url = reverse("admin:localities_locality_change", args=[locality.pk])
    rows = {"coordinators-TOTAL_FORMS": "1", "coordinators-INITIAL_FORMS": "0"}
    rows |= {
        "coordinators-0-user": coordinator.pk,
        "coordinators-0-side": Side.CULTURE,
        "coordinators-0-started_on": "2026-03-01",
    }
    _ok(staff_client.post(url, _locality_form(locality, **rows)))
    membership = Coordinator.objects.get(locality=locality)
    assert _latest(membership.history) == ("+", staff, "created")
    locality.refresh_from_db()
    rows = {"coordinators-TOTAL_FORMS": "1", "coordinators-INITIAL_FORMS": "1", "coordinators-0-id": membership.pk}
    rows |= {"coordinators-0-locality": locality.pk, "coordinators-0-user": coordinator.pk}
    rows |= {"coordinators-0-side": Side.CULTURE, "coordinators-0-started_on": membership.started_on}
    rows |= {"coordinators-0-ended_on": "2026-06-30"}
    _ok(staff_client.post(url, _locality_form(locality, **rows)))
    assert Coordinator.objects.get(pk=membership.pk).ended_on == datetime.date(2026, 6, 30)
    assert _latest(membership.history) == ("~", staff, "edited")


def test_a_membership_changed_on_its_own_page_is_recorded(staff_client, staff, locality):
    membership = CoordinatorFactory(locality=locality, side=Side.CULTURE)
    url = reverse("admin:localities_coordinator_change", args=[membership.pk])
    data = {"user": membership.user.pk, "locality": locality.pk, "side": Side.SOCIAL_HEALTH}
    _ok(staff_client.post(url, data | {"started_on": membership.started_on, "ended_on": ""}))
    assert Coordinator.objects.get(pk=membership.pk).side == Side.SOCIAL_HEALTH
    assert _latest(membership.history) == ("~", staff, "edited")


def test_ending_memberships_with_the_action_is_recorded(staff_client, staff, locality):
    membership = CoordinatorFactory(locality=locality)
    changelist = reverse("admin:localities_coordinator_changelist")
    staff_client.post(changelist, {"action": "end_membership", "_selected_action": [membership.pk]})
    assert Coordinator.objects.get(pk=membership.pk).ended_on is not None
    assert _latest(membership.history) == ("~", staff, "membership.ended")


def test_a_milestone_removed_on_the_pilots_page_is_recorded(staff_client, staff):
    pilot = PilotFactory(planned_start_on=datetime.date(2026, 9, 1), milestones=False)
    milestone = MilestoneFactory(pilot=pilot, due_on=datetime.date(2026, 10, 1))
    url = reverse("admin:localities_pilot_change", args=[pilot.pk])
    form = staff_client.get(url).context["adminform"].form
    rows = {"milestones-TOTAL_FORMS": "1", "milestones-INITIAL_FORMS": "1", "milestones-0-id": milestone.pk}
    rows |= {"milestones-0-pilot": pilot.pk, "milestones-0-position": milestone.position}
    rows |= {f"milestones-0-title_{language}": getattr(milestone, f"title_{language}") for language in ("fi", "sv")}
    rows |= {"milestones-0-title_en": milestone.title_en, "milestones-0-due_on": "2026-10-01"}
    rows |= {"milestones-0-DELETE": "on"}
    _ok(staff_client.post(url, {"planned_start_on": "2026-09-01", "version": form["version"].value(), **rows}))
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert _latest(Milestone.history.filter(id=milestone.pk)) == ("-", staff, "deleted")


def _meeting_form(meeting, **rows):
    data = {
        "locality": meeting.locality.pk,
        "held_on": meeting.held_on,
        "attendance": meeting.attendance,
        "attendee_count": "",
        "summary": meeting.summary,
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }
    return data | rows


def test_follow_up_actions_added_and_removed_on_the_meetings_page_are_recorded(staff_client, staff, locality):
    meeting = FeedbackMeetingFactory(locality=locality)
    old = FollowUpActionFactory(meeting=meeting, description="Vanha")
    url = reverse("admin:localities_feedbackmeeting_change", args=[meeting.pk])
    rows = {"actions-TOTAL_FORMS": "2", "actions-INITIAL_FORMS": "1"}
    rows |= {"actions-0-id": old.pk, "actions-0-meeting": meeting.pk, "actions-0-description": "Vanha"}
    rows |= {"actions-0-owner_name": old.owner_name, "actions-0-due_on": old.due_on, "actions-0-DELETE": "on"}
    rows |= {"actions-1-meeting": meeting.pk, "actions-1-description": "Uusi", "actions-1-owner_name": "Aino"}
    rows |= {"actions-1-due_on": "2026-12-01"}
    _ok(staff_client.post(url, _meeting_form(meeting, **rows)))
    assert _latest(FollowUpAction.history.filter(id=old.pk)) == ("-", staff, "deleted")
    new = FollowUpAction.objects.get(meeting=meeting)
    assert new.description == "Uusi" and _latest(new.history) == ("+", staff, "created")
    assert _latest(meeting.history) == ("~", staff, "edited")


def test_a_follow_up_action_changed_on_its_own_page_is_recorded(staff_client, staff, locality):
    action = FollowUpActionFactory(meeting__locality=locality)
    url = reverse("admin:localities_followupaction_change", args=[action.pk])
    data = {"description": "Korjattu", "owner_name": action.owner_name, "due_on": action.due_on}
    _ok(staff_client.post(url, data))
    assert FollowUpAction.objects.get(pk=action.pk).description == "Korjattu"
    assert _latest(action.history) == ("~", staff, "edited")


def test_only_staff_write_these_rows(coordinator, locality):
    """A coordinator reaches none of these services, though the rows are their locality's."""
    agreement = LocalityAgreementFactory(locality=locality)
    membership = Coordinator.objects.get(user=coordinator)
    action = FollowUpActionFactory(meeting__locality=locality)
    milestone = MilestoneFactory(pilot__locality=locality)
    attempts = [
        lambda: services.agreement_save(actor=coordinator, agreement=agreement),
        lambda: services.coordinator_save(actor=coordinator, coordinator=membership),
        lambda: services.follow_up_action_save(actor=coordinator, action=action),
        lambda: services.follow_up_action_delete(actor=coordinator, action=action),
        lambda: services.milestone_delete(actor=coordinator, milestone=milestone),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert FollowUpAction.objects.filter(pk=action.pk).exists() and Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_membership_opened_by_an_approval_records_the_staff_member_who_approved(staff, coordinator, other_locality):
    request = services.access_request_create(actor=coordinator, locality=other_locality, side=Side.CULTURE)
    services.access_request_approve(actor=staff, access_request=request)
    membership = Coordinator.objects.get(user=coordinator, locality=other_locality)
    assert _latest(membership.history) == ("+", staff, "created")


def test_a_milestone_or_an_action_removed_on_its_own_page_or_in_bulk_is_recorded(staff_client, staff, locality):
    milestone = MilestoneFactory(pilot__locality=locality)
    action = FollowUpActionFactory(meeting__locality=locality)
    response = staff_client.post(reverse("admin:localities_milestone_delete", args=[milestone.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = staff_client.post(
        reverse("admin:localities_followupaction_changelist"),
        {"action": "delete_selected", "_selected_action": [action.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert _latest(Milestone.history.filter(id=milestone.pk)) == ("-", staff, "deleted")
    assert _latest(FollowUpAction.history.filter(id=action.pk)) == ("-", staff, "deleted")
