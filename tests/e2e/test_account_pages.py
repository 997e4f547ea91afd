"""allauth's pages in the portal's layout: reachable and axe-clean in every language."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in
from tests.localities.factories import CoordinatorFactory

ANONYMOUS_PAGES = ["/accounts/password/reset/", "/accounts/signup/", "/accessibility/", "/privacy/"]
ACCOUNT_PAGES = [
    "/portal/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/logout/",
]


@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_public_account_pages_are_accessible(page, prefix):
    for path in ANONYMOUS_PAGES:
        response = page.goto(prefix + path)
        assert response.status == 200, path
        assert_accessible(page)


@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_account_management_pages_are_accessible(page, password, prefix):
    user = CoordinatorFactory(user__email="aino@kajaani.example.fi").user
    log_in(page, email=user.email, password=password, language_prefix=prefix)
    for path in ACCOUNT_PAGES:
        response = page.goto(prefix + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_password_reset_request_keeps_the_address_and_confirms(page):
    page.goto("/en/accounts/password/reset/")
    page.locator("input[name=email]").fill("someone@example.fi")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url("/en/accounts/password/reset/done/")
    assert_accessible(page)


def test_logout_is_a_button_that_works_without_javascript(page_without_js, password):
    page = page_without_js
    user = CoordinatorFactory(user__email="aino@kajaani.example.fi").user
    log_in(page, email=user.email, password=password)
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_role("link", name="Kirjaudu sisään")).to_be_visible()
