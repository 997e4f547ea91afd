"""The staff's administration: the pilot review board and timeline, the lifecycle form, import and export,
the prospect pipeline, agreements, meetings and access requests."""

import datetime

import pytest
import tablib
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from localities import services
from localities.models import (
    AccessRequest,
    Coordinator,
    FeedbackMeeting,
    Locality,
    LocalityAgreement,
    LocalityStatusChange,
    Milestone,
    Municipality,
    Pilot,
    ProspectContact,
)
from localities.resources import LocalityResource
from tests.kaikukeskus.factories import StaffFactory
from tests.localities.factories import (
    AccessRequestFactory,
    FeedbackMeetingFactory,
    FollowUpActionFactory,
    LocalityFactory,
    MilestoneFactory,
    PilotFactory,
    ProspectContactFactory,
    pdf_file,
)

pytestmark = pytest.mark.django_db

S = Locality.Status
BOARD = reverse("admin:localities_pilotboard_changelist")


def _today():
    return timezone.localdate()


def _board_rows(response):
    return {row.slug: row for row in response.context["cl"].result_list}


# --- The pilot review board ---------------------------------------------------------------------------------


def test_board_lists_preparing_and_piloting_with_progress_next_overdue_and_last_meeting(staff_client, staff):
    piloting = LocalityFactory(slug="nokia", status=S.PILOTING)
    pilot = PilotFactory(locality=piloting, milestones=False)
    MilestoneFactory(pilot=pilot, position=1, title_fi="Sopimus", due_on=_today() - datetime.timedelta(days=9))
    MilestoneFactory(pilot=pilot, position=2, title_fi="Koulutus", due_on=_today() - datetime.timedelta(days=3))
    MilestoneFactory(pilot=pilot, position=3, title_fi="Tehty", due_on=_today(), done_on=_today())
    FeedbackMeetingFactory(locality=piloting, held_on=datetime.date(2026, 5, 1))
    last = FeedbackMeetingFactory(locality=piloting, held_on=datetime.date(2026, 6, 1))
    FollowUpActionFactory(meeting=last, due_on=_today() - datetime.timedelta(days=1))
    FollowUpActionFactory(meeting=last, due_on=_today() - datetime.timedelta(days=1), done_on=_today())
    LocalityFactory(slug="mantsala", status=S.PREPARING)
    for status in (S.PROSPECT, S.PERMANENT, S.PAUSED, S.ENDED):
        LocalityFactory(slug=f"not-{status}", status=status)

    response = staff_client.get(BOARD)
    assert response.status_code == 200
    rows = _board_rows(response)
    assert set(rows) == {"nokia", "mantsala"}
    nokia = rows["nokia"]
    assert (nokia.milestones_done, nokia.milestones_total, nokia.milestones_overdue) == (1, 3, 2)
    assert nokia.actions_overdue == 1
    assert nokia.next_milestone_title_fi == "Sopimus"
    assert nokia.last_feedback_meeting_on == datetime.date(2026, 6, 1)
    assert (rows["mantsala"].milestones_total, rows["mantsala"].next_milestone_due_on) == (0, None)
    content = response.content.decode()
    assert "1 / 3" in content and "⚠ 2" in content
    # The most overdue first.
    assert [row.slug for row in response.context["cl"].result_list] == ["nokia", "mantsala"]


def test_board_changes_when_a_coordinator_marks_a_milestone_done(staff_client, coordinator, locality):
    pilot = PilotFactory(locality=locality, milestones=False)
    milestone = MilestoneFactory(pilot=pilot, due_on=_today() - datetime.timedelta(days=1))
    before = _board_rows(staff_client.get(BOARD))[locality.slug]
    assert (before.milestones_done, before.milestones_overdue) == (0, 1)
    services.milestone_mark_done(actor=coordinator, milestone=milestone, done_on=_today())
    after = _board_rows(staff_client.get(BOARD))[locality.slug]
    assert (after.milestones_done, after.milestones_overdue) == (1, 0)


