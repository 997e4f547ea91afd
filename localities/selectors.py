"""Scoped reads. `localities_for(user)` is THE scoping function: every query made for a coordinator passes
through it (views, forms' choice fields, exports, the admin), so that an object outside the user's localities
is never found and answers 404."""

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from localities.models import Coordinator, Locality


def localities_for(user) -> QuerySet[Locality]:
    """The localities the user may work on: all for national staff, the active memberships' for a
    coordinator, none for anybody else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Locality.objects.none()
    if user.is_national_staff:
        return Locality.objects.all()
    return Locality.objects.filter(pk__in=Coordinator.objects.active().filter(user=user).values("locality_id"))


def scoped(queryset: QuerySet, *, user, locality_path: str = "locality") -> QuerySet:
    """Filter any queryset to rows whose `locality_path` lies in the user's scope."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.is_national_staff:
        return queryset
    return queryset.filter(**{f"{locality_path}__in": localities_for(user)})


def get_scoped_or_404(queryset: QuerySet, *, user, locality_path: str = "locality", **lookup) -> Model:
    return get_object_or_404(scoped(queryset, user=user, locality_path=locality_path), **lookup)


def locality_for_user_or_404(*, user, slug: str) -> Locality:
    return get_object_or_404(localities_for(user), slug=slug)


def coordinator_localities(*, user) -> QuerySet[Locality]:
    """The coordinator's own localities for the portal, with their municipalities and co-coordinators."""
    return (
        localities_for(user)
        .filter(pk__in=Coordinator.objects.active().filter(user=user).values("locality_id"))
        .prefetch_related("municipalities")
        .order_by("name_fi")
    )


def active_coordinators(*, locality: Locality) -> QuerySet[Coordinator]:
    return Coordinator.objects.active().filter(locality=locality).select_related("user").order_by("side")


def public_localities() -> QuerySet[Locality]:
    return Locality.objects.public().select_related("county").prefetch_related("municipalities")
