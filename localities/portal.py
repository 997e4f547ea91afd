"""The localities' panel on the coordinator's front page."""

from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from localities import selectors


def panels(user) -> list[Panel]:
    localities = list(selectors.coordinator_localities(user=user))
    return [
        Panel(
            title=_("Your localities"),
            template="localities/panels/your_localities.html",
            context={"localities": localities, "is_national_staff": user.is_national_staff},
        )
    ]
