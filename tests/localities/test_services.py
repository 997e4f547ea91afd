"""The lifecycle, pilots and their checklists, meetings, agreements, prospects and access requests."""

import datetime
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kaikukeskus.locking import StaleVersionError
from localities import services
from localities.milestone_defaults import DEFAULT_MILESTONES
from localities.models import (
    AccessRequest,
    Coordinator,
    FollowUpAction,
    Locality,
    LocalityStatusChange,
    Milestone,
    MilestoneTemplate,
    Municipality,
    Pilot,
    ProspectContact,
)
from tests.kaikukeskus.factories import UserFactory
from tests.localities.factories import (
    AccessRequestFactory,
    CoordinatorFactory,
    FollowUpActionFactory,
    LocalityFactory,
    MilestoneFactory,
    PilotFactory,
    ProspectContactFactory,
    pdf_file,
)

pytestmark = pytest.mark.django_db

S = Locality.Status
D = datetime.date


def prospect(**kwargs):
    return LocalityFactory(status=S.PROSPECT, pilot_start_on=None, **kwargs)


# --- Lifecycle ----------------------------------------------------------------------------------------------


def test_locality_update_records_who_and_keeps_the_dates_in_their_order(staff):
    locality = LocalityFactory(status=S.PILOTING, pilot_start_on=D(2026, 3, 1), staff_notes="")
    services.locality_update(actor=staff, locality=locality, staff_notes="Soitettu", pilot_end_on=D(2027, 2, 28))
    latest = locality.history.latest()
    assert (latest.staff_notes, latest.pilot_end_on, latest.history_user) == ("Soitettu", D(2027, 2, 28), staff)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.locality_update(actor=staff, locality=locality, permanent_since=D(2026, 1, 1), staff_notes="Ei")
    assert error.value.message_dict == {"permanent_since": ["Permanent use cannot begin before the pilot started."]}
    locality.refresh_from_db()
    assert (locality.permanent_since, locality.staff_notes) == (None, "Soitettu")


def test_locality_update_never_moves_the_status_and_is_for_staff(staff, coordinator, locality):
    with pytest.raises(TypeError):
        services.locality_update(actor=staff, locality=locality, status=S.ENDED)
    with pytest.raises(PermissionDenied):
        services.locality_update(actor=coordinator, locality=locality, staff_notes="x")
    locality.refresh_from_db()
    assert (locality.status, locality.staff_notes) == (S.PILOTING, "")


def test_a_new_locality_from_locality_update_is_a_prospect(staff):
    locality = services.locality_update(
        actor=staff,
        locality=Locality(),
        name_fi="Porvoo",
        slug="porvoo",
        municipalities=Municipality.objects.filter(code="638"),
    )
    assert (locality.status, list(locality.municipalities.values_list("code", flat=True))) == (S.PROSPECT, ["638"])


def test_ending_cannot_precede_permanent_use(staff):
    locality = LocalityFactory(status=S.PERMANENT, pilot_start_on=D(2019, 1, 1), permanent_since=D(2020, 1, 1))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.locality_transition(actor=staff, locality=locality, to_status=S.ENDED, ended_on=D(2019, 6, 1))
    assert error.value.message_dict["ended_on"] == ["Kaikukortti cannot end before its permanent use began."]
    locality.refresh_from_db()
    assert (locality.status, locality.ended_on) == (S.PERMANENT, None)
    assert not LocalityStatusChange.objects.filter(locality=locality).exists()


