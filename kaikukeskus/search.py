"""The site search (`/search/?q=`): each app contributes a *provider* of one group of results (localities, venues,
materials, trainings, pages, news), registered from its `AppConfig.ready()`::

    from kaikukeskus import search
    search.register(my_app.search.materials, order=30)

A provider is `provider(*, user, query, language, limit) -> Group | None`: at most `limit` results of its kind that
`user` may see (the public ones, and what the user's role may see through `localities.permissions`), in the
reader's `language`, and the `total` that matched. `matching()` below is the one way a provider matches text, so
that every group ranks and falls back alike:

- on PostgreSQL, full text search in the language's configuration (`finnish`, `swedish`; `simple` for English)
  over the texts the reader sees (their language's, Finnish where it is empty), ranked with `ts_rank`, plus
  trigram word similarity of the name (the `pg_trgm` extension), which finds a name from a part or a typo;
- elsewhere (the SQLite default), a case-insensitive substring match over the same texts.

On PostgreSQL a big table's provider answers from indexes rather than by reading every row: `search_index()` is
the GIN index of exactly the document `matching()` searches in one language (a migration adds one per language,
see networks' 0009), and a `gin_trgm_ops` index on `UPPER(name)` answers the name's word similarity (the `%>`
operator, whose threshold `pg_trgm.word_similarity_threshold` every connection sets to `NAME_SIMILARITY`).

Each provider makes one query whatever the number of rows: the total is a window count of the same query.
`kaikukeskus` knows the registry, no app's models."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, TextField, Value, When, Window
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf, Upper
from django.utils import translation
from django.utils.functional import Promise

from kaikukeskus.registry import Registry

MAX_QUERY_LENGTH = 100  # characters of the query that are searched; the rest is ignored
MIN_QUERY_LENGTH = 2
DEFAULT_LIMIT = 5  # results per group
MAX_LIMIT = 20
# How alike a name must be to the query (pg_trgm's word similarity, 0–1) to be found without a word match.
NAME_SIMILARITY = 0.5
TEXT_SEARCH_CONFIGS = {"fi": "finnish", "sv": "swedish"}  # any other language: "simple"


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    summary: str = ""
    # Said beside the title for what visitors cannot see (a coordinator's own non-public locality).
    note: str | Promise = ""


@dataclass(frozen=True)
class Group:
    key: str
    label: str | Promise
    results: list[Result] = field(default_factory=list)
    total: int = 0


Provider = Callable[..., Group | None]
_registry = Registry()


def register(provider: Provider, *, order: int = 100) -> None:
    _registry.register(provider, order=order)


def clean_query(query: str | None) -> str:
    """The query as searched: white space folded, at most `MAX_QUERY_LENGTH` characters; "" when too short."""
    text = " ".join((query or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH].strip()
    return text if len(text) >= MIN_QUERY_LENGTH else ""


def search(*, user, query: str, language: str, limit: int = DEFAULT_LIMIT) -> list[Group]:
    """Every provider's group for the query, in the registry's order (groups without results included, so that
    a page can say where nothing was found)."""
    query = clean_query(query)
    if not query:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    groups = []
    language = language[:2]
    with translation.override(language):  # the results' titles and labels in the language searched
        for provider in _registry:
            group = provider(user=user, query=query, language=language, limit=limit)
            if group is not None:
                groups.append(group)
    return groups


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def shown_text(field_name: str, language: str) -> Combinable:
    """A translated field as the reader sees it: their language's column, the Finnish one where that is empty."""
    if language == "fi":
        return F(f"{field_name}_fi")
    text: TextField = TextField()
    return Coalesce(
        NullIf(F(f"{field_name}_{language}"), Value(""), output_field=text), F(f"{field_name}_fi"), output_field=text
    )


def search_document(texts: Sequence[Any], language: str):
    """PostgreSQL: the full text search document of `texts` (expressions or field names) in `language`'s
    configuration, the one `matching()` searches and `search_index()` indexes."""
    from django.contrib.postgres.search import SearchVector

    expressions = [F(text) if isinstance(text, str) else text for text in texts]
    return SearchVector(*expressions, config=TEXT_SEARCH_CONFIGS.get(language, "simple"))


def search_index(name: str, *, texts: Sequence[Any], language: str):
    """The GIN index that answers `matching()`'s words for `texts` read in `language` (PostgreSQL only: add it
    in a migration that does nothing elsewhere). Its expression must be the query's to the letter, so it is made
    by the same function; tests/communications/test_search.py checks that the venues' query uses it."""
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(search_document(texts, language), name=name)


def set_name_similarity_threshold(*, connection, **kwargs) -> None:
    """`connection_created`: the `%>` operator (which a trigram index answers) finds names as alike as
    `NAME_SIMILARITY`, as `matching()` ranks them (pg_trgm's own default is 0.6)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {NAME_SIMILARITY}")


def matching(
    queryset: QuerySet,
    *,
    query: str,
    language: str,
    texts: Sequence[Any],
    name: Any,
    limit: int,
    order_by: Sequence[str] = (),
) -> tuple[list[Any], int]:
    """The rows of `queryset` whose `texts` (expressions or field names) match `query`, best first, at most
    `limit` of them, and how many matched in all, in one query. `name` (an expression or field name) is the
    row's name for trigram similarity and the tie-break."""
    name_expression = F(name) if isinstance(name, str) else name
    text_expressions = [F(text) if isinstance(text, str) else text for text in texts]
    if uses_full_text_search():
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

        words = SearchQuery(query, config=TEXT_SEARCH_CONFIGS.get(language, "simple"), search_type="websearch")
        document = search_document(text_expressions, language)
        # The name's condition is `UPPER(name) %> UPPER(query)`: the same word similarity (pg_trgm folds case)
        # as a trigram index on `UPPER(name)` answers (networks' 0003 made those for the venues' search). It
        # comes first: a row it finds is not made into a document again to be checked.
        rows = queryset.alias(search_document=document, search_similarity=TrigramWordSimilarity(query, name_expression))
        rows = rows.filter(
            Q(TrigramWordSimilar(Upper(name_expression), Upper(Value(query)))) | Q(search_document=words)
        )
        # Making a row's document is the costly part (stemming every word): the words' rank is computed only for
        # the rows whose document matches, which the document's index lists once (a hashed subquery); the others
        # (found by their name) rank 0 there, as `ts_rank` gives them.
        matches_words = queryset.model._base_manager.alias(search_document=document).filter(search_document=words)
        words_rank = Case(
            When(pk__in=matches_words.values("pk"), then=SearchRank(F("search_document"), words)), default=0.0
        )
        rows = rows.annotate(search_rank=words_rank + F("search_similarity"))
        rows = rows.order_by(F("search_rank").desc(), *order_by, "pk")
    else:
        condition = Q()
        for index, expression in enumerate(text_expressions):
            alias = f"search_text_{index}"
            queryset = queryset.alias(**{alias: expression})
            condition |= Q(**{f"{alias}__icontains": query})
        rows = queryset.filter(condition).annotate(search_rank=Value(0.0, output_field=FloatField()))
        rows = rows.order_by(*order_by, "pk")
    rows = rows.annotate(search_total=Window(Count("pk")))[:limit]
    found = list(rows)
    total = found[0].search_total if found else 0
    return found, total
