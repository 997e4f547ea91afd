"""My account: e-mail, password and two-factor authentication are sections of one place, each a step away,
in the site's own layout."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECTIONS = ["account", "account_email", "account_change_password", "mfa_index"]


def account_nav(html: str) -> str:
    (nav,) = re.findall(r'<nav class="account-nav".*?</nav>', html, re.S)
    return nav


@pytest.mark.parametrize("current", SECTIONS)
def test_every_account_page_links_to_password_change_and_two_factor_setup(coordinator_client, current):
    response = coordinator_client.get(reverse(current))

    assert response.status_code == 200
    nav = account_nav(response.content.decode())
    for section in SECTIONS:
        assert f'href="{reverse(section)}"' in nav
    assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == [reverse(current)]


def test_account_forms_use_the_site_fields_and_buttons(coordinator_client):
    html = coordinator_client.get(reverse("account_change_password")).content.decode()

    assert '<div class="field' in html
    assert re.search(r'<button\s+class="button"[^>]*type="submit"', html)


def test_password_change_errors_are_summarised_and_the_password_stays(coordinator_client, coordinator, password):
    response = coordinator_client.post(
        reverse("account_change_password"), {"oldpassword": password, "password1": "lyhyt", "password2": "lyhyt"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Salasana on liian lyhyt. Siinä on oltava vähintään 12 merkkiä." in html
    coordinator.refresh_from_db()
    assert coordinator.check_password(password)


def test_password_change_from_my_account(coordinator_client, coordinator, password):
    new = "uusi-pitkä-salasana-2026"
    response = coordinator_client.post(
        reverse("account_change_password"), {"oldpassword": password, "password1": new, "password2": new}
    )

    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password(new)