@pytest.mark.parametrize(
    "dates",
    [
        {"pilot_start_on": D(2026, 5, 1), "pilot_end_on": D(2026, 4, 1)},
        {"pilot_start_on": D(2026, 5, 1), "permanent_since": D(2026, 4, 1)},
        {"permanent_since": D(2026, 5, 1), "ended_on": D(2026, 4, 1)},
    ],
)
def test_the_database_refuses_dates_out_of_order(dates):
    from django.db import IntegrityError, transaction

    locality = LocalityFactory(pilot_start_on=None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Locality.objects.filter(pk=locality.pk).update(**dates)
    locality.refresh_from_db()
    assert (locality.pilot_end_on, locality.permanent_since, locality.ended_on) == (None, None, None)


def test_default_template_has_the_design_steps_in_order():
    steps = list(MilestoneTemplate.objects.order_by("position"))
    assert [step.title_en for step in steps] == [row[4] for row in DEFAULT_MILESTONES]
    assert steps[0].title_en == "First contact with Kaikukeskus"
    assert steps[-1].title_en == "Decision on permanent use"
    assert all(step.title_fi and step.title_sv for step in steps)


def test_preparing_starts_the_pilot_with_the_template_and_due_dates_from_the_planned_start(staff):
    locality = prospect()
    start = D(2027, 3, 1)
    change = services.locality_transition(
        actor=staff, locality=locality, to_status=S.PREPARING, pilot_start_on=start, note="Board decided"
    )
    locality.refresh_from_db()
    assert locality.status == S.PREPARING
    assert locality.pilot_start_on == start
    pilot = Pilot.objects.get(locality=locality)
    assert pilot.planned_start_on == start
    milestones = list(pilot.milestones.order_by("position"))
    assert len(milestones) == len(DEFAULT_MILESTONES)
    for milestone, (position, offset, title_fi, _sv, title_en) in zip(milestones, DEFAULT_MILESTONES, strict=True):
        assert milestone.position == position
        assert milestone.title_fi == title_fi
        assert milestone.title_en == title_en
        assert milestone.due_on == start + datetime.timedelta(days=offset)
    launch = pilot.milestones.get(title_en="Launch")
    assert launch.due_on == start
    assert (change.from_status, change.to_status, change.changed_by) == (S.PROSPECT, S.PREPARING, staff)
    assert change.note == "Board decided"


def test_only_active_template_steps_are_copied_and_later_edits_leave_the_pilot_alone(staff):
    MilestoneTemplate.objects.filter(position=50).update(is_active=False)
    locality = prospect()
    services.locality_transition(actor=staff, locality=locality, to_status=S.PREPARING, pilot_start_on=D(2027, 1, 1))
    pilot = locality.pilot
    assert pilot.milestones.count() == len(DEFAULT_MILESTONES) - 1
    assert not pilot.milestones.filter(position=50).exists()

    MilestoneTemplate.objects.filter(position=90).update(title_en="Big launch party", due_offset_days=30)
    launch = pilot.milestones.get(position=90)
    assert (launch.title_en, launch.due_on) == ("Launch", D(2027, 1, 1))


def test_the_whole_lifecycle_is_logged_with_who_and_when(staff):
    locality = prospect()
    services.locality_transition(actor=staff, locality=locality, to_status=S.PREPARING, pilot_start_on=D(2026, 1, 1))
    services.locality_transition(
        actor=staff, locality=locality, to_status=S.PILOTING, pilot_start_on=D(2026, 2, 1), pilot_end_on=D(2026, 12, 31)
    )
    services.locality_transition(actor=staff, locality=locality, to_status=S.PERMANENT, permanent_since=D(2027, 1, 1))
    services.locality_transition(actor=staff, locality=locality, to_status=S.PAUSED, effective_on=D(2027, 6, 1))
    services.locality_transition(actor=staff, locality=locality, to_status=S.PERMANENT)
    services.locality_transition(actor=staff, locality=locality, to_status=S.ENDED, ended_on=D(2028, 1, 31))
    locality.refresh_from_db()
    assert locality.status == S.ENDED
    assert (locality.pilot_start_on, locality.pilot_end_on) == (D(2026, 2, 1), D(2026, 12, 31))
    assert locality.permanent_since == D(2027, 1, 1)
    assert locality.ended_on == D(2028, 1, 31)
    changes = list(LocalityStatusChange.objects.filter(locality=locality).order_by("changed_at", "pk"))
    assert [(c.from_status, c.to_status) for c in changes] == [
        (S.PROSPECT, S.PREPARING),
        (S.PREPARING, S.PILOTING),
        (S.PILOTING, S.PERMANENT),
        (S.PERMANENT, S.PAUSED),
        (S.PAUSED, S.PERMANENT),
        (S.PERMANENT, S.ENDED),
    ]
    assert [c.effective_on for c in changes][1:4] == [D(2026, 2, 1), D(2027, 1, 1), D(2027, 6, 1)]
    assert {c.changed_by for c in changes} == {staff}
    assert Pilot.objects.filter(locality=locality).count() == 1  # resuming never copies the checklist twice
    assert locality.history.filter(history_user=staff).count() == 6


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (S.PROSPECT, S.PILOTING),
        (S.PROSPECT, S.PERMANENT),
        (S.PREPARING, S.PERMANENT),
        (S.PERMANENT, S.PILOTING),
        (S.ENDED, S.PILOTING),
        (S.ENDED, S.PERMANENT),
        (S.PILOTING, S.PREPARING),
    ],
)
def test_refused_moves_say_which_move_is_not_allowed(staff, from_status, to_status):
    locality = LocalityFactory(status=from_status, permanent_since=D(2027, 1, 1))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.locality_transition(actor=staff, locality=locality, to_status=to_status)
    with translation.override("en"):
        expected = f"A locality cannot move from “{S(from_status).label}” to “{S(to_status).label}”."
    assert error.value.message_dict["to_status"] == [expected]
    locality.refresh_from_db()
    assert locality.status == from_status
    assert not LocalityStatusChange.objects.exists()


