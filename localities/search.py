"""The localities' group of the site search (`kaikukeskus.search`): the public localities, and for a coordinator
or staff also the non-public ones they may work on (`localities_for`), which lead to the portal."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kaikukeskus.search import Group, Result, matching, shown_text
from localities.models import Locality
from localities.permissions import localities_for


def localities(*, user, query: str, language: str, limit: int) -> Group:
    visible = Locality.objects.filter(Q(status__in=Locality.PUBLIC_STATUSES) | Q(pk__in=localities_for(user)))
    name = shown_text("name", language)
    found, total = matching(visible, query=query, language=language, texts=[name], name=name, limit=limit)
    results = []
    for locality in found:
        if locality.is_public:
            url, note = reverse("localities:public-detail", kwargs={"slug": locality.slug}), ""
        else:
            url, note = reverse("localities:portal-detail", kwargs={"slug": locality.slug}), _("Not public")
        results.append(Result(title=locality.name, url=url, summary=locality.get_status_display(), note=note))
    return Group(key="localities", label=_("Localities"), results=results, total=total)