def test_board_filters_and_sorts(staff_client):
    kajaani = Municipality.objects.get(code="205")
    late = LocalityFactory(slug="late", status=S.PILOTING, municipalities=[kajaani], county=kajaani.county)
    MilestoneFactory(pilot=PilotFactory(locality=late, milestones=False), due_on=_today() - datetime.timedelta(days=1))
    LocalityFactory(slug="fine", status=S.PREPARING, municipalities=["091"])
    assert set(_board_rows(staff_client.get(BOARD, {"late": "yes"}))) == {"late"}
    assert set(_board_rows(staff_client.get(BOARD, {"late": "no"}))) == {"fine"}
    assert set(_board_rows(staff_client.get(BOARD, {"status": "preparing"}))) == {"fine"}
    assert set(_board_rows(staff_client.get(BOARD, {"region": kajaani.region_id}))) == {"late"}
    assert set(_board_rows(staff_client.get(BOARD, {"county__id__exact": kajaani.county_id}))) == {"late"}
    assert set(_board_rows(staff_client.get(BOARD, {"q": "Kajaani"}))) == {"late"}
    # Column 3 is "overdue milestones": ascending puts the locality with none first.
    ordered = staff_client.get(BOARD, {"o": "3"}).context["cl"].result_list
    assert [row.slug for row in ordered] == ["fine", "late"]
    ordered = staff_client.get(BOARD, {"o": "-5"}).context["cl"].result_list  # progress, most done first
    assert len(ordered) == 2


def _board_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BOARD).status_code == 200
    return len(queries)


def _add_board_localities(count: int, start: int) -> None:
    for index in range(start, start + count):
        locality = LocalityFactory(status=S.PILOTING if index % 2 else S.PREPARING)
        pilot = PilotFactory(locality=locality, milestones=False)
        MilestoneFactory(pilot=pilot, due_on=_today() - datetime.timedelta(days=index % 3))
        MilestoneFactory(pilot=pilot, done_on=_today())
        FollowUpActionFactory(meeting__locality=locality, due_on=_today() - datetime.timedelta(days=1))


def test_board_makes_the_same_number_of_queries_for_5_and_50_localities(staff_client, django_assert_num_queries):
    _add_board_localities(5, 0)
    few = _board_queries(staff_client)
    _add_board_localities(45, 5)
    with django_assert_num_queries(few):
        response = staff_client.get(BOARD)
    assert response.context["cl"].result_count == 50


def test_timeline_shows_the_localitys_history_in_order(staff_client, staff, coordinator):
    locality = LocalityFactory(slug="mantsala", status=S.PROSPECT, pilot_start_on=None)
    ProspectContactFactory(locality=locality, contacted_on=datetime.date(2025, 4, 1), summary="Valtuustoaloite")
    services.locality_transition(
        actor=staff, locality=locality, to_status=S.PREPARING, pilot_start_on=datetime.date(2026, 1, 1)
    )
    milestone = locality.pilot.milestones.get(position=20)
    Coordinator.objects.create(
        user=coordinator, locality=locality, side="culture", started_on=datetime.date(2025, 6, 1)
    )
    services.milestone_mark_done(actor=coordinator, milestone=milestone, done_on=datetime.date(2025, 8, 1), note="Pari")
    FeedbackMeetingFactory(locality=locality, held_on=datetime.date(2026, 5, 1), summary="Palaute")
    response = staff_client.get(reverse("admin:localities_pilotboard_timeline", args=[locality.pk]))
    assert response.status_code == 200
    events = response.context["events"]
    assert [event["date"] for event in events] == sorted(event["date"] for event in events)
    kinds = {event["kind"] for event in events}
    assert {"contact", "status", "milestone", "meeting", "coordinator"} <= kinds
    content = response.content.decode()
    assert "Valtuustoaloite" in content and "Pari" in content and "Palaute" in content
    assert staff_client.get(reverse("admin:localities_pilotboard_timeline", args=[999999])).status_code == 404


def test_timeline_queries_do_not_grow_with_history(staff_client, django_assert_num_queries):
    locality = LocalityFactory(status=S.PILOTING)
    pilot = PilotFactory(locality=locality)
    url = reverse("admin:localities_pilotboard_timeline", args=[locality.pk])
    FeedbackMeetingFactory(locality=locality)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for _index in range(10):
        FollowUpActionFactory(meeting=FeedbackMeetingFactory(locality=locality))
    assert pilot.milestones.count() == 12
    with django_assert_num_queries(len(few)):
        staff_client.get(url)


# --- The lifecycle form -------------------------------------------------------------------------------------