def test_refused_move_message_is_translated(staff):
    locality = prospect()
    with translation.override("fi"), pytest.raises(ValidationError) as error:
        services.locality_transition(actor=staff, locality=locality, to_status=S.PERMANENT)
    assert error.value.message_dict["to_status"] == [
        "Paikkakunnan tilaa ei voi muuttaa tilasta ”Kiinnostunut” tilaan ”Pysyvä”."
    ]
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.locality_transition(actor=staff, locality=locality, to_status=S.PERMANENT)
    assert error.value.message_dict["to_status"] == [
        "Orten kan inte flyttas från status ”Intresserad” till ”Permanent”."
    ]


def test_moving_to_the_same_status_is_refused(staff):
    locality = LocalityFactory(status=S.PILOTING)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.locality_transition(actor=staff, locality=locality, to_status=S.PILOTING)
    assert error.value.message_dict["to_status"] == ["The locality is already in status “Piloting”."]


@pytest.mark.parametrize(
    ("from_status", "to_status", "field", "message"),
    [
        (S.PROSPECT, S.PREPARING, "pilot_start_on", "Preparing a pilot needs its planned start date."),
        (S.PAUSED, S.PILOTING, "pilot_start_on", "A pilot needs its start date."),
        (S.PILOTING, S.PERMANENT, "permanent_since", "Permanent use needs the date since when."),
        (S.PERMANENT, S.ENDED, "ended_on", "Ending needs the date when Kaikukortti ended."),
    ],
)
def test_moves_need_their_dates(staff, from_status, to_status, field, message):
    locality = LocalityFactory(status=from_status, pilot_start_on=None)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.locality_transition(actor=staff, locality=locality, to_status=to_status)
    assert error.value.message_dict[field] == [message]
    locality.refresh_from_db()
    assert locality.status == from_status


def test_required_date_message_in_finnish(staff):
    locality = LocalityFactory(status=S.PILOTING)
    with translation.override("fi"), pytest.raises(ValidationError) as error:
        services.locality_transition(actor=staff, locality=locality, to_status=S.PERMANENT)
    assert error.value.message_dict["permanent_since"] == ["Pysyvälle käytölle tarvitaan alkamispäivä."]


def test_pilot_cannot_end_before_it_starts_nor_become_permanent_before_it(staff):
    locality = LocalityFactory(status=S.PREPARING, pilot_start_on=D(2026, 5, 1))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.locality_transition(actor=staff, locality=locality, to_status=S.PILOTING, pilot_end_on=D(2026, 4, 1))
    assert error.value.message_dict["pilot_end_on"] == ["The pilot cannot end before it starts."]
    piloting = LocalityFactory(status=S.PILOTING, pilot_start_on=D(2026, 5, 1))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.locality_transition(
            actor=staff, locality=piloting, to_status=S.PERMANENT, permanent_since=D(2026, 1, 1)
        )
    assert error.value.message_dict["permanent_since"] == ["Permanent use cannot begin before the pilot started."]


def test_only_staff_move_a_locality(coordinator, locality):
    with pytest.raises(PermissionDenied):
        services.locality_transition(actor=coordinator, locality=locality, to_status=S.PAUSED)
    assert services.allowed_transitions(locality) == [S.PERMANENT, S.PAUSED, S.ENDED]


# --- Milestones -------------------------------------------------------------------------------------------


def test_overdue_means_open_and_due_before_today(today):
    pilot = PilotFactory(milestones=False)
    late = MilestoneFactory(pilot=pilot, due_on=today - datetime.timedelta(days=1))
    due_today = MilestoneFactory(pilot=pilot, due_on=today)
    MilestoneFactory(pilot=pilot, due_on=today - datetime.timedelta(days=10), done_on=today)
    assert list(Milestone.objects.overdue()) == [late]
    assert late.is_overdue() and not due_today.is_overdue()
    assert set(Milestone.objects.overdue(on=today + datetime.timedelta(days=1))) == {late, due_today}


