"""Scoped reads: a coordinator's queries reach their own localities only; staff reach all; nobody else any."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from localities import selectors
from localities.models import AccessRequest, Locality
from tests.localities.factories import (
    AccessRequestFactory,
    CoordinatorFactory,
    FeedbackMeetingFactory,
    FollowUpActionFactory,
    LocalityAgreementFactory,
    LocalityFactory,
    MilestoneFactory,
    PilotFactory,
    ProspectContactFactory,
)

pytestmark = pytest.mark.django_db

S = Locality.Status


def _today():
    return timezone.localdate()


def _late(days=1):
    return _today() - datetime.timedelta(days=days)


def test_coordinator_never_sees_another_localitys_pilot_meetings_or_agreements(coordinator, locality, other_locality):
    PilotFactory(locality=other_locality)
    FeedbackMeetingFactory(locality=other_locality)
    LocalityAgreementFactory(locality=other_locality)
    assert selectors.pilot_for(user=coordinator, locality=other_locality) is None
    assert not selectors.feedback_meetings_for(user=coordinator, locality=other_locality).exists()
    assert not selectors.agreements_for(user=coordinator, locality=other_locality).exists()


def test_lookups_by_id_are_scoped(coordinator, staff, locality, other_locality):
    milestone = PilotFactory(locality=other_locality).milestones.first()
    meeting = FeedbackMeetingFactory(locality=other_locality)
    action = FollowUpActionFactory(meeting=meeting)
    agreement = LocalityAgreementFactory(locality=other_locality)
    lookups = [
        (selectors.milestone_for_user_or_404, milestone.pk),
        (selectors.feedback_meeting_for_user_or_404, meeting.pk),
        (selectors.follow_up_action_for_user_or_404, action.pk),
        (selectors.agreement_for_user_or_404, agreement.pk),
    ]
    for lookup, pk in lookups:
        for slug in (locality.slug, other_locality.slug):
            with pytest.raises(Http404):
                lookup(user=coordinator, slug=slug, pk=pk)
        assert lookup(user=staff, slug=other_locality.slug, pk=pk).pk == pk
        with pytest.raises(Http404):
            lookup(user=staff, slug=locality.slug, pk=pk)  # the slug must match the object's locality


def test_nobody_without_a_role_sees_anything(visitor, locality):
    PilotFactory(locality=locality)
    for user in (visitor, AnonymousUser()):
        assert selectors.pilot_for(user=user, locality=locality) is None
        assert not selectors.overdue_milestones_for(user=user).exists()
        assert not selectors.pilot_board(user=user).exists()
        assert not selectors.prospect_pipeline(user=user).exists()


def test_overdue_lists_are_scoped_and_leave_out_finished_localities(coordinator, staff, locality, other_locality):
    own = MilestoneFactory(pilot=PilotFactory(locality=locality, milestones=False), due_on=_late())
    foreign = MilestoneFactory(pilot=PilotFactory(locality=other_locality, milestones=False), due_on=_late())
    permanent = LocalityFactory(status=S.PERMANENT)
    MilestoneFactory(pilot=PilotFactory(locality=permanent, milestones=False), due_on=_late())
    assert list(selectors.overdue_milestones_for(user=coordinator)) == [own]
    assert set(selectors.overdue_milestones_for(user=staff)) == {own, foreign}

    own_action = FollowUpActionFactory(meeting__locality=locality, due_on=_late())
    FollowUpActionFactory(meeting__locality=other_locality, due_on=_late())
    FollowUpActionFactory(meeting__locality=locality, due_on=_late(), done_on=_today())
    assert list(selectors.overdue_actions_for(user=coordinator)) == [own_action]
    assert selectors.overdue_actions_for(user=staff).count() == 2


def test_board_counts_per_locality_without_mixing(staff):
    first = LocalityFactory(status=S.PILOTING)
    second = LocalityFactory(status=S.PREPARING)
    MilestoneFactory(pilot=PilotFactory(locality=first, milestones=False), due_on=_late())
    pilot = PilotFactory(locality=second, milestones=False)
    MilestoneFactory(pilot=pilot, due_on=_late(), done_on=_today(), position=1)
    MilestoneFactory(pilot=pilot, due_on=_today(), position=2, title_fi="Seuraava")
    FeedbackMeetingFactory(locality=second, held_on=_late(5))
    FeedbackMeetingFactory(locality=second, held_on=_today() + datetime.timedelta(days=5))  # planned, not held
    rows = {row.pk: row for row in selectors.pilot_board(user=staff)}
    assert (rows[first.pk].milestones_total, rows[first.pk].milestones_overdue) == (1, 1)
    assert (rows[second.pk].milestones_done, rows[second.pk].milestones_overdue) == (1, 0)
    assert rows[second.pk].next_milestone_title_fi == "Seuraava"
    assert rows[second.pk].last_feedback_meeting_on == _late(5)
    assert rows[first.pk].last_feedback_meeting_on is None


def test_pipeline_orders_by_next_step_and_reads_the_latest_plan(staff):
    first = ProspectContactFactory(
        contacted_on=_late(20), next_step="Vanha suunnitelma", next_step_on=_today() + datetime.timedelta(days=1)
    ).locality
    ProspectContactFactory(
        locality=first,
        contacted_on=_late(2),
        next_step="Uusi suunnitelma",
        next_step_on=_today() + datetime.timedelta(days=40),
    )
    second = ProspectContactFactory(next_step="Soitto", next_step_on=_today() + datetime.timedelta(days=10)).locality
    rows = list(selectors.prospect_pipeline(user=staff))
    assert [row.pk for row in rows] == [second.pk, first.pk]
    assert rows[1].next_step == "Uusi suunnitelma"
    assert rows[1].contact_count == 2


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("kajaani", ["205"]),
        ("KAJANA", ["205"]),
        ("borgå", ["638"]),
        ("  Porvoo ", ["638"]),
        ("638", ["638"]),
        ("zzz", []),
    ],
)
def test_municipalities_match_by_finnish_or_swedish_name(query, codes):
    assert [m.code for m in selectors.municipalities_matching(query)] == codes


def test_exact_municipality_name_comes_first():
    names = [m.name_fi for m in selectors.municipalities_matching("pori")]
    assert names[0] == "Pori"
    assert len(names) > 1


def test_access_requests_shown_to_their_coordinator_for_a_while(coordinator, other_locality):
    pending = AccessRequestFactory(user=coordinator, locality=other_locality)
    old = AccessRequestFactory(
        user=coordinator,
        locality=LocalityFactory(),
        status=AccessRequest.Status.DECLINED,
        decided_at=timezone.now() - datetime.timedelta(days=90),
    )
    AccessRequestFactory(locality=other_locality)  # somebody else's
    assert list(selectors.access_requests_for(user=coordinator)) == [pending]
    assert old in selectors.access_requests_for(user=coordinator, since_days=120)


def test_the_coordinators_to_tell_are_active_reachable_and_listed_once():
    """The one rule of who gets a locality's e-mail (page checks, issuer decisions, meetings, support replies,
    report reminders, news reminders)."""
    locality = LocalityFactory()
    told = CoordinatorFactory(locality=locality)
    CoordinatorFactory(locality=locality, user__is_active=False)
    CoordinatorFactory(locality=locality, user__email="")
    CoordinatorFactory(locality=locality, ended_on=datetime.date(2020, 1, 1), started_on=datetime.date(2019, 1, 1))
    CoordinatorFactory()  # another locality's
    assert selectors.coordinators_to_tell(locality=locality) == [told.user]
    assert selectors.coordinators_to_tell(locality=locality.pk) == [told.user]
    elsewhere = CoordinatorFactory(user=told.user)  # coordinates two localities: one membership each
    memberships = selectors.coordinator_memberships_to_tell(localities=[locality, elsewhere.locality])
    assert [m.locality for m in memberships] == [locality, elsewhere.locality]
