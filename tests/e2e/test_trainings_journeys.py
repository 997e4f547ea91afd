"""A visitor registers for a training, gets the confirmation with its calendar file, cancels by the e-mail's
signed link, and the first on the waitlist gets the place and is told. Axe-clean on every page."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.localities.factories import LocalityFactory
from tests.trainings.factories import TrainingFactory
from trainings.models import Registration

TYPING_DELAY_MS = 60


def _register(page, training, *, name: str, email: str) -> None:
    page.goto("/trainings/")
    assert_accessible(page)
    page.get_by_role("link", name=training.title_fi).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(training.title_fi)
    # Typed key by key, as a (fast) person does: the form refuses one sent sooner than 2 s after it was shown.
    page.locator("#id_name").press_sequentially(name, delay=TYPING_DELAY_MS)
    page.locator("#id_email").press_sequentially(email, delay=TYPING_DELAY_MS)
    page.locator("#id_organisation").press_sequentially("Kajaanin kaupunginkirjasto", delay=TYPING_DELAY_MS)
    page.locator("#id_locality").select_option(label="Kajaani")
    page.locator("main form button[type=submit]").click()


def test_a_visitor_registers_cancels_by_the_link_and_the_waitlist_moves_up(page):
    LocalityFactory(name_fi="Kajaani", name_sv="Kajana", name_en="Kajaani", slug="kajaani")
    training = TrainingFactory(capacity=1, title_fi="Kumppanien infotilaisuus", online=True)

    # A mistake first: the error summary links to the field, nothing typed is lost.
    _register(page, training, name="Maija Meikäläinen", email="ei-osoite")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Maija Meikäläinen")
    assert_accessible(page)
    page.locator("#id_email").fill("maija@example.fi")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("Olet ilmoittautunut: paikkasi on vahvistettu.")).to_be_visible()
    # Registered: the meeting link is shown to her (and never on the public page).
    expect(page.get_by_role("link", name="https://meet.example.fi/kaikukortti-secret")).to_be_visible()
    assert_accessible(page)

    (confirmation,) = mail.outbox
    assert confirmation.subject == "Ilmoittautuminen vahvistettu: Kumppanien infotilaisuus"
    assert confirmation.attachments[0][0].endswith(".ics")
    link = re.search(r"https?://\S+/trainings/registration/\S+/", confirmation.body).group(0)

    # Somebody else comes when the training is full: the waitlist.
    page.context.clear_cookies()
    _register(page, training, name="Ville Varasija", email="ville@example.fi")
    expect(page.get_by_text("Olet varasijalla.", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="https://meet.example.fi/kaikukortti-secret")).to_have_count(0)
    assert_accessible(page)

    # Maija cancels by the e-mail's link.
    page.context.clear_cookies()
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    assert_accessible(page)
    page.get_by_role("button", name="Peru ilmoittautumiseni").click()
    expect(page.get_by_role("heading", name="Perutaanko ilmoittautumisesi?")).to_be_visible()  # asks first
    assert_accessible(page)
    page.get_by_role("button", name="Kyllä, peru ilmoittautumiseni").click()
    expect(page.get_by_text("Ilmoittautumisesi on peruttu.").first).to_be_visible()
    assert_accessible(page)

    ville = Registration.objects.get(email="ville@example.fi")
    assert ville.status == Registration.Status.CONFIRMED
    promoted = [message for message in mail.outbox if message.to == ["ville@example.fi"]][-1]
    assert promoted.subject == "Paikka vapautui sinulle: Kumppanien infotilaisuus"
    assert "https://meet.example.fi/kaikukortti-secret" in promoted.body
