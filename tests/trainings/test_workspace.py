"""The trainings in the staff workspace: the front page asks staff to take the attendance of recent trainings
(with the participant list), and the attendance page sits in the workspace's navigation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.trainings.factories import RegistrationFactory, TrainingFactory, in_days
from trainings.models import Training

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_language() -> str:
    return "fi"  # the pages in Finnish, the site's default


def _recent(**fields) -> Training:
    return TrainingFactory(starts_at=in_days(-2), registration_opens_at=in_days(-20), **fields)


def test_staff_are_asked_to_take_the_attendance_of_recent_trainings(staff_client):
    recent = _recent(title_fi="Perehdytys syksy")
    RegistrationFactory(training=recent)
    TrainingFactory(title_fi="Tuleva kevät")  # in ten days: nothing to take yet
    TrainingFactory(starts_at=in_days(-90), registration_opens_at=in_days(-120), title_fi="Vanha")
    _recent(title_fi="Peruttu", status=Training.Status.CANCELLED)

    page = staff_client.get(reverse("portal")).content.decode()

    assert "Merkitse läsnäolot" in page
    assert reverse("trainings:attendance", kwargs={"pk": recent.pk}) in page
    assert reverse("trainings:participants-pdf", kwargs={"pk": recent.pk}) in page
    assert "1 osallistuja" in page
    assert "Tuleva kevät" not in page.split("Merkitse läsnäolot")[1].split("</section>")[0]
    assert "Vanha" not in page and "Peruttu" not in page


def test_coordinators_are_not_asked_to_take_attendance(coordinator_client):
    _recent()
    assert "Merkitse läsnäolot" not in coordinator_client.get(reverse("portal")).content.decode()


def test_the_attendance_panel_makes_the_same_queries_for_one_training_and_many(staff_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(reverse("portal")).status_code == 200
        return len(captured)

    RegistrationFactory(training=_recent())
    one = queries()
    for _ in range(8):
        RegistrationFactory(training=_recent())
    assert queries() == one


def test_the_attendance_page_is_in_the_workspace(staff_client):
    training = _recent()
    page = staff_client.get(reverse("trainings:attendance", kwargs={"pk": training.pk})).content.decode()
    assert 'class="account-nav staff-nav"' in page
    assert f'href="{reverse("localities:staff-pilots")}"' in page
