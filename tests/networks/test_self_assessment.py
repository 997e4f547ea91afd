"""Self-assessment (issue 21, item 4): a versioned national checklist; a venue answers through its coordinator or
its own link; the venue sees its answers and the advice on each "no"; national totals only over five venues."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from networks import selectors, services
from networks.models import ChecklistQuestion, ChecklistVersion, SelfAssessment
from networks.services import SelfAssessmentValue
from tests.networks.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist():
    version = ChecklistVersion.objects.create(label="2026", published_on=datetime.date(2026, 1, 1))
    ChecklistQuestion.objects.create(
        version=version,
        section="pricing",
        text_fi="Onko hinnoittelu kohtuullinen?",
        text_en="Is the pricing fair?",
        advice_fi="Harkitse maksuttomia paikkoja.",
        advice_en="Consider free places.",
    )
    ChecklistQuestion.objects.create(version=version, section="premises", text_fi="Esteetön?", text_en="Step-free?")
    return version


def _answer(checklist, partner, coordinator, answers):
    questions = list(checklist.questions.order_by("section", "pk"))  # premises, pricing
    values = {q.pk: SelfAssessmentValue(answer=a) for q, a in zip(questions, answers, strict=True)}
    return services.self_assessment_update(actor=coordinator, partner=partner, values=values)


def test_answers_are_tied_to_the_version_and_the_venue_sees_advice_on_each_no(client, checklist, locality):
    venue = PartnerFactory(locality=locality)
    token = services.venue_link_token(partner=venue)
    url = reverse("networks:venue-link-self-assessment", kwargs={"token": token})
    pricing = checklist.questions.get(section="pricing")
    premises = checklist.questions.get(section="premises")
    response = client.post(
        url, {f"q{pricing.pk}": "no", f"n{pricing.pk}": "Liput 20 €", f"q{premises.pk}": "partly", "version": "1"}
    )
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get(partner=venue)
    assert assessment.checklist == checklist and assessment.items.count() == 2
    html = client.get(url).content.decode()
    assert "Consider free places." in html or "Harkitse maksuttomia paikkoja." in html
    # Another venue's link shows that venue's own (empty) answers only.
    other = PartnerFactory(locality=locality)
    other_html = client.get(
        reverse("networks:venue-link-self-assessment", kwargs={"token": services.venue_link_token(partner=other)})
    ).content.decode()
    assert "Liput 20 €" not in other_html and "Harkitse" not in other_html and "Consider free" not in other_html


def test_coordinators_answer_for_their_own_venues_only(checklist, coordinator, other_coordinator, locality):
    venue = PartnerFactory(locality=locality)
    _answer(checklist, venue, coordinator, ["yes", "no"])
    with pytest.raises(PermissionDenied):
        _answer(checklist, venue, other_coordinator, ["no", "no"])


def test_a_new_checklist_version_starts_fresh(checklist, coordinator, locality):
    venue = PartnerFactory(locality=locality)
    _answer(checklist, venue, coordinator, ["yes", "no"])
    newer = ChecklistVersion.objects.create(label="2027", published_on=datetime.date(2026, 6, 1))
    ChecklistQuestion.objects.create(version=newer, section="strategy", text_fi="Strategia?")
    _checklist, assessment, rows = selectors.self_assessment_rows(partner=venue)
    assert _checklist == newer and assessment is None and [row.answer for row in rows] == [""]


def test_national_totals_are_suppressed_under_five_venues(checklist, coordinator, locality):
    venues = PartnerFactory.create_batch(5, locality=locality)
    for venue in venues[:4]:
        _answer(checklist, venue, coordinator, ["yes", "no"])
    per_question, per_section, answered = selectors.self_assessment_totals(checklist=checklist)
    assert answered == 4 and not any(row.shown for row in per_question + per_section)
    _answer(checklist, venues[4], coordinator, ["partly", "no"])
    per_question, per_section, answered = selectors.self_assessment_totals(checklist=checklist)
    assert answered == 5
    premises, pricing = per_question
    assert premises.shown and (premises.yes, premises.partly, premises.no) == (4, 1, 0)
    assert pricing.shown and pricing.no == 5
    shown_sections = {row.label: row for row in per_section if row.shown}
    assert set(shown_sections) == {"Pricing", "Premises"}


def test_the_totals_page_hides_small_counts(staff_client, checklist, coordinator, locality):
    for venue in PartnerFactory.create_batch(3, locality=locality):
        _answer(checklist, venue, coordinator, ["yes", "yes"])
    html = staff_client.get(reverse("networks:self-assessment-totals")).content.decode()
    assert "<td>3</td>" not in html
