import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/", "fi", "Kaikukortti – kulttuuria ja liikuntaa kaikille"),
        ("/sv/", "sv", "Kaikukortti – kultur och idrott för alla"),
        ("/en/", "en", "Kaikukortti – culture and sport for everyone"),
    ],
)
def test_front_page_speaks_each_language(client, path, language, heading):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html


@pytest.mark.parametrize("name", ["accessibility", "privacy", "account_login", "admin:login"])
@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_public_pages_answer_in_every_language(client, name, prefix):
    with translation.override("fi"):
        path = reverse(name)
    response = client.get(prefix + path)
    assert response.status_code == 200


def test_every_page_links_the_accessibility_statement_and_privacy_notice(client):
    html = client.get("/sv/").content.decode()
    assert 'href="/sv/accessibility/"' in html and "Tillgänglighetsutlåtande" in html
    assert 'href="/sv/privacy/"' in html and "Dataskyddsbeskrivning" in html


def test_language_switcher_links_to_the_same_page_in_other_languages(client):
    html = client.get("/en/privacy/").content.decode()
    assert 'href="/privacy/"' in html
    assert 'href="/sv/privacy/"' in html
    assert 'href="/en/privacy/" aria-current="true"' in html


def test_layout_has_landmarks_and_skip_link(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">Siirry pääsisältöön</a>' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


def test_no_asset_comes_from_another_host(client):
    html = client.get("/").content.decode()
    assert 'src="http' not in html and 'href="http' not in html.replace('href="https://', "")


def test_portal_sends_a_visitor_to_login(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/portal/"


def test_portal_shows_a_coordinator_only_their_localities(coordinator_client, locality, other_locality):
    html = coordinator_client.get("/portal/").content.decode()
    assert locality.name_fi in html
    assert other_locality.name_fi not in html


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
