"""The site pages' group of the site search (`kaikukeskus.search`): the published pages, by title and text in the
reader's language (Finnish where the page has no text in theirs)."""

from django.db.models import Func, TextField, Value
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from communications.models.pages import Page
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