def test_coordinator_marks_own_milestone_done_with_date_and_note(coordinator, locality, today):
    pilot = PilotFactory(locality=locality)
    milestone = pilot.milestones.get(position=20)
    done = services.milestone_mark_done(
        actor=coordinator, milestone=milestone, done_on=today, note="Aino ja Pekka nimetty"
    )
    assert (done.done_on, done.done_by, done.note) == (today, coordinator, "Aino ja Pekka nimetty")
    assert done.history.first().history_user == coordinator
    services.milestone_reopen(actor=coordinator, milestone=milestone)
    milestone.refresh_from_db()
    assert milestone.done_on is None and milestone.done_by is None


def test_coordinator_cannot_mark_another_localitys_milestone(coordinator, other_locality, today):
    milestone = PilotFactory(locality=other_locality).milestones.first()
    with pytest.raises(PermissionDenied):
        services.milestone_mark_done(actor=coordinator, milestone=milestone, done_on=today)
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_ended_membership_loses_access_but_keeps_its_row(coordinator, locality, staff, today):
    milestone = PilotFactory(locality=locality).milestones.first()
    membership = Coordinator.objects.get(user=coordinator, locality=locality)
    services.coordinator_end(actor=staff, coordinator=membership, ended_on=today)
    with pytest.raises(PermissionDenied):
        services.milestone_mark_done(actor=coordinator, milestone=milestone, done_on=today)
    assert Coordinator.objects.filter(pk=membership.pk, ended_on=today).exists()


def test_milestone_cannot_be_done_in_the_future(coordinator, locality, today):
    milestone = PilotFactory(locality=locality).milestones.first()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.milestone_mark_done(actor=coordinator, milestone=milestone, done_on=today + datetime.timedelta(days=1))
    assert error.value.message_dict["done_on"] == ["The date cannot be in the future."]


def test_pilot_is_created_once(staff, locality):
    services.pilot_create(actor=staff, locality=locality, planned_start_on=D(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.pilot_create(actor=staff, locality=locality, planned_start_on=D(2026, 1, 1))


# --- Feedback meetings ------------------------------------------------------------------------------------


def test_staff_record_a_meeting_with_participants_and_actions(staff, coordinator, locality, today):
    meeting = services.feedback_meeting_create(
        actor=staff,
        locality=locality,
        held_on=today,
        participants=[staff],
        attendance="Kulttuuripalvelut, sosiaalityö",
        attendee_count=7,
        summary="Hyvä alku.",
        actions=[
            {"description": "Päivitä verkkosivu", "owner": coordinator, "due_on": today + datetime.timedelta(days=7)},
            {"description": "Lähetä kysely", "owner_name": "Kaikukeskus", "due_on": today},
        ],
    )
    assert list(meeting.kaikukeskus_participants.all()) == [staff]
    assert meeting.actions.count() == 2
    assert meeting.created_by == staff


def test_meeting_participants_must_be_staff(staff, coordinator, locality, today):
    with pytest.raises(ValidationError):
        services.feedback_meeting_create(actor=staff, locality=locality, held_on=today, participants=[coordinator])


def test_coordinator_marks_own_action_done_but_not_anothers(coordinator, locality, other_locality, today):
    own = FollowUpActionFactory(meeting__locality=locality, due_on=today - datetime.timedelta(days=3))
    foreign = FollowUpActionFactory(meeting__locality=other_locality)
    assert own.is_overdue()
    services.follow_up_action_mark_done(actor=coordinator, action=own)
    own.refresh_from_db()
    assert (own.done_on, own.done_by) == (today, coordinator)
    assert not own.is_overdue()
    with pytest.raises(PermissionDenied):
        services.follow_up_action_mark_done(actor=coordinator, action=foreign)


# --- Done twice ---------------------------------------------------------------------------------------------


@pytest.fixture
def second_coordinator(locality):
    return CoordinatorFactory(locality=locality, user__first_name="Ville", user__last_name="Toinen").user


def test_a_milestone_marked_done_twice_keeps_the_first_who_and_when(coordinator, second_coordinator, locality):
    milestone = PilotFactory(locality=locality).milestones.get(position=20)
    stale = Milestone.objects.get(pk=milestone.pk)  # what the second coordinator's form was made from
    services.milestone_mark_done(actor=coordinator, milestone=milestone, done_on=D(2026, 3, 2), note="Ensin")
    history = milestone.history.count()
    with translation.override("en"), pytest.raises(services.AlreadyDoneError) as error:
        services.milestone_mark_done(actor=second_coordinator, milestone=stale, done_on=D(2026, 3, 5), note="Toka")
    assert error.value.messages == [
        f"{coordinator.display_name} marked this done on 2 March 2026 already; nothing was changed."
    ]
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.done_by, milestone.note) == (D(2026, 3, 2), coordinator, "Ensin")
    assert milestone.history.count() == history


def test_already_done_says_who_and_when_in_finnish(coordinator, second_coordinator, locality):
    milestone = PilotFactory(locality=locality).milestones.first()
    services.milestone_mark_done(actor=coordinator, milestone=milestone, done_on=D(2026, 3, 2))
    with translation.override("fi"), pytest.raises(services.AlreadyDoneError) as error:
        services.milestone_mark_done(actor=second_coordinator, milestone=milestone, done_on=D(2026, 3, 5))
    assert error.value.messages == [
        f"{coordinator.display_name} merkitsi tämän tehdyksi jo 2. maaliskuuta 2026; mitään ei muutettu."
    ]


def test_correcting_a_done_milestone_keeps_who_marked_it(coordinator, second_coordinator, locality):
    milestone = PilotFactory(locality=locality).milestones.first()
    services.milestone_mark_done(actor=coordinator, milestone=milestone, done_on=D(2026, 3, 2), note="Ensin")
    services.milestone_correct(actor=second_coordinator, milestone=milestone, done_on=D(2026, 3, 1), note="Korjattu")
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.done_by, milestone.note) == (D(2026, 3, 1), coordinator, "Korjattu")
    assert milestone.history.latest().history_user == second_coordinator


