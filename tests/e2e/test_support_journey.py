"""A coordinator asks Kaikukeskus with an attachment; staff ask back; the locality's second coordinator answers;
staff reply with a canned answer and turn the thread into a public article; a visitor finds it at /faq/. In
Finnish and in Swedish, axe-clean on every portal and public page on the way."""

import pytest
from playwright.sync_api import expect

from support.models import Article, Question
from tests.e2e.conftest import assert_accessible, log_in
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory
from tests.support.factories import CannedReplyFactory

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n% Kaikukortti\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

TEXTS = {
    "fi": {
        "sent": "Kysymyksesi lähetettiin Kaikukeskukselle.",
        "reply": "Vastauksesi lähetettiin.",
        "faq": "Usein kysyttyä",
    },
    "sv": {"sent": "Din fråga skickades till Kaikukeskus.", "reply": "Ditt svar skickades.", "faq": "Vanliga frågor"},
}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_question_becomes_a_public_article(page, password, tmp_path, language):
    prefix = "" if language == "fi" else f"/{language}"
    texts = TEXTS[language]
    locality = LocalityFactory(name_fi="Kajaani", name_sv="Kajana", slug="kajaani")
    first = CoordinatorFactory(locality=locality, user__email="aino@kajaani.example.fi").user
    second = CoordinatorFactory(locality=locality, side="social_health", user__email="ville@kajaani.example.fi").user
    staff = StaffFactory(email="kaisa@kaikukeskus.example.fi")
    canned = CannedReplyFactory(title="Materiaalipankki")
    attachment = tmp_path / "Sopimusluonnos.pdf"
    attachment.write_bytes(PDF)

    # The first coordinator asks, with an attachment.
    log_in(page, email=first.email, password=password, language_prefix=prefix)
    page.goto(f"{prefix}/portal/support/new/")
    assert_accessible(page)
    page.locator("#id_category").select_option("materials")
    page.locator("#id_subject").fill("Esitteen kieliversiot")
    page.locator("#id_body").fill("Onko esitteestä ruotsinkielistä versiota? Soita 040 123 4567.")
    page.locator("#id_attachments").set_input_files(str(attachment))
    page.locator("main form button[name=send]").click()
    expect(page.get_by_text(texts["sent"])).to_be_visible()
    expect(page.get_by_role("link", name="Sopimusluonnos.pdf")).to_be_visible()
    assert_accessible(page)
    question = Question.objects.get()

    # Staff ask something back.
    page.context.clear_cookies()
    log_in(page, email=staff.email, password=password, language_prefix=prefix)
    page.goto(f"{prefix}/portal/support/staff/{question.pk}/")
    assert_accessible(page)
    page.locator("#id_body").fill("Tarvitsetteko painetun vai sähköisen version?")
    page.locator("#id_kind").select_option("waiting")
    page.locator("main form[enctype] button[type=submit]").click()
    expect(page.get_by_text(texts["reply"])).to_be_visible()

    # The locality's second coordinator answers.
    page.context.clear_cookies()
    log_in(page, email=second.email, password=password, language_prefix=prefix)
    page.goto(f"{prefix}/portal/support/")
    assert_accessible(page)
    page.get_by_role("link", name="Esitteen kieliversiot").click()
    expect(page.get_by_text("Tarvitsetteko painetun vai sähköisen version?")).to_be_visible()
    page.locator("#id_body").fill("Sähköinen riittää, kiitos.")
    page.locator("main form[enctype] button[type=submit]").click()
    expect(page.get_by_text(texts["reply"])).to_be_visible()
    assert_accessible(page)

    # Staff reply with the canned answer and make a public article of the thread.
    page.context.clear_cookies()
    log_in(page, email=staff.email, password=password, language_prefix=prefix)
    page.goto(f"{prefix}/portal/support/staff/{question.pk}/")
    page.locator("#id_canned").select_option(str(canned.pk))
    page.locator("#id_language").select_option(language)
    page.locator("main form.filters button[type=submit]").click()
    expect(page.locator("#id_body")).to_have_value(canned.body(language))
    page.locator("main form[enctype] button[type=submit]").click()
    expect(page.get_by_text(texts["reply"])).to_be_visible()
    page.locator("#article-visibility").select_option("public")
    page.locator("main form.actions button[type=submit]").click()
    article = Article.objects.get()
    assert "040 123 4567" not in article.body_fi and "aino" not in article.body_fi.lower()
    page.locator("#id_is_published").check()
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert Article.objects.get().is_published

    # A visitor finds it.
    page.context.clear_cookies()
    page.goto(f"{prefix}/faq/")
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["faq"])
    assert_accessible(page)
    page.get_by_role("link", name="Esitteen kieliversiot").click()
    expect(page.get_by_text(canned.body(language))).to_be_visible()
    assert_accessible(page)
    question.refresh_from_db()
    assert question.state == Question.State.ANSWERED
