"""`/sitemap.xml`: every public page in three languages with hreflang alternates; nothing that is not public."""

import pytest

from localities.models import Locality
from materials.models import Visibility
from tests.communications.factories import PageFactory
from tests.localities.factories import LocalityFactory
from tests.materials.factories import MaterialFactory
from tests.trainings.factories import TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitemap(client, locality):
    LocalityFactory(slug="salainen", status=Locality.Status.PROSPECT)
    MaterialFactory(slug="julkinen-opas", visibility=Visibility.PUBLIC)
    MaterialFactory(slug="sisainen-opas", visibility=Visibility.COORDINATORS)
    public_training = TrainingFactory()
    draft_training = TrainingFactory(status="draft")
    PageFactory(key="about")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    return response.text, public_training, draft_training


def test_every_public_page_is_listed_in_three_languages(sitemap):
    text, public_training, _draft = sitemap
    for path in (
        "/",
        "/localities/kajaani/",
        "/materials/julkinen-opas/",
        f"/trainings/{public_training.pk}/",
        "/about/",
        "/accessibility/",
        "/privacy/",
        "/contact/",
        "/localities/",
        "/materials/",
        "/venues/",
    ):
        for prefix in ("", "/sv", "/en"):
            assert f"<loc>http://testserver{prefix}{path}</loc>" in text, f"{prefix}{path}"


def test_each_entry_names_its_alternates(sitemap):
    text, *_ = sitemap
    assert '<xhtml:link rel="alternate" hreflang="fi" href="http://testserver/about/"/>' in text
    assert '<xhtml:link rel="alternate" hreflang="sv" href="http://testserver/sv/about/"/>' in text
    assert '<xhtml:link rel="alternate" hreflang="en" href="http://testserver/en/about/"/>' in text
    assert 'hreflang="x-default"' in text


def test_nothing_that_is_not_public(sitemap):
    text, _public, draft_training = sitemap
    for path in (
        "/localities/salainen/",
        "/materials/sisainen-opas/",
        f"/trainings/{draft_training.pk}/",
        "/for-venues/",
        "/portal/",
    ):
        assert f"{path}</loc>" not in text


def test_public_news_are_listed_and_scheduled_or_coordinators_news_are_not(client):
    import datetime

    from django.utils import timezone

    from tests.communications.factories import NewsItemFactory

    NewsItemFactory(slug="julkinen-uutinen")
    NewsItemFactory(slug="ajastettu-uutinen", publish_at=timezone.now() + datetime.timedelta(days=1))
    NewsItemFactory(slug="koordinaattoreille", audience="coordinators")
    text = client.get("/sitemap.xml").text
    assert "<loc>http://testserver/sv/news/julkinen-uutinen/</loc>" in text
    assert "ajastettu-uutinen" not in text and "koordinaattoreille" not in text
