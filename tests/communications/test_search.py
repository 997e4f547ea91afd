"""The site search: groups by kind, what each role finds, bounded queries, and the database's two paths
(PostgreSQL's full text search and trigrams, SQLite's substring match)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaikukeskus import search
from localities.models import Locality
from materials.models import Visibility
from tests.communications.factories import PageFactory
from tests.localities.factories import LocalityFactory
from tests.materials.factories import MaterialFactory
from tests.networks.factories import PartnerFactory
from tests.trainings.factories import TrainingFactory

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


def _keys(groups) -> dict[str, list[str]]:
    return {group.key: [result.title for result in group.results] for group in groups}


@pytest.fixture
def content(locality):
    """One thing of each kind about theatre ("teatteri"), public."""
    PartnerFactory(locality=locality, name="Kajaanin teatteri", offer_fi="Vapaalippu teatteriin.")
    MaterialFactory(title_fi="Teatteriopas kohteille", title_sv="Teaterguide", visibility=Visibility.PUBLIC)
    TrainingFactory(title_fi="Teatteri ja Kaikukortti", title_sv="Teater och Kaikukortet")
    LocalityFactory(name_fi="Teatterikylä", slug="teatterikyla")
    PageFactory(key="venues", draft_title_fi="Teatterit ja museot", draft_body_fi="<p>Teatteri on mukana.</p>")


def test_results_come_grouped_by_kind_in_the_registrys_order(content):
    groups = search.search(user=AnonymousUser(), query="teatteri", language="fi")
    assert [group.key for group in groups] == ["localities", "venues", "materials", "trainings", "news", "pages", "faq"]
    found = _keys(groups)
    assert found["venues"] == ["Kajaanin teatteri"]
    assert found["materials"] == ["Teatteriopas kohteille"]
    assert found["trainings"] == ["Teatteri ja Kaikukortti"]
    assert found["pages"] == ["Teatterit ja museot"]
    assert found["localities"] == ["Teatterikylä"]


def test_the_page_shows_each_kind_under_its_heading(client, content):
    response = client.get(SEARCH, {"q": "teatteri"})
    assert response.status_code == 200
    text = response.text
    for heading in ('id="group-venues"', 'id="group-materials"', 'id="group-trainings"', 'id="group-pages"'):
        assert heading in text
    assert text.index('id="group-venues"') < text.index('id="group-materials"')


def test_a_visitor_finds_no_non_public_thing_a_coordinator_finds_those_of_their_role(
    client, locality, other_locality, coordinator
):
    prospect = LocalityFactory(name_fi="Salainen kunta", slug="salainen", status=Locality.Status.PROSPECT)
    from tests.localities.factories import CoordinatorFactory

    CoordinatorFactory(locality=prospect, user=coordinator)
    LocalityFactory(name_fi="Salainen toinen", slug="salainen-toinen", status=Locality.Status.PROSPECT)
    PartnerFactory(locality=locality, name="Salainen kohde", listed_publicly=False)
    PartnerFactory(locality=other_locality, name="Salainen vieras kohde", listed_publicly=False)
    MaterialFactory(title_fi="Salainen opas", visibility=Visibility.COORDINATORS)
    MaterialFactory(title_fi="Salainen muistio", visibility=Visibility.STAFF)
    TrainingFactory(title_fi="Salainen luonnos", status="draft")

    visitor = _keys(search.search(user=AnonymousUser(), query="salainen", language="fi"))
    assert not any(visitor.values())
    assert "Salainen" not in client.get(SEARCH, {"q": "salainen"}).text.split("<main", 1)[1].split("Salainen", 1)[0]

    found = _keys(search.search(user=coordinator, query="salainen", language="fi"))
    assert found["localities"] == ["Salainen kunta"]
    assert found["venues"] == ["Salainen kohde"]
    assert found["materials"] == ["Salainen opas"]
    assert found["trainings"] == []


def test_a_coordinators_non_public_locality_leads_to_the_portal(coordinator, locality):
    locality.status = Locality.Status.PREPARING
    locality.save()
    [group] = [g for g in search.search(user=coordinator, query="kajaani", language="fi") if g.key == "localities"]
    assert group.results[0].url == reverse("localities:portal-detail", kwargs={"slug": locality.slug})
    assert group.results[0].note


def test_results_are_in_the_readers_language_and_fall_back_to_finnish():
    MaterialFactory(title_fi="Teatteriopas", title_sv="Teaterguide", title_en="")
    PageFactory(key="about", draft_title_fi="Teatterin sivu", draft_body_fi="<p>Suomeksi.</p>")
    sv = _keys(search.search(user=AnonymousUser(), query="teaterguide", language="sv"))
    assert sv["materials"] == ["Teaterguide"]
    en = _keys(search.search(user=AnonymousUser(), query="teatteriopas", language="en"))
    assert en["materials"] == ["Teatteriopas"]  # no English title: the Finnish one, as the page shows it
    assert _keys(search.search(user=AnonymousUser(), query="teatterin", language="sv"))["pages"] == ["Teatterin sivu"]


def _queries_for(user, query="kohde") -> int:
    with CaptureQueriesContext(connection) as captured:
        search.search(user=user, query=query, language="fi")
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_rows(locality, coordinator):
    for n in range(3):
        PartnerFactory(locality=locality, name=f"Kohde {n}")
        MaterialFactory(title_fi=f"Kohdeopas {n}")
    few_anonymous, few_coordinator = _queries_for(AnonymousUser()), _queries_for(coordinator)
    for n in range(3, 40):
        PartnerFactory(locality=locality, name=f"Kohde {n}")
        MaterialFactory(title_fi=f"Kohdeopas {n}")
        TrainingFactory(title_fi=f"Kohdekoulutus {n}")
    assert _queries_for(AnonymousUser()) == few_anonymous
    assert _queries_for(coordinator) == few_coordinator
    assert few_anonymous <= 7  # one per group (and the scope's own subquery inside them)


def test_each_group_is_limited_and_says_how_many_matched(locality):
    for n in range(12):
        PartnerFactory(locality=locality, name=f"Kohde {n}")
    [venues] = [g for g in search.search(user=AnonymousUser(), query="kohde", language="fi") if g.key == "venues"]
    assert len(venues.results) == search.DEFAULT_LIMIT and venues.total == 12


def test_the_query_is_bounded(client, locality):
    PartnerFactory(locality=locality, name="Kohde")
    assert search.clean_query("k" * 5000) == "k" * search.MAX_QUERY_LENGTH
    assert search.clean_query(" a ") == ""
    assert search.search(user=AnonymousUser(), query="a", language="fi") == []
    response = client.get(SEARCH, {"q": "kohde " + "x" * 5000})
    assert response.status_code == 200
    assert client.get(SEARCH, {"q": "a"}).status_code == 200  # "type at least two letters"
    assert client.get(SEARCH, {"q": "a\x00b"}).status_code == 400  # the middleware refuses NUL bytes


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite path: PostgreSQL takes the other")
def test_sqlite_matches_a_substring_of_any_text(locality):
    assert not search.uses_full_text_search()
    PartnerFactory(locality=locality, name="Kajaanin kaupunginteatteri", offer_fi="Näytökset")
    found = _keys(search.search(user=AnonymousUser(), query="PUNGINTEAT", language="fi"))
    assert found["venues"] == ["Kajaanin kaupunginteatteri"]
    assert _keys(search.search(user=AnonymousUser(), query="näytökset", language="fi"))["venues"]


@pytest.mark.postgresql
def test_postgresql_stems_finnish_and_swedish_words_and_ranks_titles(locality):
    assert search.uses_full_text_search()
    PartnerFactory(locality=locality, name="Kajaanin kaupunginteatteri", offer_fi="Ilmaiset liput näytöksiin.")
    MaterialFactory(
        title_fi="Kortinjakajan opas", title_sv="Guide för kortutdelare", description_sv="Utdelning av kort"
    )
    # Finnish stemming: "lipuilla" and "liput" share their stem.
    assert _keys(search.search(user=AnonymousUser(), query="lippu", language="fi"))["venues"] == [
        "Kajaanin kaupunginteatteri"
    ]
    # Swedish stemming: "kortutdelaren" finds "kortutdelare".
    assert _keys(search.search(user=AnonymousUser(), query="kortutdelaren", language="sv"))["materials"] == [
        "Guide för kortutdelare"
    ]


@pytest.mark.postgresql
def test_postgresql_finds_a_name_from_a_typo_by_trigrams(locality):
    PartnerFactory(locality=locality, name="Kajaanin kaupunginteatteri", offer_fi="")
    LocalityFactory(name_fi="Kainuu", slug="kainuu")
    assert _keys(search.search(user=AnonymousUser(), query="kaupunginteaatteri", language="fi"))["venues"] == [
        "Kajaanin kaupunginteatteri"
    ]
    assert "Kainuu" in _keys(search.search(user=AnonymousUser(), query="kainu", language="fi"))["localities"]
    # Word similarity 0.57: found at the search's threshold (NAME_SIMILARITY), which every connection sets for the
    # indexed operator (pg_trgm's own default, 0.6, would miss it).
    PartnerFactory(locality=locality, name="Kajaanin teatteri", offer_fi="")
    assert "Kajaanin teatteri" in _keys(search.search(user=AnonymousUser(), query="teatri", language="fi"))["venues"]


@pytest.mark.postgresql
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_postgresql_matches_venues_from_their_indexes(locality, language):
    """The venues' texts are matched from the indexes (networks' 0009 of the documents, 0003 of the names) rather
    than by reading every partner: with sequential and plain index scans ruled out, the planner can read the
    partners matching a query only through a bitmap of both indexes, which it does while each index's expression
    is the query's to the letter (a change of either leaves it a sequential scan)."""
    from networks.models import Partner
    from networks.search import venue_texts

    PartnerFactory(locality=locality, name="Kajaanin teatteri", offer_fi="Vapaalippu.")
    with CaptureQueriesContext(connection) as captured:
        search.matching(
            Partner.objects.all(),
            query="teatteri",
            language=language,
            texts=venue_texts(language),
            name="name",
            limit=5,
        )
    [query] = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "BitmapOr" in plan, plan
    assert f"Bitmap Index Scan on partner_search_{language}" in plan, plan
    assert "Bitmap Index Scan on partner_name_trgm" in plan, plan
    assert "Seq Scan" not in plan, plan


