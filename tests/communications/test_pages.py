"""The site's own pages: drafts and publishing through the services, the fallback language, the preview for
staff only, the stable addresses and the public cache."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communications import services
from communications.models.pages import Page
from kaikukeskus.locking import StaleVersionError
from tests.communications.factories import PageFactory

pytestmark = pytest.mark.django_db


def _draft(staff, **fields) -> Page:
    page = Page(key=fields.pop("key", Page.Key.VENUES), draft_title_fi="Kohteille", draft_body_fi="<p>Teksti</p>")
    for name, value in fields.items():
        setattr(page, name, value)
    return services.page_save_draft(actor=staff, page=page)


def test_a_draft_is_sanitised_and_kept_with_who_and_why(staff):
    page = _draft(staff, draft_body_fi='<p onclick="x()">Hei<script>alert(1)</script></p>')
    assert page.draft_body_fi == "<p>Hei</p>"
    record = page.history.latest()
    assert record.history_user == staff
    assert record.history_change_reason == "page.draft_saved"
    assert not page.is_published


def test_only_staff_write_pages(coordinator):
    with pytest.raises(PermissionDenied):
        _draft(coordinator)
    assert not Page.objects.exists()


def test_a_language_needs_both_its_title_and_its_text(staff):
    with pytest.raises(ValidationError) as error:
        _draft(staff, draft_title_sv="För aktörer")
    assert list(error.value.message_dict) == ["draft_body_sv"]


def test_publishing_copies_the_draft_and_a_stale_preview_is_refused(staff):
    page = _draft(staff)
    opened_at = page.version
    page.draft_body_fi = "<p>Uusi</p>"
    services.page_save_draft(actor=staff, page=page, expected_version=opened_at)
    with pytest.raises(StaleVersionError):
        services.page_publish(actor=staff, page=page, expected_version=opened_at)
    page.refresh_from_db()
    assert not page.is_published
    services.page_publish(actor=staff, page=page, expected_version=page.version)
    page.refresh_from_db()
    assert page.is_published and page.body_fi == "<p>Uusi</p>" and page.published_by == staff
    assert not page.has_unpublished_changes
    assert page.history.latest().history_change_reason == "page.published"


def test_visitors_read_the_published_text_not_the_draft(client, staff):
    page = PageFactory(key=Page.Key.VENUES, draft_title_fi="Kohteille", draft_body_fi="<p>Julkaistu teksti</p>")
    page.draft_body_fi = "<p>Luonnos</p>"
    services.page_save_draft(actor=staff, page=page)
    response = client.get("/for-venues/")
    assert response.status_code == 200
    assert "Julkaistu teksti" in response.text and "Luonnos" not in response.text


@pytest.mark.parametrize(("prefix", "label"), [("/sv", "På finska"), ("/en", "In Finnish")])
def test_a_missing_language_shows_the_finnish_text_labelled_in_the_readers_language(client, prefix, label):
    PageFactory(key=Page.Key.ABOUT, draft_title_fi="Mikä Kaikukortti on?", draft_body_fi="<p>Suomeksi.</p>")
    response = client.get(f"{prefix}/about/")
    assert response.status_code == 200
    assert label in response.text
    assert '<article class="prose site-page" lang="fi">' in response.text
    assert "Suomeksi." in response.text


def test_a_translated_page_is_read_in_its_language_without_the_label(client):
    PageFactory(key=Page.Key.ABOUT, draft_title_sv="Vad är Kaikukortet?", draft_body_sv="<p>På svenska.</p>")
    response = client.get("/sv/about/")
    assert "På svenska." in response.text and "På finska" not in response.text
    assert 'lang="sv"' in response.text


def test_an_unpublished_new_page_is_not_found_and_the_former_pages_keep_their_template(client, staff):
    _draft(staff, key=Page.Key.ABOUT)
    assert client.get("/about/").status_code == 404
    for name, heading in (("accessibility", "Saavutettavuusseloste"), ("privacy", "Tietosuojaseloste")):
        response = client.get(reverse(name))
        assert response.status_code == 200 and heading in response.text
    assert reverse("contact") == "/contact/"


def test_a_published_former_page_replaces_its_template_and_keeps_the_contact_details(client, settings):
    settings.KAIKUKESKUS_CONTACT_EMAIL = "kaikukeskus@example.fi"
    PageFactory(key=Page.Key.CONTACT, draft_title_fi="Yhteystiedot", draft_body_fi="<p>Soita meille.</p>")
    response = client.get("/contact/")
    assert "Soita meille." in response.text and "kaikukeskus@example.fi" in response.text


def test_the_footer_links_the_published_pages_by_their_stable_addresses(client):
    PageFactory(key=Page.Key.ISSUERS, draft_title_fi="Kortinjakajille")
    text = client.get("/").text
    for path in ("/for-issuers/", "/contact/", "/accessibility/", "/privacy/"):
        assert f'href="{path}"' in text
    assert 'href="/for-venues/"' not in text  # not published


def test_the_preview_shows_the_draft_to_staff_only(client, staff, coordinator):
    page = PageFactory(key=Page.Key.CARD, draft_title_fi="Miten saan kortin?", draft_body_fi="<p>Vanha</p>")
    page.draft_body_fi = "<p>Luonnosteksti</p>"
    services.page_save_draft(actor=staff, page=page)
    url = reverse("communications:page-preview", kwargs={"key": "card"})
    assert client.get(url).status_code == 302  # to login
    client.force_login(coordinator)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200 and "Luonnosteksti" in response.text
    assert reverse("communications:page-publish", kwargs={"key": "card"}) in response.text
    assert "Luonnosteksti" in client.get(f"{url}?language=sv").text  # Finnish, as visitors would see it


def test_staff_publish_from_the_preview_and_visitors_see_it_at_once(client, staff):
    page = PageFactory(key=Page.Key.CARD, draft_title_fi="Miten saan kortin?", draft_body_fi="<p>Vanha</p>")
    assert "Vanha" in client.get("/get-the-card/").text  # now in the public cache
    page.draft_body_fi = "<p>Uusi</p>"
    services.page_save_draft(actor=staff, page=page)
    assert "Vanha" in client.get("/get-the-card/").text
    staff_client = client.__class__()
    staff_client.force_login(staff)
    page.refresh_from_db()
    response = staff_client.post(
        reverse("communications:page-publish", kwargs={"key": "card"}), {"version": page.version}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/get-the-card/"
    assert "Uusi" in client.get("/get-the-card/").text


def test_publishing_a_draft_changed_since_the_preview_is_refused(client, staff):
    page = _draft(staff, key=Page.Key.CARD)
    opened_at = page.version
    services.page_save_draft(actor=staff, page=page)
    client.force_login(staff)
    response = client.post(reverse("communications:page-publish", kwargs={"key": "card"}), {"version": opened_at})
    assert response.headers["Location"] == reverse("communications:page-preview", kwargs={"key": "card"})
    page.refresh_from_db()
    assert not page.is_published


def test_the_admin_saves_a_draft_through_the_service_and_leads_to_the_preview(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:communications_page_add"),
        {
            "key": "issuers",
            "draft_title_fi": "Kortinjakajille",
            "draft_body_fi": '<p>Teksti<img src="https://evil.example/x.png"></p>',
            "draft_title_sv": "",
            "draft_body_sv": "",
            "draft_title_en": "",
            "draft_body_en": "",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("communications:page-preview", kwargs={"key": "issuers"})
    page = Page.objects.get(key="issuers")
    assert "evil" not in page.draft_body_fi and "src" not in page.draft_body_fi
    assert page.history.latest().history_user == staff


def test_a_body_written_past_the_services_is_still_shown_sanitised():
    page = PageFactory(key="venues", draft_title_fi="Kohteille", draft_body_fi="<p>Teksti</p>")
    Page.objects.filter(pk=page.pk).update(title_fi="Kohteille", body_fi='<p onclick="x()">Hei</p><script>x()</script>')
    page.refresh_from_db()
    body = page.text("fi").body
    assert "script" not in body
    assert "onclick" not in body
    assert "Hei" in body


def test_the_join_page_shows_the_text_staff_publish_and_keeps_its_form(client, staff):
    """/join/ (served by localities, with the running localities and the interest form) shows the site page
    "join" once staff publish it, in the reader's language or in Finnish with a note; until then its own text."""
    join = reverse("localities:join")
    before = client.get(join).content.decode()
    assert "Kaikukortti kuntaanne tai hyvinvointialueellenne" in before or "How adoption goes" in before
    page = _draft(
        staff,
        key=Page.Key.JOIN,
        draft_title_fi="Kaikukortti kuntaan",
        draft_body_fi="<p>Näin otatte kortin käyttöön.</p>",
        draft_title_sv="Kaikukortet i kommunen",
        draft_body_sv="<p>Så tar ni kortet i bruk.</p>",
    )
    assert "Näin otatte" not in client.get(join).content.decode()  # a draft is not shown
    services.page_publish(actor=staff, page=page, expected_version=page.version)
    finnish = client.get(join).content.decode()
    assert "<h1>Kaikukortti kuntaan</h1>" in finnish and "Näin otatte kortin käyttöön." in finnish
    assert "<title>Kaikukortti kuntaan" in finnish
    assert 'name="organisation"' in finnish  # the interest form stays
    swedish = client.get("/sv" + join).content.decode()
    assert "Så tar ni kortet i bruk." in swedish and "language-note" not in swedish
    english = client.get("/en" + join).content.decode()
    assert 'lang="fi"' in english and "Näin otatte kortin käyttöön." in english and "language-note" in english
    assert page.get_absolute_url() == reverse("localities:join")


def test_the_join_page_is_in_the_sitemap_once_whether_or_not_its_text_is_published(client, staff):
    page = _draft(staff, key=Page.Key.JOIN, draft_title_fi="Kaikukortti kuntaan", draft_body_fi="<p>Teksti</p>")
    services.page_publish(actor=staff, page=page, expected_version=page.version)
    xml = client.get("/sitemap.xml").content.decode()
    assert xml.count("<loc>http://testserver/join/</loc>") == 1
