"""A visitor reads the front page in three languages; a coordinator logs in and sees only their localities."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in
from tests.localities.factories import CoordinatorFactory, LocalityFactory


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [
        ("", "Kaikukortti – kulttuuria ja liikuntaa kaikille"),
        ("/sv", "Kaikukortti – kultur och idrott för alla"),
        ("/en", "Kaikukortti – culture and sport for everyone"),
    ],
)
def test_front_page_in_each_language_is_accessible(page, prefix, heading):
    page.goto(f"{prefix}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", prefix.strip("/") or "fi")
    assert_accessible(page)


@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_login_page_is_accessible(page, prefix):
    page.goto(f"{prefix}/accounts/login/")
    assert_accessible(page)


def test_coordinator_logs_in_and_sees_only_own_localities(page, password):
    own = LocalityFactory(name_fi="Kajaani", slug="kajaani")
    LocalityFactory(name_fi="Tornio", slug="tornio")
    user = CoordinatorFactory(locality=own, user__email="aino@kajaani.example.fi").user

    page.goto("/portal/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/portal/"))
    log_in(page, email=user.email, password=password)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("link", name="Kajaani", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Tornio", exact=True)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Kajaani", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kajaani")
    assert_accessible(page)
    assert page.goto("/portal/localities/tornio/").status == 404


def test_wrong_password_shows_an_error_next_to_the_form(page, password):
    user = CoordinatorFactory(user__email="aino@kajaani.example.fi").user
    log_in(page, email=user.email, password="wrong-password-123")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("input[name=login]")).to_have_value(user.email)
    assert_accessible(page)


def test_language_switcher_works_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/")
    page.get_by_role("navigation", name="Kieli").get_by_role("link", name="Svenska").click()
    expect(page).to_have_url(re.compile(r"/sv/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
