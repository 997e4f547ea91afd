"""Reads for trainings: the public lists, a user's own registrations, staff's participant lists and the
training coverage of the localities. Each list loads its related rows up front: the same number of queries for
5 rows and for 500."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise

from localities.models import Coordinator, Locality, Side
from trainings.models import Registration, Training, TrainingQuerySet

COORDINATOR_AUDIENCES = (Training.Audience.COORDINATORS, Training.Audience.EVERYONE)


def public_upcoming() -> TrainingQuerySet:
    return Training.objects.published().upcoming().order_by("starts_at", "pk")


def public_archive() -> QuerySet[Training]:
    """Past trainings that took place, the latest first."""
    return Training.objects.filter(status=Training.Status.PUBLISHED).past().order_by("-starts_at", "-pk")


def public_training_or_404(*, pk: int) -> Training:
    return get_object_or_404(Training.objects.published().with_seats_taken(), pk=pk)


def materials_for(*, user, training: Training):
    """The training's linked materials that the user may see and that have a published version."""
    return training.materials.visible_to(user).with_current_version().order_by("title_fi")


def own_registration(*, user, training: Training) -> Registration | None:
    """The signed-in user's standing registration for the training (theirs by account or by e-mail address)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return training.registrations.active().filter(Q(user=user) | Q(email__iexact=user.email)).first()


def registrations_of(*, user) -> QuerySet[Registration]:
    """A user's own registrations, the next training first, then the past ones."""
    return (
        Registration.objects.filter(user=user)
        .select_related("training", "locality")
        .order_by("-training__starts_at", "-pk")
    )


def own_registration_or_404(*, user, pk: int) -> Registration:
    """A registration of the user's own; staff reach every registration."""
    queryset = Registration.objects.select_related("training", "locality")
    if not user.acts_as_national_staff:
        queryset = queryset.filter(user=user)
    return get_object_or_404(queryset, pk=pk)


def upcoming_for_coordinators() -> QuerySet[Training]:
    return (
        public_upcoming()
        .filter(status=Training.Status.PUBLISHED, audience__in=COORDINATOR_AUDIENCES)
        .with_seats_taken()
    )


def next_onboarding_for(*, user) -> Training | None:
    """For a coordinator who has not had the onboarding training (attended, or a place in one coming): the next
    one open for registration."""
    had_it = Registration.objects.filter(
        user=user,
        training__kind=Training.Kind.COORDINATOR_TRAINING,
        status__in=Registration.SEAT_STATUSES,
    ).exclude(status=Registration.Status.NO_SHOW)
    if had_it.exists():
        return None
    return (
        Training.objects.open_for_registration()
        .filter(kind=Training.Kind.COORDINATOR_TRAINING)
        .order_by("starts_at", "pk")
        .first()
    )


def training_for_staff_or_404(*, pk: int) -> Training:
    return get_object_or_404(Training.objects.with_seats_taken(), pk=pk)


def participants(*, training: Training) -> QuerySet[Registration]:
    """Everyone with a place (confirmed, attended, no-show), then the waitlist; alphabetical within."""
    return (
        training.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("locality")
        .order_by("status", "name", "pk")
    )


# --- Training coverage ------------------------------------------------------------------------------------


@dataclass
class CoordinatorCoverage:
    coordinator: Coordinator
    onboarding_on: datetime.date | None = None
    national_meeting_on: datetime.date | None = None

    @property
    def is_trained(self) -> bool:
        return self.onboarding_on is not None


@dataclass
class LocalityCoverage:
    locality: Locality
    rows: list[CoordinatorCoverage] = field(default_factory=list)
    untrained_sides: list[str | Promise] = field(default_factory=list)


def coverage() -> list[LocalityCoverage]:
    """Per locality that has coordinators: who attended the onboarding training and the national meeting, and
    when last; the sides (culture, social and health) with no coordinator who has had the onboarding training.
    Three queries whatever the number of localities."""
    today = timezone.localdate()
    coordinators = list(
        Coordinator.objects.active(today)
        .select_related("user", "locality")
        .order_by("locality__name_fi", "side", "user__last_name", "user__email")
    )
    attended = (
        Registration.objects.filter(
            status=Registration.Status.ATTENDED,
            user_id__in=[c.user_id for c in coordinators],
            training__kind__in=(Training.Kind.COORDINATOR_TRAINING, Training.Kind.NATIONAL_MEETING),
        )
        .values("user_id", "training__kind")
        .annotate(last=Max("training__starts_at"))
    )
    last = {(row["user_id"], row["training__kind"]): timezone.localdate(row["last"]) for row in attended}
    result: dict[int, LocalityCoverage] = {}
    for coordinator in coordinators:
        entry = result.setdefault(coordinator.locality_id, LocalityCoverage(locality=coordinator.locality))
        entry.rows.append(
            CoordinatorCoverage(
                coordinator=coordinator,
                onboarding_on=last.get((coordinator.user_id, Training.Kind.COORDINATOR_TRAINING)),
                national_meeting_on=last.get((coordinator.user_id, Training.Kind.NATIONAL_MEETING)),
            )
        )
    for entry in result.values():
        entry.untrained_sides = [
            side.label for side in Side if not any(row.is_trained for row in entry.rows if row.coordinator.side == side)
        ]
    return list(result.values())
