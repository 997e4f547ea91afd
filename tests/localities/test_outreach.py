"""Outreach: the interest form on /join/ and its three outcomes, the bot guard, the erasure of contact details,
and staff's pipeline measures (issue 20, items 1–3)."""

import datetime
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kaikukeskus.forms import started_token
from kaikukeskus.workdays import add_working_days
from localities import selectors, services
from localities.models import InterestSubmission, Locality, Municipality, ProspectClaim, ProspectContact
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import LocalityFactory, ProspectContactFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "municipality": "Kokkola",
        "county": "",
        "organisation": "Kokkolan kulttuuripalvelut",
        "sector": "culture",
        "name": "Kerstin Kulturchef",
        "title": "Kulturdirektör",
        "email": "kerstin@kokkola.example.fi",
        "phone": "040 123 4567",
        "other_sector": "not_yet",
        "decision_stage": "motion",
        "desired_start": "",
        "message": "Vi funderar på Kaikukortti.",
        "language": "sv",
        "consent": "on",
        "website": "",
        "started": started_token(time.time() - 30),
    }
    data.update(overrides)
    return data


def submit(**values) -> InterestSubmission:
    defaults = {
        "language": "fi",
        "municipality": Municipality.objects.get(name_fi="Kokkola"),
        "organisation": "Kokkolan kaupunki",
        "sector": "culture",
        "name": "Kaisa Kulttuuri",
        "email": "kaisa@kokkola.example.fi",
        "other_sector": "yes",
        "decision_stage": "idea",
        "consent": True,
    }
    defaults.update(values)
    return services.interest_submit(**defaults)


@pytest.fixture
def owner(db):
    return StaffFactory(email="owner@kaikukeskus.example.fi", preferred_language="fi")


# --- The three outcomes ----------------------------------------------------------------------------------


def test_a_municipality_without_a_locality_becomes_a_prospect(client, owner, outbox):
    response = client.post("/sv/join/", form_data())
    assert response.status_code == 302 and response["Location"] == "/sv/join/sent/"

    submission = InterestSubmission.objects.get()
    assert submission.outcome == InterestSubmission.Outcome.NEW_PROSPECT
    assert submission.phone == "+358 40 1234567"
    prospect = submission.locality
    assert prospect.status == Locality.Status.PROSPECT and prospect.name_fi == "Kokkola"
    assert list(prospect.municipalities.values_list("name_fi", flat=True)) == ["Kokkola"]
    assert prospect.owner == owner and submission.owner == owner
    contact = submission.contact
    assert contact.locality == prospect and prospect.first_contact_on == timezone.localdate()
    assert contact.next_step_on == add_working_days(timezone.localdate(), 5)
    assert "kerstin" not in contact.summary.lower()  # contact details stay on the submission, erased with it

    sent = outbox.deliver()
    confirmation = next(m for m in sent if m.to == ["kerstin@kokkola.example.fi"])
    assert confirmation.subject == "Vi har tagit emot ditt meddelande om Kaikukortti"  # the form's language
    assert "Karleby" in confirmation.body and "5 arbetsdagar" in confirmation.body  # the Swedish name
    to_owner = next(m for m in sent if m.to == [owner.email])
    assert "Kokkola" in to_owner.subject and "kerstin@kokkola.example.fi" in to_owner.body
    assert "Seuraava vaihe" in to_owner.body  # the owner's language, Finnish

    page = client.get("/sv/join/sent/")
    assert page.status_code == 200 and "fem arbetsdagar" in page.content.decode()


def test_a_municipality_in_the_pipeline_gets_a_contact_not_a_second_prospect(owner, outbox):
    kokkola = Municipality.objects.get(name_fi="Kokkola")
    prospect = LocalityFactory(status=Locality.Status.PROSPECT, pilot_start_on=None, name_fi="Kokkola")
    prospect.municipalities.add(kokkola)
    ProspectContactFactory(locality=prospect)

    submission = submit()

    assert submission.outcome == InterestSubmission.Outcome.CONTACT_ADDED
    assert submission.locality == prospect
    assert Locality.objects.count() == 1 and prospect.prospect_contacts.count() == 2
    assert ProspectClaim.objects.get(municipality=kokkola).locality == prospect


