"""The one permission rule (DESIGN §2), in one module that every app imports.

- Who is national staff: `User.objects.national_staff()` and `user.is_national_staff` (kaikukeskus.models, one
  definition: active, staff status, and the staff group or superuser). Who acts as staff, with the wider scope:
  `acts_as_national_staff(user)`, the same and, where `STAFF_MFA_REQUIRED` is on, the second factor set. Every
  scope check here and in the apps asks the latter; lists of staff (to e-mail, to choose) the former.
- What a user may work on: `localities_for(user)`. Every query made for a coordinator passes through it (views,
  forms' choice fields, exports, the admin's `get_queryset`, services), so an object outside the user's localities
  is never found and answers 404; a service called out of scope raises `PermissionDenied`.
- What the public sees: `public_locality_or_404(slug=)`: piloting and permanent localities only.
"""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kaikukeskus.request_memo import once_per_request
from localities.models import Coordinator, Locality, Municipality

M = TypeVar("M", bound=Model)
QS = TypeVar("QS", bound=QuerySet)


def _is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def acts_as_national_staff(user) -> bool:
    """`user.acts_as_national_staff` for any user object, anonymous ones included."""
    return _is_signed_in(user) and user.acts_as_national_staff


def require_national_staff_or_404(user) -> None:
    """A page for national staff answers 404 to everybody else, like anything outside one's scope."""
    if not acts_as_national_staff(user):
        raise Http404("staff only")


def staff_page(view: Callable) -> Callable:
    """Decorates a view of the staff workspace: a visitor is asked to sign in, anybody but national staff (with the
    second factor) gets 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_national_staff_or_404(request.user)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def localities_for(user) -> QuerySet[Locality]:
    """The localities the user may work on: all for national staff, the active memberships' for a
    coordinator (an ended membership reaches nothing), none for anybody else."""
    if not _is_signed_in(user):
        return Locality.objects.none()
    if acts_as_national_staff(user):
        return Locality.objects.all()
    return Locality.objects.filter(pk__in=Coordinator.objects.active().filter(user=user).values("locality_id"))


def scoped(queryset: QS, *, user, locality_path: str = "locality") -> QS:
    """Filter any queryset to rows whose `locality_path` lies in the user's scope."""
    if acts_as_national_staff(user):
        return queryset
    return queryset.filter(**{f"{locality_path}__in": localities_for(user)})


def get_scoped_or_404(queryset: QuerySet[M], *, user, locality_path: str = "locality", **lookup) -> M:
    return get_object_or_404(scoped(queryset, user=user, locality_path=locality_path), **lookup)


def locality_for_user_or_404(*, user, slug: str) -> Locality:
    return get_object_or_404(localities_for(user), slug=slug)


def require_staff(actor) -> None:
    """Services trust no caller: only national staff pass."""
    if not acts_as_national_staff(actor):
        raise PermissionDenied(_("Only Kaikukeskus staff can do this."))


def require_scope(actor, locality: Locality) -> None:
    """Services trust no caller: the actor works on the locality (staff anywhere, a coordinator in their active
    memberships only)."""
    if actor is None or not localities_for(actor).filter(pk=locality.pk).exists():
        raise PermissionDenied(_("You do not coordinate this locality."))


def is_coordinator(*, user) -> bool:
    """The user has at least one active coordinator membership (asked once per page: the portal's panels and
    the navigation each ask it)."""
    if not _is_signed_in(user):
        return False
    return once_per_request(
        ("is_coordinator", user.pk), lambda: Coordinator.objects.active().filter(user=user).exists()
    )


def public_locality_or_404(*, slug: str) -> Locality:
    """A piloting or permanent locality, with what its public page shows; prospects, preparing, paused and ended
    localities answer 404."""
    return get_object_or_404(
        Locality.objects.public()
        .select_related("county")
        .prefetch_related(
            Prefetch("municipalities", Municipality.objects.select_related("region").order_by("name_fi"))
        ),
        slug=slug,
    )
