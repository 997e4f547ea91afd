"""The localities app's URLs: public pages and API, the coordinator's pilot, meetings and agreements (scoped: another
locality's objects answer 404, also when their ids are guessed), and the access request form."""

from tests.security.authz import LOGIN, REDIRECT, Case, public, same, scoped, staff_only


def populate(world):
    import datetime

    from django.utils import timezone

    from localities import services
    from tests.localities.factories import (
        AccessRequestFactory,
        FeedbackMeetingFactory,
        FollowUpActionFactory,
        LocalityAgreementFactory,
        LocalityFactory,
        PilotFactory,
    )

    _invitation, world.invitation_token = services.invitation_create(
        actor=world.staff, email="new.coordinator@example.fi", locality=world.locality, side="culture"
    )
    world.milestone = PilotFactory(locality=world.locality).milestones.order_by("position").first()
    world.meeting = FeedbackMeetingFactory(locality=world.locality)
    world.action = FollowUpActionFactory(meeting=world.meeting)
    world.agreement = LocalityAgreementFactory(locality=world.locality)
    world.prospect = LocalityFactory(status="prospect", pilot_start_on=None)
    world.access_request = AccessRequestFactory(locality=world.locality)
    world.planned_meeting = FeedbackMeetingFactory(
        locality=world.locality,
        state="planned",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        place="Kirjasto",
    )


def _own(world, **extra):
    return {"slug": world.locality.slug, **extra}


CASES = [
    # The staff workspace: national staff only.
    Case("localities:staff-pilots", staff_only()),
    Case("localities:staff-locality", staff_only(), kwargs=_own),
    Case("localities:staff-access-requests", staff_only()),
    # A post without a decision is answered with the list and the error; nothing is decided.
    Case(
        "localities:staff-access-request-decide",
        staff_only(staff=400),
        kwargs=lambda w: {"pk": w.access_request.pk},
        method="post",
    ),
    Case("localities:public-list", public(200)),
    Case("localities:public-detail", public(200), kwargs=lambda w: {"slug": w.locality.slug}),
    Case("localities-api:locality-list", public(200)),
    # A valid invitation opens for anybody who holds the link (it is the credential).
    Case("localities:invitation-accept", public(200), kwargs=lambda w: {"token": w.invitation_token}),
    Case("localities:portal-detail", scoped(), kwargs=lambda w: {"slug": w.locality.slug}),
    Case("localities:pilot", scoped(), kwargs=_own),
    Case("localities:public-facts", scoped(), kwargs=_own),
    Case("localities:milestone-done", scoped(), kwargs=lambda w: _own(w, pk=w.milestone.pk)),
    Case(
        "localities:milestone-reopen",
        scoped(own=REDIRECT, staff=REDIRECT),
        kwargs=lambda w: _own(w, pk=w.milestone.pk),
        method="post",
    ),
    Case("localities:meeting-detail", scoped(), kwargs=lambda w: _own(w, pk=w.meeting.pk)),
    # Staff or the locality's coordinators plan a feedback meeting, invite partners and fill in its record.
    Case("localities:meeting-plan", scoped(), kwargs=_own),
    # An empty invitation form is answered with its errors on the page.
    Case("localities:meeting-guests", scoped(), kwargs=lambda w: _own(w, pk=w.meeting.pk), method="post"),
    # Every field of the record is optional: an empty one saves and goes back to the page.
    Case(
        "localities:meeting-record",
        scoped(own=REDIRECT, staff=REDIRECT),
        kwargs=lambda w: _own(w, pk=w.meeting.pk),
        method="post",
    ),
    # Moving a planned meeting: an empty form is answered with its errors on the page (400), nothing is sent.
    Case(
        "localities:meeting-move",
        scoped(own=400, staff=400),
        kwargs=lambda w: _own(w, pk=w.planned_meeting.pk),
        method="post",
    ),
    # Cancelling: the world's meeting was held, so the service refuses and the page says so.
    Case(
        "localities:meeting-cancel",
        scoped(own=REDIRECT, staff=REDIRECT),
        kwargs=lambda w: _own(w, pk=w.meeting.pk),
        method="post",
    ),
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
    # Outreach: the join page and its form are for anybody; the thank-you page shows only the visitor's own
    # submission (from the session) and sends anybody else back to /join/. The pipeline is staff's only.
    Case("localities:join", public(200)),
    Case("localities:join-sent", same(REDIRECT)),
    Case("localities:pipeline", staff_only()),
    Case("localities:pipeline-coverage", staff_only()),
    Case(
        "localities:prospect-lost",
        staff_only(staff=200),  # an empty form is shown again with its errors; nothing is written
        kwargs=lambda w: {"slug": w.prospect.slug},
        method="post",
        data=lambda w: {"reason": "", "on": ""},
    ),
]
