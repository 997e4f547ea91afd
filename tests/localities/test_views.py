"""Portal and public pages: what each role sees, forms, scoping by guessed ids, and query counts."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from localities import services
from localities.models import AccessRequest, Locality, Milestone, Municipality
from tests.localities.factories import (
    CoordinatorFactory,
    FeedbackMeetingFactory,
    FollowUpActionFactory,
    LocalityAgreementFactory,
    LocalityFactory,
    MilestoneFactory,
    PilotFactory,
)

pytestmark = pytest.mark.django_db

S = Locality.Status


def day(year: int, month: int, number: int) -> datetime.date:
    return datetime.date(year, month, number)


def _today():
    return timezone.localdate()


# --- Public list and page -----------------------------------------------------------------------------------


def test_public_list_shows_piloting_and_permanent_only(client):
    LocalityFactory(name_fi="Kajaani", status=S.PILOTING, municipalities=["205"])
    LocalityFactory(
        name_fi="Tornio", status=S.PERMANENT, municipalities=["851"], permanent_since=datetime.date(2020, 1, 1)
    )
    for status in (S.PROSPECT, S.PREPARING, S.PAUSED, S.ENDED):
        LocalityFactory(name_fi=f"Piilossa {status}", status=status)
    response = client.get(reverse("localities:public-list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kajaani" in content and "Tornio" in content
    assert "Piilossa" not in content
    assert [locality.name_fi for locality in response.context["localities"]] == ["Kajaani", "Tornio"]


def test_a_locality_runs_since_its_permanent_use_else_its_pilot():
    permanent = LocalityFactory.build(
        status=S.PERMANENT, pilot_start_on=day(2019, 1, 1), permanent_since=day(2020, 1, 1)
    )
    piloting = LocalityFactory.build(status=S.PILOTING, pilot_start_on=day(2026, 3, 1), permanent_since=None)
    paused_after_permanent = LocalityFactory.build(
        status=S.PAUSED, pilot_start_on=day(2019, 1, 1), permanent_since=day(2020, 1, 1)
    )
    undated = LocalityFactory.build(status=S.PILOTING, pilot_start_on=None)
    assert [locality.running_since for locality in (permanent, piloting, paused_after_permanent, undated)] == [
        day(2020, 1, 1),
        day(2026, 3, 1),
        day(2019, 1, 1),
        None,
    ]


@pytest.mark.parametrize("query", ["mäntsälä", "MÄNTSÄLÄ", "Mäntsälä", "mänts"])
def test_search_finds_locality_by_municipality_name_in_any_case(client, query):
    LocalityFactory(name_fi="Keski-Uusimaa", slug="keski-uusimaa", municipalities=["505", "186"])
    LocalityFactory(name_fi="Tornio", municipalities=["851"])
    response = client.get(reverse("localities:public-list"), {"q": query})
    assert [locality.slug for locality in response.context["localities"]] == ["keski-uusimaa"]
    assert [(m.code, locality.slug) for m, locality in response.context["matched_covered"]] == [
        ("505", "keski-uusimaa")
    ]


def test_the_answer_links_the_localitys_page_and_the_venues_of_the_municipality(client):
    LocalityFactory(name_fi="Kainuu", slug="kainuu", municipalities=["205", "765"])
    content = client.get("/en/localities/", {"q": "Kajana"}).content.decode()
    assert "Yes. Kaikukortti works in:" in content
    assert 'href="/en/localities/kainuu/"' in content
    assert 'href="/en/venues/?municipality=205"' in content


def test_home_page_asks_is_kaikukortti_in_my_municipality(client):
    content = client.get("/en/").content.decode()
    assert 'action="/en/localities/"' in content and 'name="q"' in content
    assert "Is Kaikukortti in my municipality?" in content


def test_search_finds_by_swedish_municipality_name(client):
    LocalityFactory(name_fi="Porvoo", slug="porvoo", municipalities=["638"])
    response = client.get("/sv/localities/", {"q": "borgå"})
    assert [locality.slug for locality in response.context["localities"]] == ["porvoo"]
    assert "Borgå" in response.content.decode()


def test_search_says_when_a_municipality_has_no_kaikukortti_yet(client):
    LocalityFactory(name_fi="Tornio", municipalities=["851"])
    LocalityFactory(name_fi="Porvoo", status=S.PROSPECT, municipalities=["638"])
    response = client.get("/en/localities/", {"q": "Porvoo"})
    assert list(response.context["localities"]) == []
    assert [m.code for m in response.context["matched_not_covered"]] == ["638"]
    assert "Not yet in:" in response.content.decode()


def test_filter_by_region_and_county(client):
    kainuu = Municipality.objects.get(code="205")  # Kajaani
    lapland = Municipality.objects.get(code="851")  # Tornio
    LocalityFactory(slug="kajaani", municipalities=[kainuu], county=kainuu.county)
    LocalityFactory(slug="tornio", municipalities=[lapland], county=lapland.county)
    by_region = client.get(reverse("localities:public-list"), {"region": kainuu.region_id})
    assert [locality.slug for locality in by_region.context["localities"]] == ["kajaani"]
    by_county = client.get(reverse("localities:public-list"), {"county": lapland.county_id})
    assert [locality.slug for locality in by_county.context["localities"]] == ["tornio"]


def test_public_list_makes_the_same_number_of_queries_for_5_and_50(client, django_assert_num_queries):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("localities:public-list"), {"q": "a"}).status_code == 200
        return len(queries)

    codes = list(Municipality.objects.values_list("code", flat=True)[:60])
    for index in range(5):
        LocalityFactory(municipalities=codes[index : index + 2])
    few = count_queries()
    for index in range(45):
        LocalityFactory(municipalities=codes[index : index + 3])
    with django_assert_num_queries(few):
        client.get(reverse("localities:public-list"), {"q": "a"})


def test_public_page_shows_the_facts_and_the_venues_slot(client):
    locality = LocalityFactory(
        name_fi="Forssan seutu",
        name_sv="Forssa-regionen",
        slug="forssa",
        status=S.PERMANENT,
        pilot_start_on=datetime.date(2024, 1, 1),
        permanent_since=datetime.date(2025, 1, 1),
        website="https://www.forssa.fi/kaikukortti",
        feedback_email="kaikukortti@forssa.fi",
        municipalities=["061", "169"],
    )
    response = client.get("/en/localities/forssa/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Forssan seutu" in content and "Forssa-regionen" in content
    assert "Forssa" in content and "Jokioinen" in content
    assert "In permanent use since" in content
    assert 'href="https://www.forssa.fi/kaikukortti"' in content
    assert "mailto:kaikukortti@forssa.fi" in content
    assert "staff" not in locality.staff_notes  # notes never reach the page
    assert "networks/public_locality_venues.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("status", [S.PROSPECT, S.PREPARING, S.PAUSED, S.ENDED])
def test_public_page_of_a_non_running_locality_is_404(client, status):
    LocalityFactory(slug="salainen", status=status)
    assert client.get("/localities/salainen/").status_code == 404


@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_public_pages_in_each_language(client, prefix):
    LocalityFactory(slug="kajaani", name_fi="Kajaani", name_sv="Kajana")
    assert client.get(f"{prefix}/localities/").status_code == 200
    response = client.get(f"{prefix}/localities/kajaani/")
    assert response.status_code == 200
    assert response.content.decode().count("Kajana") >= (1 if prefix == "/sv" else 0)


# --- Portal: locality, pilot checklist, milestones ----------------------------------------------------------


def test_portal_locality_shows_pilot_meetings_agreements_and_co_coordinators(coordinator_client, locality):
    pilot = PilotFactory(locality=locality, planned_start_on=_today() - datetime.timedelta(days=30))
    colleague = CoordinatorFactory(locality=locality, side="social_health", user__first_name="Pekka").user
    former = CoordinatorFactory(
        locality=locality, started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2021, 1, 1)
    ).user
    FeedbackMeetingFactory(locality=locality)
    LocalityAgreementFactory(locality=locality, title="Sopimus 2026")
    response = coordinator_client.get(reverse("localities:portal-detail", kwargs={"slug": locality.slug}))
    content = response.content.decode()
    assert response.status_code == 200
    assert colleague.email in content
    assert former.get_full_name() in content  # an ended membership stays, shown as history
    assert list(response.context["former_coordinators"].values_list("user", flat=True)) == [former.pk]
    assert response.context["total_count"] == pilot.milestones.count()
    assert len(response.context["overdue_milestones"]) == pilot.milestones.filter(due_on__lt=_today()).count()
    assert "Sopimus 2026" in content


def test_pilot_checklist_lists_milestones_with_overdue_marked(coordinator_client, locality):
    pilot = PilotFactory(locality=locality, milestones=False)
    MilestoneFactory(pilot=pilot, title_fi="Myöhässä", position=1, due_on=_today() - datetime.timedelta(days=2))
    MilestoneFactory(pilot=pilot, title_fi="Tehty", position=2, due_on=_today(), done_on=_today())
    response = coordinator_client.get(reverse("localities:pilot", kwargs={"slug": locality.slug}))
    assert response.status_code == 200
    assert response.context["overdue_count"] == 1
    assert response.context["done_count"] == 1
    content = response.content.decode()
    assert "Myöhässä" in content and 'class="overdue"' in content


def test_locality_without_pilot_has_no_checklist(coordinator_client, locality):
    assert coordinator_client.get(reverse("localities:pilot", kwargs={"slug": locality.slug})).status_code == 404


def test_coordinator_marks_milestone_done_through_the_form(coordinator_client, coordinator, locality):
    milestone = PilotFactory(locality=locality).milestones.get(position=20)
    url = reverse("localities:milestone-done", kwargs={"slug": locality.slug, "pk": milestone.pk})
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url, {"done_on": _today().isoformat(), "note": "Nimetty 1.3."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/pilot/#milestone-{milestone.pk}")
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.done_by, milestone.note) == (_today(), coordinator, "Nimetty 1.3.")


def test_future_date_is_refused_with_the_error_on_the_field(coordinator_client, locality):
    milestone = PilotFactory(locality=locality).milestones.first()
    url = reverse("localities:milestone-done", kwargs={"slug": locality.slug, "pk": milestone.pk})
    response = coordinator_client.post(
        f"/en{url}", {"done_on": (_today() + datetime.timedelta(days=3)).isoformat(), "note": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["done_on"] == ["The date cannot be in the future."]
    assert 'class="error-summary"' in response.content.decode()


def test_reopen_undoes_done(coordinator_client, locality):
    milestone = MilestoneFactory(pilot=PilotFactory(locality=locality, milestones=False), done_on=_today())
    url = reverse("localities:milestone-reopen", kwargs={"slug": locality.slug, "pk": milestone.pk})
    assert coordinator_client.get(url).status_code == 405
    assert coordinator_client.post(url).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_guessed_ids_of_another_localitys_objects_answer_404(coordinator_client, locality, other_locality):
    """The slug of one's own locality with another locality's ids: still 404, and nothing changes."""
    foreign_milestone = PilotFactory(locality=other_locality).milestones.first()
    foreign_meeting = FeedbackMeetingFactory(locality=other_locality)
    foreign_action = FollowUpActionFactory(meeting=foreign_meeting)
    foreign_agreement = LocalityAgreementFactory(locality=other_locality)
    PilotFactory(locality=locality)
    own = locality.slug
    for name, pk, method in [
        ("localities:milestone-done", foreign_milestone.pk, "get"),
        ("localities:milestone-done", foreign_milestone.pk, "post"),
        ("localities:milestone-reopen", foreign_milestone.pk, "post"),
        ("localities:meeting-detail", foreign_meeting.pk, "get"),
        ("localities:action-done", foreign_action.pk, "post"),
        ("localities:agreement-download", foreign_agreement.pk, "get"),
    ]:
        for slug in (own, other_locality.slug):
            url = reverse(name, kwargs={"slug": slug, "pk": pk})
            data = {"done_on": _today().isoformat()} if method == "post" else None
            assert getattr(coordinator_client, method)(url, data).status_code == 404, (name, slug)
    for slug in (other_locality.slug,):
        assert coordinator_client.get(reverse("localities:pilot", kwargs={"slug": slug})).status_code == 404
    foreign_milestone.refresh_from_db()
    foreign_action.refresh_from_db()
    assert foreign_milestone.done_on is None and foreign_action.done_on is None


def test_pilot_checklist_makes_the_same_number_of_queries_for_5_and_50_milestones(
    coordinator_client, locality, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pilot = PilotFactory(locality=locality, milestones=False)
    url = reverse("localities:pilot", kwargs={"slug": locality.slug})
    for position in range(5):
        MilestoneFactory(pilot=pilot, position=position, done_on=_today(), done_by=locality.coordinators.first().user)
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    for position in range(5, 50):
        MilestoneFactory(pilot=pilot, position=position, done_on=_today() if position % 2 else None)
    with django_assert_num_queries(len(few)):
        coordinator_client.get(url)
    assert Milestone.objects.filter(pilot=pilot).count() == 50


# --- Meetings and actions -------------------------------------------------------------------------------------


def test_meeting_page_and_marking_an_action_done(coordinator_client, coordinator, locality, staff):
    meeting = FeedbackMeetingFactory(locality=locality, summary="Hyvä kokous.")
    meeting.kaikukeskus_participants.add(staff)
    action = FollowUpActionFactory(meeting=meeting, due_on=_today() - datetime.timedelta(days=1))
    url = reverse("localities:meeting-detail", kwargs={"slug": locality.slug, "pk": meeting.pk})
    response = coordinator_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hyvä kokous." in content and 'class="overdue"' in content
    assert staff.get_full_name() in content
    done_url = reverse("localities:action-done", kwargs={"slug": locality.slug, "pk": action.pk})
    assert coordinator_client.post(done_url)["Location"] == url
    action.refresh_from_db()
    assert action.done_by == coordinator


def test_a_stale_mark_done_form_is_told_who_did_it_first_and_changes_nothing(coordinator_client, locality, staff):
    milestone = PilotFactory(locality=locality).milestones.get(position=20)
    url = "/en" + reverse("localities:milestone-done", kwargs={"slug": locality.slug, "pk": milestone.pk})
    form = coordinator_client.get(url).context["form"]
    assert form.initial["correcting"] is False
    services.milestone_mark_done(actor=staff, milestone=milestone, done_on=datetime.date(2026, 3, 2), note="Staff")
    response = coordinator_client.post(url, {"done_on": _today().isoformat(), "note": "Minä", "correcting": ""})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/pilot/#milestone-{milestone.pk}")
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == [f"{staff.display_name} marked this done on 2 March 2026 already; nothing was changed."]
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.done_by, milestone.note) == (datetime.date(2026, 3, 2), staff, "Staff")


def test_the_form_of_a_done_milestone_corrects_it_and_keeps_who_did_it(
    coordinator_client, coordinator, locality, staff
):
    milestone = PilotFactory(locality=locality).milestones.get(position=20)
    services.milestone_mark_done(actor=staff, milestone=milestone, done_on=datetime.date(2026, 3, 2))
    url = reverse("localities:milestone-done", kwargs={"slug": locality.slug, "pk": milestone.pk})
    form = coordinator_client.get(url).context["form"]
    assert form.initial["correcting"] is True
    data = {"done_on": "2026-03-01", "note": "Korjattu", "correcting": "True", "version": form["version"].value()}
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.done_by, milestone.note) == (datetime.date(2026, 3, 1), staff, "Korjattu")


def test_two_corrections_of_a_milestone_the_second_is_told_and_keeps_what_was_typed(
    client, coordinator, locality, staff
):
    milestone = PilotFactory(locality=locality).milestones.get(position=20)
    services.milestone_mark_done(actor=staff, milestone=milestone, done_on=datetime.date(2026, 3, 2))
    url = "/en" + reverse("localities:milestone-done", kwargs={"slug": locality.slug, "pk": milestone.pk})
    client.force_login(coordinator)
    first, second = Client(), client
    first.force_login(staff)
    first_form, second_form = first.get(url).context["form"], second.get(url).context["form"]
    values = {"correcting": "True"}
    first_data = values | {
        "done_on": "2026-03-01",
        "note": "Pöytäkirja 3/2026",
        "version": first_form["version"].value(),
    }
    assert first.post(url, first_data).status_code == 302

    mine = values | {"done_on": "2026-02-27", "note": "Minun korjaukseni", "version": second_form["version"].value()}
    response = second.post(url, mine)

    assert response.status_code == 409
    form = response.context["form"]
    assert "Someone else saved this milestone while you were editing it" in " ".join(form.non_field_errors())
    assert ("Note", "Pöytäkirja 3/2026", "Minun korjaukseni") in form.conflict_rows
    page = response.content.decode()
    assert "Minun korjaukseni" in page and 'class="version-conflict"' in page
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.note) == (datetime.date(2026, 3, 1), "Pöytäkirja 3/2026")
    # Sent again from the page it was shown on, the correction is deliberate and saved.
    assert second.post(url, mine | {"version": form.data["version"]}).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.note) == (datetime.date(2026, 2, 27), "Minun korjaukseni")


@pytest.mark.parametrize("done_on", ["0001-01-01", "9999-12-31"])
def test_a_milestone_done_in_the_year_1_or_9999_is_refused_at_the_field(coordinator_client, locality, done_on):
    milestone = PilotFactory(locality=locality).milestones.get(position=20)
    url = "/en" + reverse("localities:milestone-done", kwargs={"slug": locality.slug, "pk": milestone.pk})
    response = coordinator_client.post(url, {"done_on": done_on, "note": "", "version": milestone.version})
    assert response.status_code == 200
    assert response.context["form"].errors["done_on"][0].startswith("Check the date: it should be between")
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_marking_an_action_done_twice_tells_who_did_it(coordinator_client, locality, staff):
    action = FollowUpActionFactory(meeting__locality=locality)
    services.follow_up_action_mark_done(actor=staff, action=action, done_on=datetime.date(2026, 3, 2))
    done_url = "/en" + reverse("localities:action-done", kwargs={"slug": locality.slug, "pk": action.pk})
    response = coordinator_client.post(done_url)
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == [f"{staff.display_name} marked this done on 2 March 2026 already; nothing was changed."]
    action.refresh_from_db()
    assert (action.done_on, action.done_by) == (datetime.date(2026, 3, 2), staff)


# --- Agreements -----------------------------------------------------------------------------------------------


def test_agreement_downloads_as_a_private_attachment(coordinator_client, locality):
    agreement = LocalityAgreementFactory(locality=locality, signed_on=datetime.date(2026, 2, 1))
    response = coordinator_client.get(
        reverse("localities:agreement-download", kwargs={"slug": locality.slug, "pk": agreement.pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"kaikukortti-agreement-{locality.slug}-2026-02-01.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_agreement_never_has_a_public_url(locality, settings):
    agreement = LocalityAgreementFactory(locality=locality)
    assert not agreement.document.url.startswith(settings.MEDIA_URL + "agreements")


# --- Access requests ------------------------------------------------------------------------------------------


def test_coordinator_asks_for_a_further_locality(coordinator_client, coordinator, locality, other_locality):
    prospect = LocalityFactory(status=S.PROSPECT, name_fi="Salainen")
    url = reverse("localities:access-request-create")
    response = coordinator_client.get(url)
    choices = list(response.context["form"].fields["locality"].queryset)
    assert other_locality in choices
    assert locality not in choices and prospect not in choices
    response = coordinator_client.post(url, {"locality": other_locality.pk, "side": "culture", "reason": "Uusi työ"})
    assert response.status_code == 302
    assert AccessRequest.objects.get(user=coordinator).locality == other_locality
    again = coordinator_client.post(url, {"locality": other_locality.pk, "side": "culture"})
    assert again.status_code == 200 and again.context["form"].errors["locality"]
    portal = coordinator_client.get("/en/portal/").content.decode()
    assert "Your access requests" in portal and "waiting for Kaikukeskus" in portal


def test_a_user_without_memberships_cannot_ask(client, visitor):
    client.force_login(visitor)
    assert client.get(reverse("localities:access-request-create")).status_code == 404


# --- Portal panels --------------------------------------------------------------------------------------------


def test_portal_flags_overdue_milestones_and_actions_to_the_localitys_coordinators_only(
    client, coordinator, other_coordinator, locality
):
    pilot = PilotFactory(locality=locality, milestones=False)
    MilestoneFactory(pilot=pilot, title_fi="Kortit painettu", due_on=_today() - datetime.timedelta(days=5))
    FollowUpActionFactory(
        meeting__locality=locality, description="Päivitä esite", due_on=_today() - datetime.timedelta(days=1)
    )
    client.force_login(coordinator)
    content = client.get(reverse("portal")).content.decode()
    assert "Kortit painettu" in content and "Päivitä esite" in content
    client.force_login(other_coordinator)
    content = client.get(reverse("portal")).content.decode()
    assert "Kortit painettu" not in content and "Päivitä esite" not in content


def test_staff_portal_flags_every_localitys_overdue_work(staff_client, locality, other_locality):
    MilestoneFactory(
        pilot=PilotFactory(locality=other_locality, milestones=False),
        title_fi="Myöhässä Torniossa",
        due_on=_today() - datetime.timedelta(days=5),
    )
    content = staff_client.get(reverse("portal")).content.decode()
    assert "Myöhässä Torniossa" in content
    assert reverse("localities:staff-pilots") in content


def _portal_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal")).status_code == 200
    return len(queries)


def _overdue_world(count: int) -> None:
    for _index in range(count):
        locality = LocalityFactory()
        MilestoneFactory(
            pilot=PilotFactory(locality=locality, milestones=False), due_on=_today() - datetime.timedelta(days=2)
        )
        FollowUpActionFactory(meeting__locality=locality, due_on=_today() - datetime.timedelta(days=2))


def test_staff_portal_panels_make_the_same_number_of_queries_for_5_and_50_localities(
    staff_client, django_assert_num_queries
):
    _overdue_world(5)
    few = _portal_queries(staff_client)
    _overdue_world(45)
    with django_assert_num_queries(few):
        response = staff_client.get(reverse("portal"))
    assert "Ja 40 muuta." in response.content.decode()


def test_portal_locality_page_queries_do_not_grow_with_meetings_and_milestones(
    coordinator_client, locality, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("localities:portal-detail", kwargs={"slug": locality.slug})
    pilot = PilotFactory(locality=locality, milestones=False)
    MilestoneFactory(pilot=pilot)
    FollowUpActionFactory(meeting=FeedbackMeetingFactory(locality=locality))
    LocalityAgreementFactory(locality=locality)
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    for position in range(30):
        MilestoneFactory(pilot=pilot, position=100 + position)
        FollowUpActionFactory(meeting=FeedbackMeetingFactory(locality=locality))
        LocalityAgreementFactory(locality=locality)
    with django_assert_num_queries(len(few)):
        coordinator_client.get(url)
