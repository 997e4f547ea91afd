import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.localities.factories import LocalityFactory
from tests.trainings.factories import RegistrationFactory, TrainingFactory, in_days
from trainings import links, services
from trainings.models import Registration, Training

pytestmark = pytest.mark.django_db


def test_a_registration_gets_a_place_and_a_confirmation(register, django_capture_on_commit_callbacks):
    training = TrainingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(training, "Maija@Example.fi")
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == "maija@example.fi"
    assert [message.to for message in mail.outbox] == [["maija@example.fi"]]


def test_past_capacity_registrations_go_on_the_waitlist(register):
    training = TrainingFactory(capacity=2)
    statuses = [register(training, f"p{n}@example.fi").status for n in range(4)]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]


def test_no_limit_when_capacity_is_empty(register):
    training = TrainingFactory(capacity=None)
    assert {register(training, f"p{n}@example.fi").status for n in range(5)} == {"confirmed"}


def test_the_same_email_cannot_register_twice_whatever_its_case(register):
    training = TrainingFactory()
    register(training, "maija@example.fi")
    with pytest.raises(ValidationError) as error:
        register(training, "  MAIJA@example.FI ")
    assert "already registered" in error.value.message_dict["email"][0]
    assert training.registrations.count() == 1


def test_the_same_email_may_register_for_another_training_and_again_after_cancelling(register):
    first, second = TrainingFactory(), TrainingFactory()
    registration = register(first, "maija@example.fi")
    register(second, "maija@example.fi")
    services.registration_cancel(
        actor=AnonymousUser(), registration=registration, token=links.registration_token(registration)
    )
    assert register(first, "maija@example.fi").status == Registration.Status.CONFIRMED


def test_the_same_form_sent_twice_makes_one_registration_and_one_email(register, django_capture_on_commit_callbacks):
    training = TrainingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = register(training, "maija@example.fi", submission_key="abc")
        second = register(training, "maija@example.fi", submission_key="abc")
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "values",
    [
        {"registration_opens_at": in_days(1), "registration_closes_at": in_days(5)},
        {"registration_opens_at": in_days(-5), "registration_closes_at": in_days(-1)},
        {"status": Training.Status.DRAFT},
        {"status": Training.Status.CANCELLED},
    ],
    ids=["not yet open", "closed", "draft", "cancelled"],
)
def test_registration_only_while_open(register, values):
    training = TrainingFactory(**values)
    with pytest.raises(ValidationError, match="not open"):
        register(training, "maija@example.fi")


def test_a_visitor_cannot_name_a_prospect_locality(register):
    prospect = LocalityFactory(status="prospect")
    with pytest.raises(ValidationError) as error:
        register(TrainingFactory(), "maija@example.fi", locality=prospect)
    assert "locality" in error.value.message_dict


def test_a_signed_in_user_registers_with_their_own_address(register, coordinator, locality):
    registration = register(TrainingFactory(), "someone.else@example.fi", actor=coordinator, locality=locality)
    assert (registration.user, registration.email) == (coordinator, coordinator.email)


def test_cancelling_promotes_the_first_on_the_waitlist_and_tells_them(
    register, django_capture_on_commit_callbacks, outbox
):
    training = TrainingFactory(capacity=1)
    holder = register(training, "holder@example.fi")
    first = register(training, "first@example.fi")
    second = register(training, "second@example.fi")
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=AnonymousUser(), registration=holder, token=links.registration_token(holder))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    recipients = {message.to[0]: message.subject for message in mail.outbox}
    assert set(recipients) == {"holder@example.fi", "first@example.fi"}
    assert recipients["first@example.fi"].startswith("Paikka vapautui")  # their language: Finnish


def test_cancelling_a_waitlisted_registration_promotes_nobody(register):
    training = TrainingFactory(capacity=1)
    register(training, "holder@example.fi")
    waiting = register(training, "waiting@example.fi")
    other = register(training, "other@example.fi")
    services.registration_cancel(actor=AnonymousUser(), registration=waiting, token=links.registration_token(waiting))
    other.refresh_from_db()
    assert other.status == Registration.Status.WAITLISTED


def test_cancelling_twice_changes_nothing(register):
    registration = register(TrainingFactory(), "maija@example.fi")
    token = links.registration_token(registration)
    services.registration_cancel(actor=AnonymousUser(), registration=registration, token=token)
    again = services.registration_cancel(actor=AnonymousUser(), registration=registration, token=token)
    assert again.status == Registration.Status.CANCELLED
    assert again.history.filter(history_change_reason="cancelled").count() == 1