@pytest.mark.postgresql
def test_postgresql_ignores_markup_in_page_bodies():
    PageFactory(key="about", draft_title_fi="Tietoa", draft_body_fi="<p><strong>Kortti</strong></p>")
    assert _keys(search.search(user=AnonymousUser(), query="strong", language="fi"))["pages"] == []
    assert _keys(search.search(user=AnonymousUser(), query="kortti", language="fi"))["pages"] == ["Tietoa"]


def test_news_are_found_only_when_published_and_for_the_readers_audience(coordinator):
    import datetime

    from django.utils import timezone

    from tests.communications.factories import NewsItemFactory

    NewsItemFactory(title_fi="Teatteriuutinen julkinen")
    NewsItemFactory(title_fi="Teatteriuutinen ajastettu", publish_at=timezone.now() + datetime.timedelta(days=1))
    NewsItemFactory(
        title_fi="Teatteriuutinen vanhentunut",
        publish_at=timezone.now() - datetime.timedelta(days=9),
        expire_at=timezone.now() - datetime.timedelta(days=1),
    )
    NewsItemFactory(title_fi="Teatteriuutinen koordinaattoreille", audience="coordinators")
    visitor = _keys(search.search(user=AnonymousUser(), query="teatteriuutinen", language="fi"))
    assert visitor["news"] == ["Teatteriuutinen julkinen"]
    found = _keys(search.search(user=coordinator, query="teatteriuutinen", language="fi"))
    assert sorted(found["news"]) == ["Teatteriuutinen julkinen", "Teatteriuutinen koordinaattoreille"]
