"""Pinned news items as banners on the site's front page (visitors: public items) and the portal's (items the
signed-in reader sees), until the reader dismisses them (kaikukeskus.banners)."""

from communications import selectors
from kaikukeskus.banners import PORTAL, SITE, Banner


def for_request(request, place: str) -> list[Banner]:
    from communications.views import dismissed_in_session

    user = request.user
    if place == PORTAL and not user.is_authenticated:
        return []
    if place not in (SITE, PORTAL):
        return []
    items = selectors.pinned_for(user=user, dismissed=dismissed_in_session(request))
    return [Banner(template="communications/banners/pinned.html", context={"item": item}) for item in items]
