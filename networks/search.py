"""The venues' group of the site search (`kaikukeskus.search`): the venues visitors see (`Partner.objects.public()`,
here as `shown_to_visitors()`, a check of each row), by name and offer in the reader's language; for a coordinator
or staff also the partners of the localities they work on (issuers, unlisted and former venues too), which lead to
the partner's page in the portal."""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from kaikukeskus.search import Group, Result, matching, shown_text
from localities.permissions import localities_for
from networks.models import Partner, shown_to_visitors


def venue_texts(language: str) -> list:
    """What the venues' search matches in `language`: the name and the offer as the reader sees it (networks'
    0009 indexes exactly these)."""
    return ["name", shown_text("offer", language)]


def venues(*, user, query: str, language: str, limit: int) -> Group:
    visible = (
        Partner.objects.annotate(search_public=ExpressionWrapper(shown_to_visitors(), output_field=BooleanField()))
        .filter(Q(search_public=True) | Q(locality__in=localities_for(user)))
        .select_related("locality", "municipality")
    )
    found, total = matching(
        visible,
        query=query,
        language=language,
        texts=venue_texts(language),
        name="name",
        limit=limit,
        order_by=["name"],
    )
    results = []
    for partner in found:
        where = f"{partner.municipality.name} · {partner.locality.name}"
        if partner.search_public:
            url = reverse("localities:public-detail", kwargs={"slug": partner.locality.slug}) + "#venues"
            results.append(Result(title=partner.name, url=url, summary=where))
        else:
            url = reverse("networks:partner-edit", kwargs={"slug": partner.locality.slug, "pk": partner.pk})
            results.append(Result(title=partner.name, url=url, summary=where, note=partner.get_role_display()))
    return Group(key="venues", label=pgettext_lazy("search group", "Venues"), results=results, total=total)
