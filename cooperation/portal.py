"""The portal's front page: a link to the working groups for staff and for members of a group."""

from django.utils.translation import gettext_lazy as _

from cooperation.models import Membership
from kaikukeskus.portal import Panel
from localities.permissions import acts_as_national_staff


def panels(user) -> list[Panel]:
    if not acts_as_national_staff(user) and not Membership.objects.of_user(user).exists():
        return []
    return [Panel(_("Working groups"), "cooperation/panels/groups.html", {}, kind="info")]