def test_two_submissions_for_one_municipality_give_one_prospect_with_two_contacts(owner, outbox):
    first = submit(email="a@kokkola.example.fi")
    second = submit(email="b@kokkola.example.fi", municipality=Municipality.objects.get(name_sv="Karleby"))

    assert first.outcome == "new_prospect" and second.outcome == "contact_added"
    assert first.locality == second.locality
    assert Locality.objects.filter(status="prospect").count() == 1
    assert ProspectContact.objects.filter(locality=first.locality).count() == 2


def test_the_database_refuses_a_second_prospect_for_a_municipality(owner):
    submission = submit()
    other = LocalityFactory(status=Locality.Status.PROSPECT, pilot_start_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProspectClaim.objects.create(locality=other, municipality=submission.municipality)


def test_a_running_locality_answers_with_its_page_and_tells_staff(owner, outbox):
    kokkola = Municipality.objects.get(name_fi="Kokkola")
    running = LocalityFactory(
        status=Locality.Status.PILOTING, slug="kokkola", name_fi="Kokkola", feedback_email="kaikukortti@kokkola.fi"
    )
    running.municipalities.add(kokkola)

    submission = submit(language="en")

    assert submission.outcome == InterestSubmission.Outcome.ALREADY_RUNNING
    assert submission.locality == running and submission.contact is None
    assert not running.prospect_contacts.exists() and Locality.objects.count() == 1
    sent = outbox.deliver()
    confirmation = next(m for m in sent if m.to == ["kaisa@kokkola.example.fi"])
    assert "/en/localities/kokkola/" in confirmation.body and "kaikukortti@kokkola.fi" in confirmation.body
    assert "already works" in confirmation.body
    assert any(m.to == [owner.email] and "Kokkola" in m.subject for m in sent)


def test_a_county_may_ask_and_owners_take_turns(outbox):
    first_staff, second_staff = StaffFactory(), StaffFactory()
    county = Municipality.objects.get(name_fi="Kokkola").county
    one = submit(municipality=None, county=county)
    two = submit(municipality=Municipality.objects.get(name_fi="Oulu"))
    three = submit(municipality=Municipality.objects.get(name_fi="Kajaani"))

    assert one.locality.kind == Locality.Kind.COUNTY and one.locality.county == county
    assert [one.owner, two.owner, three.owner] == [first_staff, second_staff, first_staff]


def test_the_owner_setting_wins_over_turns(settings, outbox):
    StaffFactory()
    named = StaffFactory(email="outreach@kaikukeskus.example.fi")
    settings.OUTREACH_OWNER_EMAIL = "Outreach@kaikukeskus.example.fi"
    assert submit().owner == named and submit(municipality=Municipality.objects.get(name_fi="Oulu")).owner == named


def test_the_next_step_counts_working_days_over_midsummer(owner, outbox):
    # Thursday 18 June 2026: Midsummer Eve (19th) and the weekend are not working days.
    submission = submit(today=datetime.date(2026, 6, 18))
    assert submission.contact.next_step_on == datetime.date(2026, 6, 26)
    assert submission.contact.next_step_on == add_working_days(datetime.date(2026, 6, 18), 5)


# --- The form refuses bots and hostile input -------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "<script>alert(1)</script>"),
        ("organisation", "Buy now https://spam.example"),
        ("title", "Chef\x07"),  # a control character (a NUL byte the middleware refuses before any form)
        ("phone", "12345"),
        ("phone", "javascript:alert(1)"),
        ("email", "kerstin@kokkola.example.fi\nBcc: all@example.com"),
        ("municipality", "Atlantis"),
        ("message", "http://a.example http://b.example http://c.example"),
        ("desired_start", "2001-01-01"),
        ("consent", ""),
    ],
)
def test_hostile_input_is_refused_with_a_field_error(client, owner, field, value):
    response = client.post("/join/", form_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not InterestSubmission.objects.exists() and not Locality.objects.exists()


def test_a_municipality_or_a_county_is_required_but_not_both(client, owner):
    county = Municipality.objects.get(name_fi="Kokkola").county
    neither = client.post("/join/", form_data(municipality=""))
    both = client.post("/join/", form_data(county=str(county.pk)))
    assert "municipality" in neither.context["form"].errors and "county" in both.context["form"].errors
    assert not InterestSubmission.objects.exists()


def test_a_flood_of_100_bot_posts_makes_at_most_5_prospects_and_5_emails_to_senders(client, owner, outbox):
    names = list(Municipality.objects.order_by("code").values_list("name_fi", flat=True)[:100])
    for index, name in enumerate(names):
        kind = index % 4
        data = form_data(municipality=name, email=f"bot{index}@spam.example")
        if kind == 0:
            data["website"] = "http://spam.example"  # the honeypot
        elif kind == 1:
            data["started"] = started_token()  # sent at once
        elif kind == 2:
            data["started"] = "forged"
        client.post("/join/", data)  # kind 3: a well-formed post, from the same address each time

    assert Locality.objects.filter(status="prospect").count() <= 5
    assert InterestSubmission.objects.count() <= 5
    sent = outbox.deliver()
    assert len([m for m in sent if m.to[0].endswith("@spam.example")]) <= 5
    assert len(sent) <= 10  # each accepted one: the sender's confirmation and its owner's e-mail


def test_one_email_address_is_limited_from_any_network(client, owner, outbox):
    names = ["Oulu", "Kajaani", "Kokkola", "Vaasa", "Tornio"]
    for index, name in enumerate(names):
        client.post("/join/", form_data(municipality=name), REMOTE_ADDR=f"10.0.0.{index + 1}")
    assert InterestSubmission.objects.count() == 3  # OUTREACH_SUBMISSIONS_PER_EMAIL


# --- Erasure ---------------------------------------------------------------------------------------------


def test_contact_details_are_erased_after_24_months_unless_the_locality_ran_the_card(owner, outbox):
    old = timezone.now() - datetime.timedelta(days=2 * 365 + 10)
    lost = submit(name="Lost Person", phone="+358401234567", message="Hei")
    ran = submit(municipality=Municipality.objects.get(name_fi="Oulu"), name="Ran Person")
    recent = submit(municipality=Municipality.objects.get(name_fi="Kajaani"), name="Recent Person")
    InterestSubmission.objects.filter(pk__in=[lost.pk, ran.pk]).update(created_at=old)
    Locality.objects.filter(pk=ran.locality_id).update(status="piloting", pilot_start_on=datetime.date(2025, 1, 1))

    assert services.interest_contacts_erase() == 1

    lost.refresh_from_db()
    assert (lost.name, lost.email, lost.phone, lost.message, lost.title) == ("", "", "", "", "")
    assert lost.erased_at is not None and lost.organisation == "Kokkolan kaupunki" and lost.locality is not None
    assert not InterestSubmission.history.filter(id=lost.pk).exclude(name="").exists()
    assert InterestSubmission.history.filter(id=lost.pk, history_change_reason="erased").exists()
    ran.refresh_from_db()
    recent.refresh_from_db()
    assert ran.name == "Ran Person" and recent.name == "Recent Person"
    assert services.interest_contacts_erase() == 0  # safe to run again


def test_the_erasure_task_is_scheduled(settings):
    from localities import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["erase-old-interest-contacts"]
    assert entry["task"] == "localities.tasks.erase_old_interest_contacts"
    assert tasks.erase_old_interest_contacts() == 0


# --- Prospects are never public --------------------------------------------------------------------------


def test_prospects_never_appear_on_public_pages_or_the_api(client, owner, outbox):
    submit(municipality=Municipality.objects.get(name_fi="Kauniainen"))
    running = LocalityFactory(status="permanent", name_fi="Tornionlaakso", slug="tornionlaakso")
    running.municipalities.add(Municipality.objects.get(name_fi="Tornio"))

    join = client.get("/join/").content.decode()
    assert "Tornionlaakso" in join and 'href="/localities/kauniainen/"' not in join
    assert "Kauniainen" not in client.get("/localities/").content.decode()
    assert client.get("/localities/kauniainen/").status_code == 404
    api = client.get("/api/v1/localities/").content.decode()
    assert "tornionlaakso" in api and "kauniainen" not in api


def test_the_join_page_speaks_three_languages(client):
    for prefix, word in [("", "Miksi Kaikukortti"), ("/sv", "Varför Kaikukortti"), ("/en", "Why Kaikukortti")]:
        page = client.get(f"{prefix}/join/").content.decode()
        assert word in page
    assert 'href="/materials/?kind=guideline"' in client.get("/join/").content.decode()


# --- The pipeline measured -------------------------------------------------------------------------------


def _prospects(count: int, owner) -> None:
    for index in range(count):
        prospect = LocalityFactory(status="prospect", pilot_start_on=None, owner=owner)
        ProspectContactFactory(
            locality=prospect,
            contacted_on=timezone.localdate() - datetime.timedelta(days=40 + index),
            next_step="Soita",
            next_step_on=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_the_pipeline_makes_the_same_number_of_queries_for_5_and_many_prospects(staff_client, staff):
    _prospects(5, staff)
    url = "/en/portal/outreach/"
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    _prospects(40, staff)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert response.content.decode().count("No contact in 30 days") == 45
    assert len(many) == len(few)


def test_the_pipeline_shows_owner_days_flag_overdue_lost_and_conversion(staff_client, staff):
    fresh = LocalityFactory(
        status="prospect", pilot_start_on=None, name_fi="Tuore", owner=staff, first_contact_on=timezone.localdate()
    )
    ProspectContactFactory(
        locality=fresh,
        contacted_on=timezone.localdate() - datetime.timedelta(days=3),
        next_step="Tapaaminen",
        next_step_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    stale = LocalityFactory(status="prospect", pilot_start_on=None, name_fi="Vanha")
    ProspectContactFactory(
        locality=stale,
        contacted_on=timezone.localdate() - datetime.timedelta(days=31),
        next_step="Soita",
        next_step_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    rows = {row.locality.name_fi: row for row in selectors.pipeline(user=staff)}
    assert rows["Tuore"].days_since_contact == 3 and not rows["Tuore"].stale
    assert not rows["Tuore"].next_step_overdue
    assert rows["Vanha"].days_since_contact == 31 and rows["Vanha"].stale and rows["Vanha"].next_step_overdue

    response = staff_client.post(
        reverse("localities:prospect-lost", kwargs={"slug": stale.slug}),
        {"reason": "Ei budjettia", "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.status == "ended" and stale.lost_reason == "Ei budjettia"

    page = staff_client.get(reverse("localities:pipeline"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ei budjettia" in page and staff.display_name in page
    year = timezone.localdate().year
    conversion = {row["year"]: row for row in selectors.conversion_by_year(user=staff)}
    assert conversion[year]["lost"] == 1 and conversion[year]["prospects"] >= 1


def test_a_lost_reason_is_required(staff):
    prospect = LocalityFactory(status="prospect", pilot_start_on=None)
    with pytest.raises(services.ValidationError):
        services.prospect_mark_lost(actor=staff, locality=prospect, reason=" ")
    with pytest.raises(services.PermissionDenied):
        services.prospect_mark_lost(actor=None, locality=prospect, reason="x")


def test_coverage_counts_municipalities_and_population_by_stage(staff_client, staff):
    oulu, kempele = Municipality.objects.get(name_fi="Oulu"), Municipality.objects.get(name_fi="Kempele")
    Municipality.objects.filter(region=oulu.region).update(population=1000)
    Municipality.objects.filter(pk=oulu.pk).update(population=200_000)
    LocalityFactory(status="permanent").municipalities.add(oulu)
    prospect = LocalityFactory(status="prospect", pilot_start_on=None)
    prospect.municipalities.add(kempele)
    also_paused = LocalityFactory(status="paused")
    also_paused.municipalities.add(kempele)  # the furthest stage counts: a prospect

    rows, country = selectors.coverage(user=staff)
    region = next(row for row in rows if row.label == oulu.region.name)
    assert region.cells["permanent"].municipalities == 1 and region.cells["prospect"].municipalities == 1
    assert region.cells["none"].municipalities == region.municipalities - 2
    assert region.cells["permanent"].share == round(100 * 200_000 / region.population, 1)
    assert country.municipalities == Municipality.objects.count() == 309

    page = staff_client.get(reverse("localities:pipeline-coverage")).content.decode()
    assert 'role="img"' in page and "<table" in page and oulu.region.name in page


def test_population_is_loaded_from_the_shipped_file():
    from localities.reference_data import load_population

    Municipality.objects.update(population=None)
    assert load_population(Municipality) > 300
    assert Municipality.objects.get(code="091").population > 600_000  # Helsinki


def test_staff_see_overdue_prospects_on_the_portal(client, staff, coordinator):
    _prospects(2, staff)
    client.force_login(staff)
    page = client.get("/en/portal/").content.decode()
    assert "Prospects with an overdue next step" in page and page.count("Soita") == 2
    client.force_login(coordinator)
    assert "Soita" not in client.get("/en/portal/").content.decode()
