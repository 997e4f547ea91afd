"""Staff invite a coordinator in the admin; the invitee follows the e-mailed link, sets a password and lands
in the portal with their locality."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import LocalityFactory


def test_staff_invite_and_the_invitee_joins(page, password):
    staff = StaffFactory(email="kaisa@kaikukeskus.example.fi")
    LocalityFactory(name_fi="Kajaani", name_sv="Kajana", name_en="Kajaani", slug="kajaani")
    log_in(page, email=staff.email, password=password, language_prefix="/en")
    page.goto("/en/admin/localities/invitation/add/")
    page.locator("#id_email").fill("uusi@kajaani.example.fi")
    page.locator("#id_locality").select_option(label="Kajaani")  # a plain select: works without JavaScript
    page.locator("#id_side").select_option("social_health")
    page.locator("#id_language").select_option("sv")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("uusi@kajaani.example.fi")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/sv/accounts/invitation/\S+/", mail.outbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    page.context.clear_cookies()
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator("#id_password1").fill("kort")
    page.locator("#id_password2").fill("kort")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)

    page.locator("#id_password1").fill("ett-bra-losenord-2026")
    page.locator("#id_password2").fill("ett-bra-losenord-2026")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sv/portal/$"))
    expect(page.get_by_role("link", name="Kajana")).to_be_visible()
    assert_accessible(page)
