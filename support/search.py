"""The knowledge base's group of the site search (`kaikukeskus.search`): the articles the reader may read
(`Article.objects.visible_to`: the public ones for everybody, coordinators' articles for coordinators, all for
staff), by title and text in the reader's language (Finnish where there is none in theirs). A public article links
to `/faq/`, any other to its page in the portal."""

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from kaikukeskus.search import Group, Result, matching, shown_text
from support.models import Article


def articles(*, user, query: str, language: str, limit: int) -> Group:
    title = shown_text("title", language)
    found, total = matching(
        Article.objects.visible_to(user),
        query=query,
        language=language,
        texts=[title, shown_text("body", language)],
        name=title,
        limit=limit,
        order_by=["title_fi"],
    )
    results = []
    for article in found:
        public = article.visibility == Article.Visibility.PUBLIC and article.is_published
        view = "support:faq-detail" if public else "support:article"
        results.append(
            Result(
                title=article.title,
                url=reverse(view, kwargs={"slug": article.slug}),
                summary=Truncator(strip_tags(article.body)).words(25),
                note="" if public else article.get_visibility_display(),
            )
        )
    return Group(key="faq", label=_("Frequently asked questions"), results=results, total=total)