def test_staff_change_the_status_through_the_form_and_it_is_logged(staff_client, staff):
    locality = LocalityFactory(status=S.PROSPECT, pilot_start_on=None)
    url = reverse("admin:localities_locality_transition", args=[locality.pk])
    response = staff_client.get(url)
    assert [value for value, _label in response.context["form"].fields["to_status"].choices] == [
        S.PREPARING,
        S.ENDED,
    ]
    response = staff_client.post(url, {"to_status": S.PREPARING, "pilot_start_on": "2027-02-01", "note": "Päätös"})
    assert response.status_code == 302
    locality.refresh_from_db()
    assert locality.status == S.PREPARING
    assert locality.pilot.milestones.count() == 12
    change = LocalityStatusChange.objects.get(locality=locality)
    assert (change.changed_by, change.note) == (staff, "Päätös")


def test_status_form_shows_the_services_message_on_the_field(staff_client):
    locality = LocalityFactory(status=S.PILOTING)
    url = "/en" + reverse("admin:localities_locality_transition", args=[locality.pk])
    response = staff_client.post(url, {"to_status": S.PERMANENT})
    assert response.status_code == 200
    assert response.context["form"].errors["permanent_since"] == ["Permanent use needs the date since when."]
    locality.refresh_from_db()
    assert locality.status == S.PILOTING


