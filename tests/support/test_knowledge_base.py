import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from support import selectors, services
from support.anonymise import strip_personal_data
from support.models import Article, Category
from tests.kaikukeskus.factories import UserFactory
from tests.localities.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def article(**values) -> Article:
    defaults = {
        "slug": values.get("slug", "kortit"),
        "title_fi": "Mistä kortit tilataan?",
        "body_fi": "Kortit tilataan Kaikukeskuksesta.",
        "category": Category.CARDS,
        "visibility": Article.Visibility.PUBLIC,
        "is_published": True,
    }
    return Article.objects.create(**{**defaults, **values})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soita numeroon 040 123 4567.", "Soita numeroon [phone number]."),
        ("Puh. +358 9 310 1234 tai (09) 3101 2345", "Puh. [phone number] tai [phone number]"),
        ("Lähetä osoitteeseen maija.meikalainen@kajaani.fi kiitos", "Lähetä osoitteeseen [e-mail address] kiitos"),
        ("Vuonna 2024 jaettiin 1500 korttia 12.3.2024.", "Vuonna 2024 jaettiin 1500 korttia 12.3.2024."),
        ("Terveisin Matti Virtanen", "Terveisin [name]"),
        ("Kysy Virtaselta tai Matilta", "Kysy [name] tai Matilta"),
    ],
)
def test_personal_data_is_stripped(text, expected):
    with translation.override("en"):
        assert strip_personal_data(text, names=["Matti Virtanen"]) == expected


def test_an_article_is_made_from_a_question_without_names_addresses_or_phones(
    coordinator, second_coordinator, locality, staff
):
    coordinator.first_name, coordinator.last_name = "Hanna", "Korhonen"
    coordinator.save()
    CoordinatorFactory(locality=locality, user__first_name="Pekka", user__last_name="Lahtinen")
    question = services.question_create(
        actor=coordinator,
        locality=locality,
        category=Category.CARDS,
        subject="Kortit loppuivat",
        body="Hei, täällä Hanna Korhonen. Pekka Lahtinen sanoi, että soitan numeroon 044 987 6543. "
        "Vastaa osoitteeseen hanna.korhonen@kajaani.fi.",
    )
    services.message_add(actor=staff, question=question, body="Hei Hanna! Lisää kortteja tulee viikossa.")
    services.message_add(actor=staff, question=question, body="Muistiinpano: SALAINEN", internal=True)
    draft = services.article_from_question(actor=staff, question=question)
    assert (draft.title_fi, draft.category, draft.is_published, draft.source_question) == (
        "Kortit loppuivat",
        Category.CARDS,
        False,
        question,
    )
    for personal in ("Hanna", "Korhonen", "Pekka", "Lahtinen", "044", "@", "SALAINEN"):
        assert personal not in draft.body_fi, personal
    assert "Lisää kortteja tulee viikossa." in draft.body_fi and "[nimi]" in draft.body_fi
    assert draft.history.get().history_change_reason == "support.article_drafted"
    with pytest.raises(PermissionDenied):
        services.article_from_question(actor=coordinator, question=question)


def test_an_article_draft_leaves_out_the_localitys_partner_contacts_and_silent_coordinators(
    coordinator, locality, staff
):
    from tests.networks.factories import ContactPersonFactory, PartnerFactory

    theatre = PartnerFactory(locality=locality, name="Kajaanin kaupunginteatteri")
    ContactPersonFactory(partner=theatre, name="Riikka Heikkinen", email="riikka@teatteri.example.fi")
    ContactPersonFactory(partner=PartnerFactory(locality=locality), name="Olli Mäkelä", email="", phone="040 1")
    # A coordinator of the locality who never wrote in the thread.
    CoordinatorFactory(locality=locality, user__first_name="Sirpa", user__last_name="Järvinen")
    question = services.question_create(
        actor=coordinator,
        locality=locality,
        category=Category.PARTNERS,
        subject="Riikka Heikkisen lippukiintiö",
        body="Teatterin Riikka Heikkinen ja Olli Mäkelä kysyivät kiintiöstä. Sirpa Järviseltä tuli sama kysymys.",
    )
    services.message_add(actor=staff, question=question, body="Kiintiön voi sopia kumppanin kanssa.")

    draft = services.article_from_question(actor=staff, question=question)

    for personal in ("Riikka", "Heikki", "Olli", "Mäkelä", "Sirpa", "Järvi"):
        assert personal not in draft.body_fi and personal not in draft.title_fi, personal
    assert "Kiintiön voi sopia kumppanin kanssa." in draft.body_fi
    assert draft.title_fi == "[nimi] lippukiintiö"


def test_who_reads_which_article(coordinator, staff):
    article(slug="julkinen")
    article(slug="koordinaattoreille", visibility=Article.Visibility.COORDINATORS)
    article(slug="henkilostolle", visibility=Article.Visibility.STAFF)
    article(slug="luonnos", is_published=False)
    slugs = lambda user: set(Article.objects.visible_to(user).values_list("slug", flat=True))  # noqa: E731
    assert slugs(None) == {"julkinen"}
    assert slugs(UserFactory()) == {"julkinen"}
    assert slugs(coordinator) == {"julkinen", "koordinaattoreille"}
    assert slugs(staff) == {"julkinen", "koordinaattoreille", "henkilostolle", "luonnos"}


