"""No English on the outreach pages in Finnish and Swedish: /join/ with its errors, the thank-you page, the
pipeline, its coverage, marking a prospect lost and the submissions' admin (the walk of tests/test_translations.py),
and the e-mails in the sender's and the owner's language."""

import time

import pytest
from django.urls import reverse

from kaikukeskus.forms import started_token
from localities.models import Locality, Municipality
from tests.localities.factories import LocalityFactory, ProspectContactFactory
from tests.test_translations import LANGUAGES, english_msgids, post_and_read, walk

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def msgids():
    return english_msgids()


@pytest.fixture
def language(request):
    from django.utils import translation

    with translation.override(request.param):
        yield request.param


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_the_join_page_and_its_errors(client, msgids, language):
    running = LocalityFactory(status=Locality.Status.PERMANENT)
    running.municipalities.add(Municipality.objects.get(name_fi="Tornio"))
    assert walk(client, {"join": reverse("localities:join")}, language=language, msgids=msgids) == {}
    hostile = {"municipality": "Atlantis", "name": "<b>", "phone": "1", "message": "http://a http://b http://c"}
    assert post_and_read(client, reverse("localities:join"), hostile, language=language, msgids=msgids) == []


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_the_thank_you_page_and_in_the_emails(client, staff, msgids, language, outbox):
    data = {
        "municipality": "Kokkola",
        "organisation": "Kulttuuripalvelut",
        "sector": "culture",
        "name": "Kaisa",
        "email": "kaisa@kokkola.example.fi",
        "other_sector": "yes",
        "decision_stage": "board",
        "language": language,
        "consent": "on",
        "started": started_token(time.time() - 30),
    }
    staff.preferred_language = language
    staff.save()
    prefix = "" if language == "fi" else f"/{language}"
    assert client.post(f"{prefix}/join/", data).status_code == 302
    assert walk(client, {"sent": reverse("localities:join-sent")}, language=language, msgids=msgids) == {}
    sent = outbox.deliver()
    assert {m.to[0] for m in sent} == {"kaisa@kokkola.example.fi", staff.email}
    for message in sent:
        text = f"{message.subject}\n{message.body}"
        assert not [msgid for msgid in msgids if len(msgid) > 12 and msgid in text], message.to


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_the_pipeline_pages(staff_client, staff, msgids, language):
    prospect = LocalityFactory(status=Locality.Status.PROSPECT, pilot_start_on=None, owner=staff)
    ProspectContactFactory(locality=prospect, next_step="Soita", next_step_on=prospect.created_at.date())
    pages = {
        "pipeline": reverse("localities:pipeline"),
        "coverage": reverse("localities:pipeline-coverage"),
        "lost": reverse("localities:prospect-lost", kwargs={"slug": prospect.slug}),
        "submissions": reverse("admin:localities_interestsubmission_changelist"),
        "portal": reverse("portal"),
    }
    assert walk(staff_client, pages, language=language, msgids=msgids) == {}