def test_nobody_else_cancels_a_registration(register, other_coordinator):
    registration = register(TrainingFactory(), "maija@example.fi")
    other = register(TrainingFactory(), "other@example.fi")
    for actor, token in [
        (AnonymousUser(), None),
        (other_coordinator, None),
        (AnonymousUser(), links.registration_token(other)),
        (AnonymousUser(), links.registration_token(registration) + "x"),
    ]:
        with pytest.raises(PermissionDenied):
            services.registration_cancel(actor=actor, registration=registration, token=token)


def test_the_registrant_and_staff_cancel_without_the_link(register, coordinator, staff, locality):
    own = register(TrainingFactory(), "x@example.fi", actor=coordinator, locality=locality)
    assert services.registration_cancel(actor=coordinator, registration=own).status == "cancelled"
    visitor = register(TrainingFactory(), "maija@example.fi")
    assert services.registration_cancel(actor=staff, registration=visitor).status == "cancelled"


def test_a_started_training_cannot_be_cancelled_by_the_registrant(staff):
    registration = RegistrationFactory(training=TrainingFactory(past=True))
    with pytest.raises(ValidationError, match="started"):
        services.registration_cancel(actor=staff, registration=registration)


def test_more_places_fill_from_the_waitlist(register, staff):
    training = TrainingFactory(capacity=1)
    register(training, "holder@example.fi")
    waiting = [register(training, f"w{n}@example.fi") for n in range(3)]
    training.capacity = 3
    services.training_save(actor=staff, training=training)
    assert [Registration.objects.get(pk=r.pk).status for r in waiting] == ["confirmed", "confirmed", "waitlisted"]


def test_cancelling_a_training_tells_everyone_still_registered(
    register, staff, django_capture_on_commit_callbacks, outbox
):
    training = TrainingFactory(capacity=1)
    register(training, "holder@example.fi")
    register(training, "waiting@example.fi")
    gone = register(training, "gone@example.fi")
    services.registration_cancel(actor=staff, registration=gone)
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.training_cancel(actor=staff, training=training)
        services.training_cancel(actor=staff, training=training)
    training.refresh_from_db()
    assert training.is_cancelled and training.cancelled_at
    assert sorted(message.to[0] for message in mail.outbox) == ["holder@example.fi", "waiting@example.fi"]


def test_the_admin_status_cancelled_is_a_training_cancel(register, staff, django_capture_on_commit_callbacks):
    training = TrainingFactory()
    register(training, "holder@example.fi")
    training.status = Training.Status.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        services.training_save(actor=staff, training=training)
    assert Training.objects.get(pk=training.pk).cancelled_at is not None
    assert [message.to for message in mail.outbox][-1] == ["holder@example.fi"]


def test_a_cancelled_training_stays_cancelled(staff):
    training = TrainingFactory(status=Training.Status.CANCELLED)
    training.status = Training.Status.PUBLISHED
    with pytest.raises(ValidationError):
        services.training_save(actor=staff, training=training)


def test_only_staff_manage_trainings(coordinator):
    with pytest.raises(PermissionDenied):
        services.training_save(actor=coordinator, training=TrainingFactory.build())
    with pytest.raises(PermissionDenied):
        services.training_cancel(actor=coordinator, training=TrainingFactory())


def test_online_training_needs_its_link_and_on_site_its_place(staff):
    with pytest.raises(ValidationError) as error:
        services.training_save(actor=staff, training=TrainingFactory.build(format="hybrid", place="", online_link=""))
    assert {"place", "online_link"} <= set(error.value.message_dict)


# --- Attendance -------------------------------------------------------------------------------------------


def test_staff_mark_attendance_in_bulk(staff):
    training = TrainingFactory(past=True)
    came, missed, waiting = (RegistrationFactory(training=training) for _index in range(3))
    waiting.status = Registration.Status.WAITLISTED
    waiting.save()
    assert services.attendance_mark(actor=staff, training=training, registration_ids=[came.pk], status="attended") == 1
    changed = services.attendance_mark(
        actor=staff, training=training, registration_ids=[missed.pk, waiting.pk], status="no_show"
    )
    assert changed == 1
    assert [Registration.objects.get(pk=r.pk).status for r in (came, missed, waiting)] == [
        "attended",
        "no_show",
        "waitlisted",
    ]
    assert Registration.objects.get(pk=came.pk).attendance_marked_by == staff