def test_locality_change_form_cannot_change_the_status(staff_client):
    locality = LocalityFactory(status=S.PROSPECT, pilot_start_on=None, slug="porvoo", name_fi="Porvoo")
    url = reverse("admin:localities_locality_change", args=[locality.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "status" not in response.context["adminform"].form.fields
    assert reverse("admin:localities_locality_transition", args=[locality.pk]) in response.content.decode()


def test_locality_history_is_kept(staff_client, staff):
    locality = LocalityFactory(status=S.PILOTING)
    services.locality_transition(actor=staff, locality=locality, to_status=S.PAUSED)
    response = staff_client.get(reverse("admin:localities_locality_history", args=[locality.pk]))
    assert response.status_code == 200
    assert locality.history.count() == 2


def _locality_form(locality, **changes):
    """The locality's change form as the admin posts it, with `changes`, and no coordinator or agreement rows."""
    data = {
        "name_fi": locality.name_fi,
        "name_sv": locality.name_sv,
        "name_en": locality.name_en,
        "slug": locality.slug,
        "kind": locality.kind,
        "municipalities": [m.pk for m in locality.municipalities.all()],
        "first_contact_on": "",
        "pilot_start_on": locality.pilot_start_on.isoformat() if locality.pilot_start_on else "",
        "pilot_end_on": "",
        "permanent_since": "",
        "ended_on": "",
        "staff_notes": locality.staff_notes,
        "version": locality.version,  # as the change form renders it
    }
    for prefix in ("coordinators", "agreements"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | changes


def test_admin_refuses_permanent_use_before_the_pilot_start(staff_client):
    locality = LocalityFactory(status=S.PILOTING, pilot_start_on=datetime.date(2026, 3, 1))
    url = "/en" + reverse("admin:localities_locality_change", args=[locality.pk])
    response = staff_client.post(url, _locality_form(locality, permanent_since="2026-01-01", staff_notes="Uusi"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["permanent_since"] == ["Permanent use cannot begin before the pilot started."]
    locality.refresh_from_db()
    assert (locality.permanent_since, locality.staff_notes, locality.history.count()) == (None, "", 1)


def test_admin_edits_of_a_locality_go_through_the_service_with_who_in_history(staff_client, staff):
    locality = LocalityFactory(status=S.PILOTING, pilot_start_on=datetime.date(2026, 3, 1))
    url = reverse("admin:localities_locality_change", args=[locality.pk])
    kajaani = Municipality.objects.get(code="205")
    response = staff_client.post(url, _locality_form(locality, pilot_end_on="2027-02-28", municipalities=[kajaani.pk]))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    locality.refresh_from_db()
    assert locality.pilot_end_on == datetime.date(2027, 2, 28)
    assert list(locality.municipalities.all()) == [kajaani]
    latest = locality.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (staff, "edited")


def _second_staff_client():
    """Another member of staff, logged in on their own browser."""
    other = Client()
    other.force_login(StaffFactory(email="toinen@kaikukeskus.example.fi"))
    return other


def test_two_staff_saving_a_locality_the_second_is_told_and_nothing_is_reverted(staff_client):
    locality = LocalityFactory(status=S.PILOTING, pilot_start_on=datetime.date(2026, 3, 1), staff_notes="Alku")
    url = "/en" + reverse("admin:localities_locality_change", args=[locality.pk])
    other = _second_staff_client()
    opened = _locality_form(locality, version=staff_client.get(url).context["adminform"].form["version"].value())
    other_opened = _locality_form(locality, version=other.get(url).context["adminform"].form["version"].value())

    assert other.post(url, other_opened | {"staff_notes": "Toisen muistiinpano"}).status_code == 302
    response = staff_client.post(url, opened | {"pilot_end_on": "2027-02-28", "staff_notes": "Minun muistiinpanoni"})

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Someone else saved this locality while you were editing it" in " ".join(form.non_field_errors())
    page = response.content.decode()
    assert "Minun muistiinpanoni" in page and "2027-02-28" in page  # what they typed is kept
    assert ("Staff-only notes", "Toisen muistiinpano", "Minun muistiinpanoni") in form.conflict_rows
    assert 'class="version-conflict"' in page
    locality.refresh_from_db()
    assert (locality.staff_notes, locality.pilot_end_on) == ("Toisen muistiinpano", None)
    # Saving again (the form carries the version it was shown with now) overwrites knowingly.
    again = opened | {
        "pilot_end_on": "2027-02-28",
        "staff_notes": "Minun muistiinpanoni",
        "version": form.data["version"],
    }
    assert staff_client.post(url, again).status_code == 302
    locality.refresh_from_db()
    assert (locality.staff_notes, locality.pilot_end_on) == ("Minun muistiinpanoni", datetime.date(2027, 2, 28))


def test_a_status_move_or_an_import_after_the_form_opened_is_a_conflict_too(staff_client, staff):
    locality = LocalityFactory(status=S.PILOTING, pilot_start_on=datetime.date(2026, 3, 1))
    url = reverse("admin:localities_locality_change", args=[locality.pk])
    opened = _locality_form(locality, staff_notes="Minun")
    services.locality_transition(actor=staff, locality=locality, to_status=S.PAUSED)
    assert staff_client.post(url, opened).status_code == 200
    locality.refresh_from_db()
    dataset = tablib.Dataset(headers=["slug", "name_fi", "kind"])
    dataset.append([locality.slug, "Uusi nimi", locality.kind])
    assert not LocalityResource().import_data(dataset, dry_run=False).has_errors()
    assert staff_client.post(url, _locality_form(locality, staff_notes="Minun")).status_code == 200
    assert Locality.objects.get(pk=locality.pk).name_fi == "Uusi nimi"


def test_two_staff_saving_the_same_prospects_notes_the_second_is_told(staff_client, staff):
    prospect = LocalityFactory(status=S.PROSPECT, pilot_start_on=None)
    url = reverse("admin:localities_prospect_change", args=[prospect.pk])
    empty = {"prospect_contacts-TOTAL_FORMS": "0", "prospect_contacts-INITIAL_FORMS": "0"}
    services.locality_update(actor=staff, locality=prospect, staff_notes="Toisen")
    response = staff_client.post(url, {"staff_notes": "Minun", "version": prospect.version - 1, **empty})
    assert response.status_code == 200 and "Minun" in response.content.decode()
    assert Locality.objects.get(pk=prospect.pk).staff_notes == "Toisen"


def test_two_staff_saving_a_milestone_in_the_admin_the_second_is_told(staff_client, staff):
    milestone = MilestoneFactory(title_fi="Alku")
    url = reverse("admin:localities_milestone_change", args=[milestone.pk])
    opened = staff_client.get(url).context["adminform"].form["version"].value()
    services.milestone_save(actor=staff, milestone=Milestone.objects.get(pk=milestone.pk), expected_version=opened)
    data = {"position": milestone.position, "title_fi": "Minun", "due_on": milestone.due_on.isoformat()}
    response = staff_client.post(url, data | {"version": opened})
    assert response.status_code == 200 and "Minun" in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).title_fi == "Alku"
    assert staff_client.post(url, data | {"version": opened + 1}).status_code == 302
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.title_fi, saved.history.latest().history_user) == ("Minun", staff)


# --- Import and export --------------------------------------------------------------------------------------

HEADERS = ["slug", "name_fi", "name_sv", "name_en", "kind", "status", "county", "municipalities", "website"]


def _dataset(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def test_import_creates_and_updates_localities_with_municipality_codes():
    LocalityFactory(slug="tornio", name_fi="Tornio", status=S.PERMANENT)
    result = LocalityResource().import_data(
        _dataset(
            ["kerava", "Kerava", "Kervo", "Kerava", "municipality", "", "Keski-Uudenmaan hyvinvointialue", "245", ""],
            ["tornio", "Tornion kaupunki", "Torneå", "Tornio", "municipality", "ended", "", "851", ""],
        ),
        dry_run=False,
    )
    assert not result.has_errors() and not result.has_validation_errors()
    kerava = Locality.objects.get(slug="kerava")
    assert kerava.status == S.PROSPECT  # status is never imported
    assert [m.code for m in kerava.municipalities.all()] == ["245"]
    assert kerava.county.name_fi == "Keski-Uudenmaan hyvinvointialue"
    tornio = Locality.objects.get(slug="tornio")
    assert (tornio.name_fi, tornio.status) == ("Tornion kaupunki", S.PERMANENT)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (["bad", "Bad", "", "", "municipality", "", "", "999", ""], "municipalities"),
        (["bad", "Bad", "", "", "municipality", "", "No such county", "091", ""], "county"),
        (["bad", "Bad", "", "", "village", "", "", "091", ""], "kind"),
        (["bad", "Bad", "", "", "municipality", "", "", "091", "not a url"], "website"),
        (["bad slug!", "Bad", "", "", "municipality", "", "", "091", ""], "slug"),
    ],
)
def test_import_validates_every_row_and_imports_nothing_when_one_is_bad(row, field):
    good = ["ok", "Ok", "", "", "municipality", "", "", "091", ""]
    result = LocalityResource().import_data(_dataset(good, row), dry_run=False)
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert field in invalid.error_dict
    assert not Locality.objects.filter(slug__in=["ok", "bad", "bad slug!"]).exists()


def test_admin_import_goes_through_validation(staff_client):
    content = "slug,name_fi,kind,municipalities\nbad,Bad,municipality,999\n"
    response = staff_client.post(
        "/en" + reverse("admin:localities_locality_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("l.csv", content.encode())},
    )
    assert response.status_code == 200
    assert "Unknown municipality codes: 999" in response.content.decode()
    assert not Locality.objects.filter(slug="bad").exists()


def test_admin_export_has_the_codes(staff_client):
    LocalityFactory(slug="kajaani", municipalities=["205"])
    response = staff_client.post(
        reverse("admin:localities_locality_export"),
        {"format": "0", "resource": "0", **{f"localityresource_{name}": "on" for name in ["slug", "municipalities"]}},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "kajaani" in body and "205" in body


# --- The prospect pipeline ----------------------------------------------------------------------------------


def test_pipeline_lists_prospects_by_next_step(staff_client):
    later = ProspectContactFactory(
        locality__slug="later", next_step="Esittely", next_step_on=_today() + datetime.timedelta(days=30)
    ).locality
    sooner = ProspectContactFactory(
        locality__slug="sooner", next_step="Soitto", next_step_on=_today() + datetime.timedelta(days=2)
    ).locality
    ProspectContactFactory(locality__slug="nothing-planned")
    LocalityFactory(slug="running", status=S.PILOTING)
    response = staff_client.get(reverse("admin:localities_prospect_changelist"))
    assert [row.slug for row in response.context["cl"].result_list] == ["sooner", "later", "nothing-planned"]
    assert {later.slug, sooner.slug} <= {row.slug for row in response.context["cl"].result_list}


def test_logging_a_contact_in_the_pipeline_goes_through_the_service(staff_client, staff):
    prospect = LocalityFactory(status=S.PROSPECT, pilot_start_on=None, first_contact_on=None)
    url = reverse("admin:localities_prospect_change", args=[prospect.pk])
    assert staff_client.get(url).status_code == 200
    prefix = "prospect_contacts"
    response = staff_client.post(
        url,
        {
            "staff_notes": "",
            "version": prospect.version,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-contacted_on": "2026-09-01",
            f"{prefix}-0-channel": "phone",
            f"{prefix}-0-summary": "Sivistysjohtaja kiinnostui.",
            f"{prefix}-0-next_step": "Lähetä materiaali",
            f"{prefix}-0-next_step_on": "2026-09-15",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    contact = prospect.prospect_contacts.get()
    assert contact.logged_by == staff
    prospect.refresh_from_db()
    assert prospect.first_contact_on == datetime.date(2026, 9, 1)


def test_staff_notes_edited_in_the_pipeline_are_in_the_localitys_history(staff_client, staff):
    prospect = LocalityFactory(status=S.PROSPECT, pilot_start_on=None)
    prefix = "prospect_contacts"
    response = staff_client.post(
        reverse("admin:localities_prospect_change", args=[prospect.pk]),
        {
            "staff_notes": "Soita syyskuussa",
            "version": prospect.version,
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    prospect.refresh_from_db()
    assert prospect.staff_notes == "Soita syyskuussa"
    assert prospect.history.latest().history_user == staff


def _contact_formset(*contacts, extra=()):
    prefix = "prospect_contacts"
    data = {f"{prefix}-TOTAL_FORMS": str(len(contacts) + len(extra)), f"{prefix}-INITIAL_FORMS": str(len(contacts))}
    for index, values in enumerate([*contacts, *extra]):
        data |= {f"{prefix}-{index}-{name}": value for name, value in values.items()}
    return data


def _contact_row(contact, **changes):
    return {
        "id": contact.pk,
        "contacted_on": contact.contacted_on.isoformat(),
        "channel": contact.channel,
        "summary": contact.summary,
        "next_step": contact.next_step,
        "next_step_on": "",
    } | changes


def test_correcting_a_contact_in_the_pipeline_re_dates_the_first_contact_with_who(staff_client, staff):
    contact = ProspectContactFactory(contacted_on=datetime.date(2026, 9, 1))
    prospect = Locality.objects.get(pk=contact.locality_id)
    services.locality_update(actor=staff, locality=prospect, first_contact_on=datetime.date(2026, 9, 1))
    response = staff_client.post(
        reverse("admin:localities_prospect_change", args=[prospect.pk]),
        {
            "staff_notes": "",
            "version": prospect.version,
            **_contact_formset(_contact_row(contact, contacted_on="2026-06-15")),
        },
    )
    assert response.status_code == 302
    prospect.refresh_from_db()
    assert prospect.first_contact_on == datetime.date(2026, 6, 15)
    assert prospect.history.latest().history_user == staff


def test_removing_a_contact_in_the_pipeline_goes_through_the_service(staff_client, staff):
    contact = ProspectContactFactory()
    pk = contact.pk
    response = staff_client.post(
        reverse("admin:localities_prospect_change", args=[contact.locality_id]),
        {
            "staff_notes": "",
            "version": contact.locality.version,
            **_contact_formset(_contact_row(contact, DELETE="on")),
        },
    )
    assert response.status_code == 302
    assert not ProspectContact.objects.filter(pk=pk).exists()
    assert ProspectContact.history.filter(id=pk).latest().history_user == staff


# --- Agreements, meetings, access requests ------------------------------------------------------------------


def test_agreement_upload_in_the_admin_is_checked(staff_client, staff, locality):
    url = "/en" + reverse("admin:localities_localityagreement_add")
    data = {"locality": locality.pk, "title": "Sopimus", "signed_on": "2026-01-10", "valid_from": "2026-01-10"}
    fake = SimpleUploadedFile("sopimus.pdf", b"<html>not a pdf</html>")
    response = staff_client.post(url, {**data, "document": fake})
    assert response.status_code == 200
    assert "does not match its type" in response.content.decode()
    assert not LocalityAgreement.objects.exists()
    response = staff_client.post(url, {**data, "document": pdf_file()})
    assert response.status_code == 302
    agreement = LocalityAgreement.objects.get()
    assert agreement.uploaded_by == staff
    change = staff_client.get(reverse("admin:localities_localityagreement_change", args=[agreement.pk]))
    assert reverse("localities:agreement-download", kwargs={"slug": locality.slug, "pk": agreement.pk}) in (
        change.content.decode()
    )


def test_feedback_meeting_with_actions_in_the_admin(staff_client, staff, locality, coordinator):
    prefix = "actions"
    response = staff_client.post(
        reverse("admin:localities_feedbackmeeting_add"),
        {
            "locality": locality.pk,
            "held_on": "2026-10-01",
            "kaikukeskus_participants": [staff.pk],
            "attendance": "Kulttuuri- ja sosiaalipalvelut",
            "attendee_count": "6",
            "summary": "Pilotti etenee.",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-description": "Päivitä paikallinen verkkosivu",
            f"{prefix}-0-owner": coordinator.pk,
            f"{prefix}-0-due_on": "2026-10-15",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    meeting = FeedbackMeeting.objects.get()
    assert meeting.created_by == staff
    assert list(meeting.kaikukeskus_participants.all()) == [staff]
    assert meeting.actions.get().owner == coordinator


def test_approve_and_decline_actions_tell_the_coordinators(
    staff_client, coordinator, other_locality, django_capture_on_commit_callbacks
):
    approve = AccessRequestFactory(user=coordinator, locality=other_locality)
    decline = AccessRequestFactory(locality=other_locality)
    changelist = reverse("admin:localities_accessrequest_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(changelist, {"action": "approve", "_selected_action": [approve.pk]})
        staff_client.post(changelist, {"action": "decline", "_selected_action": [decline.pk]})
    approve.refresh_from_db()
    decline.refresh_from_db()
    assert (approve.status, decline.status) == (AccessRequest.Status.APPROVED, AccessRequest.Status.DECLINED)
    assert Coordinator.objects.active().filter(user=coordinator, locality=other_locality).exists()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([coordinator.email, decline.user.email])


def test_staff_find_overdue_actions_and_mark_them_done(staff_client, staff, locality):
    late = FollowUpActionFactory(meeting__locality=locality, due_on=_today() - datetime.timedelta(days=2))
    FollowUpActionFactory(meeting__locality=locality, due_on=_today() + datetime.timedelta(days=2))
    changelist = reverse("admin:localities_followupaction_changelist")
    response = staff_client.get(changelist, {"overdue": "yes"})
    assert [action.pk for action in response.context["cl"].result_list] == [late.pk]
    staff_client.post(changelist, {"action": "mark_done", "_selected_action": [late.pk]})
    late.refresh_from_db()
    assert (late.done_on, late.done_by) == (_today(), staff)


def test_staff_edit_the_national_milestone_template(staff_client):
    from localities.models import MilestoneTemplate

    response = staff_client.get(reverse("admin:localities_milestonetemplate_changelist"))
    assert response.context["cl"].result_count == 12
    step = MilestoneTemplate.objects.get(position=50)
    response = staff_client.post(
        reverse("admin:localities_milestonetemplate_change", args=[step.pk]),
        {
            "position": 50,
            "title_fi": "Koordinaattorit koulutettu verkossa",
            "title_sv": step.title_sv,
            "title_en": step.title_en,
            "due_offset_days": -45,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.title_fi, step.due_offset_days) == ("Koordinaattorit koulutettu verkossa", -45)
    assert step.history.count() == 1


def test_locality_page_links_to_an_invitation_for_it(staff_client, locality):
    response = staff_client.get(reverse("admin:localities_locality_change", args=[locality.pk]))
    invite = reverse("admin:localities_invitation_add") + f"?locality={locality.pk}"
    assert invite in response.content.decode()
    form = staff_client.get(invite).context["adminform"].form
    assert str(form.initial["locality"]) == str(locality.pk)


def test_staff_write_a_message_then_decide_and_the_coordinator_gets_it(
    staff_client, staff, coordinator, other_locality, django_capture_on_commit_callbacks
):
    request = AccessRequestFactory(user=coordinator, locality=other_locality)
    change = reverse("admin:localities_accessrequest_change", args=[request.pk])
    assert staff_client.post(change, {"decision_note": "Tervetuloa Tornioon!"}).status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.PENDING
    latest = request.history.latest()
    assert (latest.decision_note, latest.history_user) == ("Tervetuloa Tornioon!", staff)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:localities_accessrequest_changelist"),
            {"action": "approve", "_selected_action": [request.pk]},
        )
    assert "Tervetuloa Tornioon!" in mail.outbox[0].body
    coordinator_portal = staff_client  # the same client, now as the coordinator
    coordinator_portal.force_login(coordinator)
    assert "Tervetuloa Tornioon!" in coordinator_portal.get(reverse("portal")).content.decode()


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("admin:localities_locality_changelist", lambda: LocalityFactory(municipalities=["091", "049"])),
        (
            "admin:localities_prospect_changelist",
            lambda: ProspectContactFactory(next_step="Soitto", next_step_on=_today()),
        ),
        ("admin:localities_followupaction_changelist", lambda: FollowUpActionFactory()),
        ("admin:localities_milestone_changelist", lambda: MilestoneFactory()),
    ],
)
def test_admin_lists_make_the_same_number_of_queries_for_5_and_50(
    staff_client, django_assert_num_queries, url_name, make
):
    url = reverse(url_name)
    for _index in range(5):
        make()
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    for _index in range(45):
        make()
    with django_assert_num_queries(len(few)):
        staff_client.get(url)


# --- Views an admin leaves out --------------------------------------------------------------------------------


def test_an_admin_without_a_view_neither_routes_nor_offers_it(staff_client, staff, rf):
    """`without_views` answers the matching permission too: no add, change or delete button, no add URL."""
    from django.contrib.admin import site
    from django.urls import NoReverseMatch

    request = rf.get("/")
    request.user = staff
    status_log = site._registry[LocalityStatusChange]
    assert not status_log.has_add_permission(request)
    assert not status_log.has_change_permission(request)
    assert not status_log.has_delete_permission(request)
    with pytest.raises(NoReverseMatch):
        reverse("admin:localities_localitystatuschange_add")
    memberships = site._registry[Coordinator]
    assert memberships.has_change_permission(request)  # what is not left out stays as the groups allow
    assert not memberships.has_delete_permission(request)

    change = LocalityStatusChange.objects.create(
        locality=LocalityFactory(), from_status=S.PROSPECT, to_status=S.PREPARING, effective_on=_today()
    )
    page = staff_client.get(reverse("admin:localities_localitystatuschange_change", args=[change.pk]))
    assert page.status_code == 200  # the change page stays, read only
    assert b'name="_save"' not in page.content


def test_the_message_of_a_decided_request_is_read_only_in_the_admin(staff_client, staff, coordinator, other_locality):
    request = AccessRequestFactory(user=coordinator, locality=other_locality)
    services.access_request_decline(actor=staff, access_request=request, note="Ei nyt.")
    change = reverse("admin:localities_accessrequest_change", args=[request.pk])
    assert "decision_note" not in staff_client.get(change).context["adminform"].form.fields
    staff_client.post(change, {"decision_note": "Sittenkin?"})
    request.refresh_from_db()
    assert request.decision_note == "Ei nyt."


def test_moving_a_pilots_start_in_the_admin_moves_its_open_milestones_and_checks_the_version(staff_client, staff):
    pilot = PilotFactory(planned_start_on=datetime.date(2026, 9, 1))
    open_due = dict(pilot.milestones.values_list("pk", "due_on"))
    url = reverse("admin:localities_pilot_change", args=[pilot.pk])
    opened = staff_client.get(url).context["adminform"].form["version"].value()
    inline = {"milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0"}
    response = staff_client.post(url, {"planned_start_on": "2026-09-08", "version": opened, **inline})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    week = datetime.timedelta(days=7)
    assert dict(pilot.milestones.values_list("pk", "due_on")) == {pk: due + week for pk, due in open_due.items()}
    assert Pilot.objects.get(pk=pilot.pk).history.latest().history_user == staff
    # A second member of staff whose page was opened before that save is told, and nothing moves again.
    response = staff_client.post(url, {"planned_start_on": "2026-10-01", "version": opened, **inline})
    assert response.status_code == 200
    assert Pilot.objects.get(pk=pilot.pk).planned_start_on == datetime.date(2026, 9, 8)


def test_a_history_page_shows_a_past_version_without_offering_to_revert(staff_client, staff):
    """A revert would save the old row past the services (their checks, reason and version)."""
    locality = LocalityFactory(staff_notes="Alku")
    services.locality_update(actor=staff, locality=locality, staff_notes="Uusi")
    record = locality.history.earliest()
    url = reverse("admin:localities_locality_simple_history", args=[locality.pk, record.history_id])
    response = staff_client.get(url)
    assert response.status_code == 200 and response.context["revert_disabled"]
