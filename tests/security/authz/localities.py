"""The localities app's URLs: public pages and API, the coordinator's pilot, meetings and agreements (scoped: another
locality's objects answer 404, also when their ids are guessed), and the access request form."""

from tests.security.authz import LOGIN, REDIRECT, Case, public, scoped, staff_only


def populate(world):
    from localities import services
    from tests.localities.factories import (
        FeedbackMeetingFactory,
        FollowUpActionFactory,
        LocalityAgreementFactory,
        PilotFactory,
    )

    _invitation, world.invitation_token = services.invitation_create(
        actor=world.staff, email="new.coordinator@example.fi", locality=world.locality, side="culture"
    )
    world.milestone = PilotFactory(locality=world.locality).milestones.order_by("position").first()
    world.meeting = FeedbackMeetingFactory(locality=world.locality)
    world.action = FollowUpActionFactory(meeting=world.meeting)
    world.agreement = LocalityAgreementFactory(locality=world.locality)


def _own(world, **extra):
    return {"slug": world.locality.slug, **extra}


CASES = [
    # The staff workspace: national staff only.
    Case("localities:staff-pilots", staff_only()),
    Case("localities:staff-locality", staff_only(), kwargs=_own),
    Case("localities:public-list", public(200)),
    Case("localities:public-detail", public(200), kwargs=lambda w: {"slug": w.locality.slug}),
    Case("localities-api:locality-list", public(200)),
    # A valid invitation opens for anybody who holds the link (it is the credential).
    Case("localities:invitation-accept", public(200), kwargs=lambda w: {"token": w.invitation_token}),
    Case("localities:portal-detail", scoped(), kwargs=lambda w: {"slug": w.locality.slug}),
    Case("localities:pilot", scoped(), kwargs=_own),
    Case("localities:milestone-done", scoped(), kwargs=lambda w: _own(w, pk=w.milestone.pk)),
    Case(
        "localities:milestone-reopen",
        scoped(own=REDIRECT, staff=REDIRECT),
        kwargs=lambda w: _own(w, pk=w.milestone.pk),
        method="post",
    ),
    Case("localities:meeting-detail", scoped(), kwargs=lambda w: _own(w, pk=w.meeting.pk)),
    Case(
        "localities:action-done",
        scoped(own=REDIRECT, staff=REDIRECT),
        kwargs=lambda w: _own(w, pk=w.action.pk),
        method="post",
    ),
    Case("localities:agreement-download", scoped(), kwargs=lambda w: _own(w, pk=w.agreement.pk)),
    # Coordinators ask for a further locality; staff have every locality already.
    # Only a current coordinator asks for access to a further locality; a former one coordinates nothing.
    Case(
        "localities:access-request-create",
        {"anonymous": LOGIN, "own": 200, "other": 200, "former": 404, "staff": 404},
    ),
]
