"""The communications app's groups of the site search (`kaikukeskus.search`): the published site pages, and the news
items the reader may read (`NewsItem.objects.visible_to`: never a scheduled, expired or other audience's one),
by title and text in the reader's language (Finnish where there is none in theirs)."""

from django.db.models import Func, TextField, Value
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from communications.models import NewsItem, Page
from kaikukeskus.search import Group, Result, matching, shown_text, uses_full_text_search


class _WithoutTags(Func):
    """PostgreSQL: an HTML body's text, its tags replaced by spaces (so that `<strong>` is not a word)."""

    function = "REGEXP_REPLACE"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value("<[^>]*>"), Value(" "), Value("g"), **extra)


def pages(*, user, query: str, language: str, limit: int) -> Group:
    title = shown_text("title", language)
    body = shown_text("body", language)
    found, total = matching(
        Page.objects.published(),
        query=query,
        language=language,
        texts=[title, _WithoutTags(body) if uses_full_text_search() else body],
        name=title,
        limit=limit,
        order_by=["key"],
    )
    results = []
    for page in found:
        text = page.text(language)
        results.append(
            Result(title=text.title, url=page.get_absolute_url(), summary=Truncator(strip_tags(text.body)).words(25))
        )
    return Group(key="pages", label=_("Site pages"), results=results, total=total)


def news(*, user, query: str, language: str, limit: int) -> Group:
    title = shown_text("title", language)
    body = shown_text("body", language)
    found, total = matching(
        NewsItem.objects.visible_to(user),
        query=query,
        language=language,
        texts=[title, _WithoutTags(body) if uses_full_text_search() else body],
        name=title,
        limit=limit,
        order_by=["-publish_at"],
    )
    results = [
        Result(
            title=item.shown_title,
            url=item.get_absolute_url(),
            summary=formats.date_format(timezone.localtime(item.publish_at), "DATE_FORMAT"),
            note="" if item.audience == "public" else item.get_audience_display(),
        )
        for item in found
    ]
    return Group(key="news", label=_("News"), results=results, total=total)
