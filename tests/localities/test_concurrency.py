"""Two coordinators marking the same milestone done at the same moment, in two real transactions: the first
keeps it, the second is told who did it. On PostgreSQL the service's row lock makes the second wait for the
first's commit. CI runs the suite on PostgreSQL; the in-memory SQLite of a quick local run locks a whole table
against the second thread ("database table is locked") instead of making it wait, so there it proves nothing and
the sequential stale-form tests in test_services.py and test_views.py stand in for it."""

import threading

import pytest
from django.db import connection

from localities import services
from localities.models import Milestone
from tests.localities.factories import CoordinatorFactory, LocalityFactory, PilotFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,
]


def test_two_coordinators_at_once_one_marks_it_done_the_other_is_told(today):
    locality = LocalityFactory()
    first, second = (CoordinatorFactory(locality=locality).user for _index in range(2))
    milestone = PilotFactory(locality=locality).milestones.first()
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def mark(user):
        try:
            start.wait()
            services.milestone_mark_done(actor=user, milestone=milestone, done_on=today, note=user.email)
            outcomes[user.email] = "done"
        except services.AlreadyDoneError:
            outcomes[user.email] = "already done"
        finally:
            connection.close()

    threads = [threading.Thread(target=mark, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["already done", "done"]
    milestone = Milestone.objects.get(pk=milestone.pk)
    winner = next(email for email, outcome in outcomes.items() if outcome == "done")
    assert (milestone.done_by.email, milestone.note) == (winner, winner)
    assert milestone.history.filter(history_change_reason="done").count() == 1


def test_two_corrections_at_once_from_the_same_version_one_is_saved_the_other_told(today):
    from kaikukeskus.locking import StaleVersionError

    locality = LocalityFactory()
    first, second = (CoordinatorFactory(locality=locality).user for _index in range(2))
    milestone = PilotFactory(locality=locality).milestones.first()
    services.milestone_mark_done(actor=first, milestone=milestone, done_on=today)
    opened = Milestone.objects.get(pk=milestone.pk).version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def correct(user):
        try:
            start.wait()
            services.milestone_correct(
                actor=user, milestone=milestone, done_on=today, note=user.email, expected_version=opened
            )
            outcomes[user.email] = "saved"
        except StaleVersionError:
            outcomes[user.email] = "told"
        finally:
            connection.close()

    threads = [threading.Thread(target=correct, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["saved", "told"]
    winner = next(email for email, outcome in outcomes.items() if outcome == "saved")
    milestone = Milestone.objects.get(pk=milestone.pk)
    assert (milestone.note, milestone.version) == (winner, opened + 1)


def test_a_save_landing_between_the_admin_forms_check_and_the_services_is_a_conflict_not_an_error(client, monkeypatch):
    """The admin's form checks the version before the service checks it again inside its transaction; another
    person's save committed in between (here: from another connection, right after the form's check) makes the
    service refuse, and the page shows the conflict instead of a 500."""
    from django.urls import reverse

    from kaikukeskus.locking import VersionFormMixin
    from localities.models import Locality
    from tests.kaikukeskus.factories import StaffFactory
    from tests.localities.test_admin import _locality_form

    me, other = StaffFactory(), StaffFactory()
    client.force_login(me)
    locality = LocalityFactory(status=Locality.Status.PILOTING, staff_notes="Alku")
    real_check = VersionFormMixin.check_version
    pending = [other]

    def other_save():
        try:
            services.locality_update(actor=other, locality=Locality.objects.get(pk=locality.pk), staff_notes="Toisen")
        finally:
            connection.close()

    def check_then_someone_saves(form):
        real_check(form)
        if pending:  # once: the other save commits just after the form's check
            pending.clear()
            thread = threading.Thread(target=other_save)
            thread.start()
            thread.join(timeout=30)

    monkeypatch.setattr(VersionFormMixin, "check_version", check_then_someone_saves)
    url = reverse("admin:localities_locality_change", args=[locality.pk])
    response = client.post(url, _locality_form(locality, staff_notes="Minun"))
    assert response.status_code == 200
    assert response.context["adminform"].form.conflict_rows
    assert "Minun" in response.content.decode()
    assert Locality.objects.get(pk=locality.pk).staff_notes == "Toisen"