def test_two_corrections_from_the_same_version_the_second_is_refused(coordinator, second_coordinator, locality):
    milestone = PilotFactory(locality=locality).milestones.first()
    services.milestone_mark_done(actor=coordinator, milestone=milestone, done_on=D(2026, 3, 2), note="Ensin")
    opened = Milestone.objects.get(pk=milestone.pk).version
    services.milestone_correct(
        actor=coordinator, milestone=milestone, done_on=D(2026, 3, 1), note="Ensimmäinen", expected_version=opened
    )
    with pytest.raises(StaleVersionError) as error:
        services.milestone_correct(
            actor=second_coordinator, milestone=milestone, done_on=D(2026, 2, 1), note="Toinen", expected_version=opened
        )
    assert error.value.current.note == "Ensimmäinen"
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.note, milestone.version) == (D(2026, 3, 1), "Ensimmäinen", opened + 1)


def test_rescheduling_a_pilot_moves_its_open_milestones_to_a_new_version(staff, locality):
    pilot = PilotFactory(locality=locality)
    before = dict(pilot.milestones.values_list("pk", "version"))
    services.pilot_reschedule(actor=staff, pilot=pilot, planned_start_on=pilot.planned_start_on + datetime.timedelta(7))
    assert dict(pilot.milestones.values_list("pk", "version")) == {pk: version + 1 for pk, version in before.items()}


def test_correcting_a_milestone_reopened_meanwhile_is_refused(coordinator, locality):
    milestone = PilotFactory(locality=locality).milestones.first()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.milestone_correct(actor=coordinator, milestone=milestone, done_on=D(2026, 3, 1), note="x")
    assert error.value.messages == ["This milestone has been marked not done meanwhile; mark it done again if it is."]
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.note) == (None, "")


def test_a_follow_up_action_marked_done_twice_keeps_the_first_who_and_when(
    coordinator, second_coordinator, locality, today
):
    action = FollowUpActionFactory(meeting__locality=locality)
    stale = FollowUpAction.objects.get(pk=action.pk)
    services.follow_up_action_mark_done(actor=coordinator, action=action, done_on=D(2026, 3, 2))
    with translation.override("en"), pytest.raises(services.AlreadyDoneError) as error:
        services.follow_up_action_mark_done(actor=second_coordinator, action=stale)
    assert error.value.messages == [
        f"{coordinator.display_name} marked this done on 2 March 2026 already; nothing was changed."
    ]
    action.refresh_from_db()
    assert (action.done_on, action.done_by) == (D(2026, 3, 2), coordinator)


