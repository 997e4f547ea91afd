"""The trainings' panel on the coordinator's front page: the user's own registrations, the upcoming trainings
meant for coordinators and, for a coordinator who has not had it yet, the next onboarding training."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from localities.permissions import is_coordinator
from trainings import selectors

PANEL_ROWS = 5


def panels(user) -> list[Panel]:
    is_staff = user.acts_as_national_staff
    coordinator = is_coordinator(user=user)
    registrations = list(
        selectors.registrations_of(user=user)
        .filter(training__ends_at__gte=timezone.now())
        .order_by("training__starts_at", "pk")[:PANEL_ROWS]
    )
    if not (coordinator or is_staff or registrations):
        return []
    return [
        Panel(
            title=_("Trainings and meetings"),
            template="trainings/panels/trainings.html",
            context={
                "registrations": registrations,
                "upcoming": list(selectors.upcoming_for_coordinators()[:PANEL_ROWS]),
                "onboarding": selectors.next_onboarding_for(user=user) if coordinator else None,
                "is_national_staff": is_staff,
            },
        )
    ]