def test_the_public_faq_shows_public_articles_only(client, coordinator):
    article(slug="julkinen", title_fi="Julkinen vastaus")
    article(slug="sisainen", title_fi="Koordinaattorien vastaus", visibility=Article.Visibility.COORDINATORS)
    page = client.get(reverse("support:faq")).content.decode()
    assert "Julkinen vastaus" in page and "Koordinaattorien vastaus" not in page
    assert client.get(reverse("support:faq-detail", kwargs={"slug": "julkinen"})).status_code == 200
    assert client.get(reverse("support:faq-detail", kwargs={"slug": "sisainen"})).status_code == 404
    client.force_login(coordinator)
    assert client.get(reverse("support:faq-detail", kwargs={"slug": "sisainen"})).status_code == 404
    assert client.get(reverse("support:article", kwargs={"slug": "sisainen"})).status_code == 200


def test_a_published_article_reaches_the_cached_faq_at_once(client, staff):
    assert "Uusi vastaus" not in client.get(reverse("support:faq")).content.decode()
    draft = article(slug="uusi", title_fi="Uusi vastaus", is_published=False)
    draft.is_published = True
    services.article_save(actor=staff, article=draft)
    assert "Uusi vastaus" in client.get(reverse("support:faq")).content.decode()


def test_an_untranslated_article_is_shown_in_finnish_with_a_label(client):
    article(slug="vain-suomeksi", title_fi="Vain suomeksi", body_fi="Teksti suomeksi.")
    article(slug="kaannetty", title_fi="Käännetty", title_sv="Översatt", body_sv="Text på svenska.")
    with translation.override("sv"):
        untranslated = client.get(reverse("support:faq-detail", kwargs={"slug": "vain-suomeksi"})).content.decode()
        translated = client.get(reverse("support:faq-detail", kwargs={"slug": "kaannetty"})).content.decode()
    assert "Vain suomeksi" in untranslated and "visas på finska" in untranslated
    assert "Översatt" in translated and "Text på svenska." in translated and "visas på finska" not in translated


def test_material_links_by_slug_or_address():
    linked = article(material_links="toimintamalli\n/materials/esite/\n")
    assert linked.material_links_list == ["/materials/toimintamalli/", "/materials/esite/"]


def test_matching_articles_are_suggested_while_a_question_is_written(client, coordinator, locality):
    article(slug="kortit", title_fi="Kortit loppuivat: mistä lisää?")
    article(slug="tilastot", title_fi="Tilastojen ilmoittaminen", body_fi="Lomakkeella.", category=Category.STATISTICS)
    assert [a.slug for a in selectors.article_suggestions(user=coordinator, subject="Kortit loppuivat")] == ["kortit"]
    client.force_login(coordinator)
    response = client.post(
        reverse("support:create"),
        {"locality": locality.pk, "category": Category.CARDS, "subject": "Kortit loppuivat", "body": "", "check": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Kortit loppuivat: mistä lisää?" in page
    assert "Tilastojen ilmoittaminen" not in page
    from support.models import Question

    assert not Question.objects.exists(), "looking for answers sends nothing"


def test_staff_make_a_draft_article_from_the_inbox(client, staff, coordinator, locality):
    question = services.question_create(
        actor=coordinator, locality=locality, category=Category.PILOT, subject="Pilotin alku", body="Milloin?"
    )
    client.force_login(staff)
    response = client.post(reverse("support:staff-article", kwargs={"pk": question.pk}), {"visibility": "public"})
    draft = Article.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:support_article_change", args=[draft.pk])
    assert draft.visibility == Article.Visibility.PUBLIC and not draft.is_published


# --- The site search and the sitemap ----------------------------------------------------------------------


def _found(user) -> list[str]:
    from kaikukeskus import search

    groups = {group.key: group for group in search.search(user=user, query="kortit", language="fi")}
    return [result.title for result in groups["faq"].results]


def test_the_site_search_finds_the_articles_each_reader_may_read(coordinator, staff):
    from django.contrib.auth.models import AnonymousUser

    article(slug="julkinen", title_fi="Kortit julkisesti")
    article(slug="koordinaattoreille", title_fi="Kortit koordinaattoreille", visibility=Article.Visibility.COORDINATORS)
    article(slug="henkilostolle", title_fi="Kortit henkilöstölle", visibility=Article.Visibility.STAFF)
    article(slug="luonnos", title_fi="Kortit luonnoksena", is_published=False)

    assert _found(AnonymousUser()) == ["Kortit julkisesti"]
    assert sorted(_found(coordinator)) == ["Kortit julkisesti", "Kortit koordinaattoreille"]
    assert len(_found(staff)) == 4


def test_a_search_result_leads_to_faq_for_the_public_and_to_the_portal_otherwise(coordinator):
    from kaikukeskus import search

    article(slug="julkinen", title_fi="Kortit julkisesti")
    article(slug="koordinaattoreille", title_fi="Kortit koordinaattoreille", visibility=Article.Visibility.COORDINATORS)
    group = next(
        group for group in search.search(user=coordinator, query="kortit", language="fi") if group.key == "faq"
    )
    urls = {result.title: result.url for result in group.results}
    assert urls["Kortit julkisesti"] == reverse("support:faq-detail", kwargs={"slug": "julkinen"})
    assert urls["Kortit koordinaattoreille"] == reverse("support:article", kwargs={"slug": "koordinaattoreille"})


def test_the_sitemap_lists_public_articles_only(client):
    article(slug="julkinen")
    article(slug="koordinaattoreille", visibility=Article.Visibility.COORDINATORS)
    article(slug="luonnos", is_published=False)
    text = client.get("/sitemap.xml").text
    assert "/faq/julkinen/" in text
    assert "/faq/" in text
    assert "koordinaattoreille" not in text
    assert "luonnos" not in text