# --- Agreements -------------------------------------------------------------------------------------------


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_agreement_is_stored_privately_under_a_random_name(staff, locality, today):
    agreement = services.agreement_create(
        actor=staff, locality=locality, signed_on=today, valid_from=today, document=pdf_file("Kajaani sopimus.pdf")
    )
    assert agreement.document.name.startswith("agreements/")
    assert "Kajaani" not in agreement.document.name
    assert agreement.original_filename == "Kajaani sopimus.pdf"
    assert agreement.document.storage.base_url in ("", "/")
    assert agreement.document.read().startswith(b"%PDF-")


def test_a_real_docx_agreement_is_accepted(staff, locality, today):
    document = SimpleUploadedFile("sopimus.docx", _docx_bytes())
    agreement = services.agreement_create(
        actor=staff, locality=locality, signed_on=today, valid_from=today, document=document
    )
    assert agreement.document.name.endswith(".docx")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sopimus.exe", b"MZ\x90\x00", "File extension “exe” is not allowed."),
        ("sopimus.pdf", b"<html><script>alert(1)</script></html>", "The file's content does not match its type."),
        ("sopimus.docx", b"PK\x03\x04not really a zip", "The file's content does not match its type."),
        ("sopimus.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "The file is too large (10.0 MB). The limit is 10 MB."),
    ],
)
def test_agreement_upload_is_checked_by_extension_content_and_size(staff, locality, today, name, content, message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.agreement_create(
                actor=staff,
                locality=locality,
                signed_on=today,
                valid_from=today,
                document=SimpleUploadedFile(name, content),
            )
        messages = error.value.message_dict["document"]
    assert len(messages) == 1
    assert messages[0].startswith(message)


def test_agreement_validity_must_not_end_before_it_begins(staff, locality, today):
    with pytest.raises(ValidationError):
        services.agreement_create(
            actor=staff,
            locality=locality,
            signed_on=today,
            valid_from=today,
            valid_until=today - datetime.timedelta(days=1),
            document=pdf_file(),
        )


def test_only_staff_file_agreements(coordinator, locality, today):
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            actor=coordinator, locality=locality, signed_on=today, valid_from=today, document=pdf_file()
        )


# --- Prospects --------------------------------------------------------------------------------------------


def test_contact_log_dates_the_first_contact(staff):
    locality = prospect()
    services.prospect_contact_log(
        actor=staff,
        locality=locality,
        contacted_on=D(2026, 9, 1),
        channel="phone",
        summary="Kulttuurijohtaja kiinnostunut.",
        next_step="Esittely lautakunnalle",
        next_step_on=D(2026, 10, 15),
    )
    services.prospect_contact_log(
        actor=staff, locality=locality, contacted_on=D(2026, 8, 1), channel="email", summary="Ensimmäinen viesti."
    )
    locality.refresh_from_db()
    assert locality.first_contact_on == D(2026, 8, 1)
    assert locality.prospect_contacts.count() == 2


def test_contact_log_needs_a_named_next_step_and_a_non_running_locality(staff, locality):
    with pytest.raises(ValidationError):
        services.prospect_contact_log(
            actor=staff,
            locality=prospect(),
            contacted_on=D(2026, 9, 1),
            channel="phone",
            summary="x",
            next_step_on=D(2026, 10, 1),
        )
    with pytest.raises(ValidationError):
        services.prospect_contact_log(
            actor=staff, locality=locality, contacted_on=D(2026, 9, 1), channel="phone", summary="x"
        )


def test_logging_a_contact_records_in_the_localitys_history_who_dated_the_first_contact(staff):
    locality = prospect(first_contact_on=None)
    services.prospect_contact_log(
        actor=staff, locality=locality, contacted_on=D(2026, 8, 1), channel="email", summary="Ensimmäinen viesti."
    )
    latest = locality.history.latest()
    assert (latest.first_contact_on, latest.history_user) == (D(2026, 8, 1), staff)


def test_correcting_a_contacts_date_re_dates_the_first_contact_with_who_in_history(staff):
    contact = ProspectContactFactory(contacted_on=D(2026, 9, 1), locality__first_contact_on=D(2026, 9, 1))
    services.prospect_contact_update(actor=staff, contact=contact, contacted_on=D(2026, 7, 1), summary="Korjattu")
    contact.refresh_from_db()
    assert (contact.contacted_on, contact.summary) == (D(2026, 7, 1), "Korjattu")
    assert contact.history.latest().history_user == staff
    locality = Locality.objects.get(pk=contact.locality_id)
    assert locality.first_contact_on == D(2026, 7, 1)
    assert locality.history.latest().history_user == staff