def test_attendance_waits_for_the_training_to_start(staff):
    registration = RegistrationFactory()
    with pytest.raises(ValidationError, match="started"):
        services.attendance_mark(
            actor=staff, training=registration.training, registration_ids=[registration.pk], status="attended"
        )


def test_only_staff_mark_attendance(coordinator):
    registration = RegistrationFactory(training=TrainingFactory(past=True))
    with pytest.raises(PermissionDenied):
        services.attendance_mark(
            actor=coordinator, training=registration.training, registration_ids=[registration.pk], status="attended"
        )


# --- Reminders and data minimisation ----------------------------------------------------------------------


def test_reminders_go_the_day_before_once(django_capture_on_commit_callbacks):
    tomorrow = TrainingFactory(starts_at=in_days(1), registration_closes_at=in_days(0.5, hour=0))
    later = TrainingFactory(starts_at=in_days(3))
    reminded = RegistrationFactory(training=tomorrow, language="sv")
    RegistrationFactory(training=tomorrow, status=Registration.Status.WAITLISTED)
    RegistrationFactory(training=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0
    assert [message.to for message in mail.outbox] == [[reminded.email]]
    assert mail.outbox[0].subject.startswith("Påminnelse")


def test_needs_are_erased_after_the_set_days_also_from_history(settings):
    settings.TRAININGS_NEEDS_ERASED_AFTER_DAYS = 14
    old = RegistrationFactory(
        training=TrainingFactory(starts_at=in_days(-20), registration_opens_at=in_days(-40)),
        accessibility_needs="pyörätuoli",
        dietary_needs="gluteeniton",
    )
    recent = RegistrationFactory(
        training=TrainingFactory(starts_at=in_days(-5), registration_opens_at=in_days(-40)),
        dietary_needs="vegaani",
    )
    old.dietary_needs = "laktoositon"
    old.save()  # a second history row
    assert services.registration_needs_erase() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.accessibility_needs, old.dietary_needs, recent.dietary_needs) == ("", "", "vegaani")
    assert old.needs_erased_at is not None
    assert set(old.history.values_list("dietary_needs", "accessibility_needs")) == {("", "")}
    assert services.registration_needs_erase() == 0


def test_visitors_registrations_are_anonymised_after_retention_coordinators_kept(settings, coordinator):
    settings.TRAININGS_VISITOR_RETENTION_DAYS = 365
    old_training = TrainingFactory(starts_at=in_days(-400), registration_opens_at=in_days(-430))
    visitor = RegistrationFactory(training=old_training, email="maija@example.fi", name="Maija", status="attended")
    own = RegistrationFactory(training=old_training, user=coordinator, email=coordinator.email, status="attended")
    recent = RegistrationFactory(training=TrainingFactory(starts_at=in_days(-100), registration_opens_at=in_days(-130)))
    token = links.registration_token(visitor)
    assert services.registrations_anonymise() == 1
    visitor.refresh_from_db()
    own.refresh_from_db()
    recent.refresh_from_db()
    assert (visitor.name, visitor.email, visitor.organisation, visitor.status) == ("", "", "", "attended")
    assert not visitor.history.exclude(email="").exists()
    assert own.email == coordinator.email and recent.name
    # Its signed link stops working too.
    assert links.registration_from_token(token, queryset=Registration.objects.all()) is None


def test_signed_links_refuse_tampering_and_expiry(settings, register, monkeypatch):
    registration = register(TrainingFactory(), "maija@example.fi")
    token = links.registration_token(registration)
    queryset = Registration.objects.all()
    assert links.registration_from_token(token, queryset=queryset) == registration
    tampered = token.replace(token.split(":")[0], str(registration.pk + 1), 1)
    for bad in [token[:-1] + ("A" if token[-1] != "A" else "B"), tampered, "garbage", ""]:
        assert links.registration_from_token(bad, queryset=queryset) is None
    future = timezone.now() + datetime.timedelta(days=settings.TRAININGS_LINK_MAX_AGE_DAYS + 1)
    monkeypatch.setattr("django.core.signing.time.time", lambda: future.timestamp())
    assert links.registration_from_token(token, queryset=queryset) is None
