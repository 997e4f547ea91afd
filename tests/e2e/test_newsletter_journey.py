"""The newsletter in a browser, in Finnish, Swedish and English: a visitor subscribes on `/newsletter/`,
confirms with the link in the e-mail, gets an issue and unsubscribes with its link, without logging in.
Axe-clean on every page; the same pages work without JavaScript."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from post_office.models import Email

from communications import services
from communications.models import Subscriber
from tests.communications.factories import NewsletterFactory
from tests.e2e.conftest import assert_accessible
from tests.kaikukeskus.factories import StaffFactory

pytestmark = pytest.mark.browser

# The subscription form is refused when sent within 2 s of being shown (the public forms' bot guard).
FILL_TIME_MS = 2_100


def _link_in_mail(to: str, name: str) -> str:
    """The path of the `name` link (confirm, unsubscribe) in the newest message to `to`."""
    email = Email.objects.filter(to__icontains=to).order_by("-pk").first()
    assert email is not None, f"no message to {to}"
    url = re.search(rf"https?://\S+/newsletter/{name}/\S+/", email.message).group(0)
    return urlsplit(url).path


def _subscribe(page, prefix: str, email: str) -> None:
    page.goto(f"{prefix}/newsletter/")
    page.locator("input[name=email]").fill(email)
    page.wait_for_timeout(FILL_TIME_MS)
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize(
    ("prefix", "language", "texts"),
    [
        ("", "fi", ("Tarkista sähköpostisi", "Vahvista tilaus", "Tilaus on voimassa", "Peru tilaus")),
        ("/sv", "sv", ("Kontrollera din e-post", "Bekräfta prenumerationen", "Du prenumererar nu", "Avsluta")),
        ("/en", "en", ("Check your e-mail", "Confirm the subscription", "You are subscribed", "Unsubscribe")),
    ],
)
def test_a_visitor_subscribes_confirms_and_unsubscribes(page, prefix, language, texts):
    check_email, confirm_button, subscribed, unsubscribe_button = texts
    address = f"lukija.{language}@example.fi"
    page.goto(f"{prefix}/newsletter/")
    assert_accessible(page)
    _subscribe(page, prefix, address)
    expect(page.locator("h1")).to_have_text(check_email)
    assert_accessible(page)
    assert not Subscriber.objects.filter(email=address).exists(), "nothing before the confirmation"

    page.goto(_link_in_mail(address, "confirm"))
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    page.get_by_role("button", name=confirm_button).click()
    expect(page.locator("h1")).to_have_text(subscribed)
    assert_accessible(page)
    assert Subscriber.objects.get(email=address).language == language

    newsletter = NewsletterFactory(translated=True, to_coordinators=False, to_staff=False)
    services.newsletter_send(actor=StaffFactory(), newsletter=newsletter)
    page.goto(f"{prefix}/newsletter/{newsletter.pk}/")
    assert_accessible(page)
    page.goto(_link_in_mail(address, "unsubscribe"))
    assert_accessible(page)
    page.get_by_role("button", name=unsubscribe_button).click()
    expect(page.locator("[role=status]")).to_contain_text(address)
    assert_accessible(page)
    assert Subscriber.objects.get(email=address).unsubscribed_at is not None


def test_subscribing_and_confirming_work_without_javascript(page_without_js):
    page = page_without_js
    _subscribe(page, "", "ilman.skripteja@example.fi")
    expect(page.locator("h1")).to_have_text("Tarkista sähköpostisi")
    page.goto(_link_in_mail("ilman.skripteja@example.fi", "confirm"))
    page.get_by_role("button", name="Vahvista tilaus").click()
    expect(page.locator("h1")).to_have_text("Tilaus on voimassa")
    assert Subscriber.objects.receiving().filter(email="ilman.skripteja@example.fi").exists()