def test_a_contact_corrected_with_an_unnamed_next_step_is_refused_and_unchanged(staff):
    contact = ProspectContactFactory(summary="Alkuperäinen")
    with pytest.raises(ValidationError) as error:
        services.prospect_contact_update(actor=staff, contact=contact, summary="Uusi", next_step_on=D(2026, 10, 1))
    assert "next_step" in error.value.message_dict
    contact.refresh_from_db()
    assert (contact.summary, contact.next_step_on) == ("Alkuperäinen", None)


def test_removing_a_contact_records_who_removed_it(staff):
    contact = ProspectContactFactory()
    pk = contact.pk
    services.prospect_contact_delete(actor=staff, contact=contact)
    assert not ProspectContact.objects.filter(pk=pk).exists()
    removal = ProspectContact.history.filter(id=pk).latest()
    assert (removal.history_type, removal.history_user) == ("-", staff)


def test_only_staff_correct_or_remove_contacts(coordinator):
    contact = ProspectContactFactory(summary="Alkuperäinen")
    with pytest.raises(PermissionDenied):
        services.prospect_contact_update(actor=coordinator, contact=contact, summary="Uusi")
    with pytest.raises(PermissionDenied):
        services.prospect_contact_delete(actor=coordinator, contact=contact)
    contact.refresh_from_db()
    assert contact.summary == "Alkuperäinen"


# --- Access requests --------------------------------------------------------------------------------------


def test_staffs_message_before_the_decision_is_in_the_requests_history_with_who(staff, coordinator, other_locality):
    access_request = AccessRequestFactory(user=coordinator, locality=other_locality)
    services.access_request_note_update(actor=staff, access_request=access_request, note="Tervetuloa!")
    latest = access_request.history.latest()
    assert (latest.decision_note, latest.history_user) == ("Tervetuloa!", staff)


def test_the_message_of_a_decided_request_cannot_change(staff, coordinator, other_locality):
    access_request = AccessRequestFactory(user=coordinator, locality=other_locality)
    services.access_request_decline(actor=staff, access_request=access_request, note="Ei nyt.")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.access_request_note_update(actor=staff, access_request=access_request, note="Sittenkin?")
    assert error.value.messages == ["This request has been decided already."]
    access_request.refresh_from_db()
    assert access_request.decision_note == "Ei nyt."


def test_coordinator_asks_and_staff_approve_membership_and_email_in_users_language(
    coordinator, other_locality, staff, django_capture_on_commit_callbacks
):
    coordinator.preferred_language = "sv"
    coordinator.save()
    request = services.access_request_create(
        actor=coordinator, locality=other_locality, side="social_health", reason="Jag byter jobb."
    )
    assert request.status == AccessRequest.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_approve(actor=staff, access_request=request, note="Välkommen!")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (AccessRequest.Status.APPROVED, staff)
    assert Coordinator.objects.active().filter(user=coordinator, locality=other_locality, side="social_health").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]
    assert mail.outbox[0].subject == "Din åtkomst till Torneå har godkänts"
    assert "Välkommen!" in mail.outbox[0].body


def test_declined_request_tells_the_coordinator_and_opens_nothing(
    coordinator, other_locality, staff, django_capture_on_commit_callbacks
):
    request = AccessRequestFactory(user=coordinator, locality=other_locality)
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_decline(actor=staff, access_request=request, note="Ota yhteyttä esihenkilöön.")
    assert not Coordinator.objects.filter(user=coordinator, locality=other_locality).exists()
    assert mail.outbox[0].subject == "Pyyntösi päästä paikkakunnalle Tornio hylättiin"
    with pytest.raises(ValidationError):
        services.access_request_approve(actor=staff, access_request=request)


def test_access_request_rules(coordinator, locality, other_locality, visitor):
    with pytest.raises(PermissionDenied):
        services.access_request_create(actor=visitor, locality=other_locality, side="culture")
    with pytest.raises(ValidationError):
        services.access_request_create(actor=coordinator, locality=locality, side="culture")
    with pytest.raises(ValidationError):
        services.access_request_create(actor=coordinator, locality=prospect(), side="culture")
    services.access_request_create(actor=coordinator, locality=other_locality, side="culture")
    with pytest.raises(ValidationError):
        services.access_request_create(actor=coordinator, locality=other_locality, side="culture")


def test_only_staff_decide_access_requests(coordinator, other_locality):
    request = AccessRequestFactory(user=UserFactory(), locality=other_locality)
    with pytest.raises(PermissionDenied):
        services.access_request_approve(actor=coordinator, access_request=request)


