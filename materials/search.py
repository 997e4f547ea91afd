"""The materials' group of the site search (`kaikukeskus.search`): the materials the user may see
(`Material.objects.visible_to`), by title and description in the reader's language."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from kaikukeskus.search import Group, Result, matching, shown_text
from materials.models import Material, Visibility


def materials(*, user, query: str, language: str, limit: int) -> Group:
    title = shown_text("title", language)
    found, total = matching(
        Material.objects.visible_to(user),
        query=query,
        language=language,
        texts=[title, shown_text("description", language)],
        name=title,
        limit=limit,
        order_by=["title_fi"],
    )
    results = [
        Result(
            title=material.title,
            url=reverse("materials:detail", kwargs={"slug": material.slug}),
            summary=Truncator(material.description).words(25),
            note="" if material.visibility == Visibility.PUBLIC else material.get_visibility_display(),
        )
        for material in found
    ]
    return Group(key="materials", label=_("Materials"), results=results, total=total)
