"""Writes for users: the staff role granted and removed, accounts deactivated and reactivated, and the rest of a
user's admin form, each with who and why in the user's history. The role fields (`is_staff`, `is_superuser`, the
staff group, `is_active`) change here only; `user_save` refuses them, so that no role moves without its reason."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history
from kaikukeskus.models import User
from kaikukeskus.roles import STAFF_GROUP

ROLE_FIELDS = ("is_staff", "is_superuser", "is_active")

history.register_reasons(
    {
        "staff.granted": _l("Staff role granted"),
        "staff.revoked": _l("Staff role removed"),
        "superuser.granted": _l("Superuser status granted"),
        "superuser.revoked": _l("Superuser status removed"),
        "user.deactivated": _l("Deactivated"),
        "user.reactivated": _l("Reactivated"),
    }
)


def _require_user_manager(actor) -> None:
    """Services trust no caller: national staff who may change users (the staff group may; a superuser may)."""
    if not (getattr(actor, "acts_as_national_staff", False) and actor.has_perm("kaikukeskus.change_user")):
        raise PermissionDenied(_("Only Kaikukeskus staff can change users."))


def _require_superuser(actor) -> None:
    if not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser can grant or remove superuser status."))


def _refuse_self(actor, user: User, message: str) -> None:
    if user.pk is not None and user.pk == actor.pk:
        raise PermissionDenied(message)


def _locked(user: User) -> User:
    """The user as stored, locked until commit, so that two staff changing one user's role are told apart."""
    return User.objects.select_for_update().get(pk=user.pk)


def _save_roles(*, actor, user: User, stored: User, reason: str) -> User:
    """Copy the role `stored` has now been given onto the caller's object and record it."""
    history.save(stored, actor=actor, reason=reason, update_fields=list(ROLE_FIELDS))
    for name in ROLE_FIELDS:
        setattr(user, name, getattr(stored, name))
    user._is_national_staff = None  # asked again on the next check
    return user


@transaction.atomic
def user_save(*, actor, user: User) -> User:
    """Staff create a user or change their e-mail, names, language, password or other groups. The role stays as
    stored (a new user has none): it moves only through the services below."""
    _require_user_manager(actor)
    if user.pk is None:
        if user.is_staff or user.is_superuser or not user.is_active:
            raise ValueError("a new user starts without a role; grant it with staff_grant")
        history.save(user, actor=actor, reason="created")
        return user
    stored = _locked(user)
    changed = [name for name in ROLE_FIELDS if getattr(stored, name) != getattr(user, name)]
    if changed:
        raise ValueError(f"{', '.join(changed)} change through the role services")
    history.save(user, actor=actor, reason="edited")
    return user


@transaction.atomic
def staff_grant(*, actor, user: User, superuser: bool | None = None) -> User:
    """Make `user` Kaikukeskus staff (staff status and the staff group). `superuser` True or False sets
    superuser status too, which only a superuser may change; None leaves it as it is."""
    _require_user_manager(actor)
    stored = _locked(user)
    reason = "staff.granted"
    if superuser is not None and superuser != stored.is_superuser:
        _require_superuser(actor)
        if not superuser:
            _refuse_self(actor, user, _("You cannot remove your own superuser status; ask another superuser."))
        stored.is_superuser = superuser
        if stored.is_staff:
            reason = "superuser.granted" if superuser else "superuser.revoked"
    stored.is_staff = True
    stored.groups.add(Group.objects.get(name=STAFF_GROUP))
    return _save_roles(actor=actor, user=user, stored=stored, reason=reason)


@transaction.atomic
def staff_revoke(*, actor, user: User) -> User:
    """`user` is no longer staff: no staff status, no staff group, no superuser status (a superuser's is removed
    by a superuser only). Nobody removes their own: another staff member does, so that somebody is always left."""
    _require_user_manager(actor)
    _refuse_self(actor, user, _("You cannot remove your own staff role; ask another staff member."))
    stored = _locked(user)
    if stored.is_superuser:
        _require_superuser(actor)
    stored.is_staff = stored.is_superuser = False
    stored.groups.remove(Group.objects.get(name=STAFF_GROUP))
    return _save_roles(actor=actor, user=user, stored=stored, reason="staff.revoked")


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """`user` can no longer log in (the account and its history stay). Not one's own account, nor a superuser's
    unless by a superuser."""
    _require_user_manager(actor)
    _refuse_self(actor, user, _("You cannot deactivate your own account; ask another staff member."))
    stored = _locked(user)
    if stored.is_superuser:
        _require_superuser(actor)
    stored.is_active = False
    return _save_roles(actor=actor, user=user, stored=stored, reason="user.deactivated")


@transaction.atomic
def user_reactivate(*, actor, user: User) -> User:
    """`user` can log in again, with the role they had."""
    _require_user_manager(actor)
    stored = _locked(user)
    stored.is_active = True
    return _save_roles(actor=actor, user=user, stored=stored, reason="user.reactivated")


# What a person sets on "My account": their name, the language of their e-mails and the reminders they may turn off.
ACCOUNT_FIELDS = ("first_name", "last_name", "preferred_language", "wants_overdue_reminders", "wants_consultation_mail")

history.register_reasons({"account.edited": _l("Own account edited")})


@transaction.atomic
def account_update(*, actor, user: User, **changes) -> User:
    """A signed-in person changes their own account (`ACCOUNT_FIELDS` only: never a role, never the e-mail
    address, which allauth confirms). The next e-mail they get is in the language saved here."""
    if actor is None or not actor.is_authenticated or actor.pk != user.pk:
        raise PermissionDenied(_("You can change only your own account."))
    unknown = set(changes) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"cannot write {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(user, name, value)
    history.save(user, actor=actor, reason="account.edited", update_fields=list(changes))
    return user