def test_a_meeting_more_than_a_year_ahead_is_refused(staff, locality, today):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.feedback_meeting_create(
                actor=staff, locality=locality, held_on=today + datetime.timedelta(days=400)
            )
        assert error.value.message_dict["held_on"] == ["The date is more than a year ahead."]


# --- Overdue reminders ------------------------------------------------------------------------------------


def test_overdue_reminders_go_to_the_localitys_coordinators_and_staff_once_a_day(
    coordinator, other_coordinator, staff, locality, other_locality, today, django_capture_on_commit_callbacks
):
    coordinator.preferred_language = "sv"
    coordinator.save()
    pilot = PilotFactory(locality=locality, milestones=False)
    MilestoneFactory(pilot=pilot, title_sv="Kort tryckta", due_on=today - datetime.timedelta(days=3))
    MilestoneFactory(pilot=pilot, due_on=today)  # due today: not late yet
    FollowUpActionFactory(
        meeting__locality=locality, description="Päivitä esite", due_on=today - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_reminders_send(on=today) == 2  # the coordinator and staff, not the other one
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {coordinator.email, staff.email}
    swedish = by_recipient[coordinator.email]
    assert swedish.subject == "Kaikukortti: försenade uppgifter i piloten"
    assert "Kort tryckta" in swedish.body and "Päivitä esite" in swedish.body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_reminders_send(on=today) == 0
    assert len(mail.outbox) == 2


def test_no_reminders_when_nothing_is_overdue(coordinator, locality, today):
    MilestoneFactory(pilot=PilotFactory(locality=locality, milestones=False), due_on=today + datetime.timedelta(days=1))
    assert services.overdue_reminders_send(on=today) == 0
    assert mail.outbox == []


def test_a_later_start_moves_the_open_milestones_when_asked(staff):
    locality = prospect()
    services.locality_transition(actor=staff, locality=locality, to_status=S.PREPARING, pilot_start_on=D(2026, 3, 1))
    first = locality.pilot.milestones.get(position=10)
    first.done_on, first.due_on = D(2025, 9, 1), D(2025, 9, 2)
    first.save()
    launch = locality.pilot.milestones.get(position=90)
    services.locality_transition(
        actor=staff,
        locality=locality,
        to_status=S.PILOTING,
        pilot_start_on=D(2026, 4, 1),
        reschedule_open_milestones=True,
    )
    launch.refresh_from_db()
    first.refresh_from_db()
    assert launch.due_on == D(2026, 4, 1)
    assert first.due_on == D(2025, 9, 2)  # done milestones are history
    assert Pilot.objects.get(locality=locality).planned_start_on == D(2026, 4, 1)
    moved = launch.history.first()
    assert moved.due_on == D(2026, 4, 1) and moved.history_user == staff  # the timeline shows who moved it
    assert first.history.first().due_on == D(2025, 9, 2)


def test_without_rescheduling_the_due_dates_stay(staff):
    locality = prospect()
    services.locality_transition(actor=staff, locality=locality, to_status=S.PREPARING, pilot_start_on=D(2026, 3, 1))
    services.locality_transition(actor=staff, locality=locality, to_status=S.PILOTING, pilot_start_on=D(2026, 4, 1))
    assert locality.pilot.milestones.get(position=90).due_on == D(2026, 3, 1)


def test_an_ended_locality_contacted_again_needs_a_new_end_date(staff):
    locality = LocalityFactory(status=S.ENDED, ended_on=D(2024, 1, 31))
    services.locality_transition(actor=staff, locality=locality, to_status=S.PROSPECT, note="Uusi yhteydenotto")
    locality.refresh_from_db()
    assert locality.ended_on is None
    with pytest.raises(ValidationError) as error:
        services.locality_transition(actor=staff, locality=locality, to_status=S.ENDED)
    assert "ended_on" in error.value.message_dict
    assert LocalityStatusChange.objects.get(locality=locality).note == "Uusi yhteydenotto"


def test_an_invitation_accepted_without_a_password_is_refused_not_a_crash(staff, locality, outbox):
    # mypy found it: a new account's password may be None (the service's signature says so), and
    # validate_password(None) raised TypeError, a 500, instead of saying the password is too short.
    _invitation, token = services.invitation_create(
        actor=staff, email="uusi@example.fi", locality=locality, side="culture"
    )
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, password=None)
    assert "password1" in error.value.message_dict
    assert not Coordinator.objects.filter(user__email="uusi@example.fi").exists()
