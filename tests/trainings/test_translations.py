"""No English on the trainings' Finnish and Swedish pages, e-mails and PDF templates' text (the walk of
tests/test_translations.py, over this app's pages)."""

import pytest
from django.urls import reverse

from tests.test_translations import LANGUAGES, english_msgids, post_and_read, walk
from tests.trainings.factories import RegistrationFactory, TrainingFactory
from trainings import links
from trainings.models import Registration, Training

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def msgids():
    return english_msgids()


@pytest.fixture
def language(request):
    from django.utils import translation

    with translation.override(request.param):
        yield request.param


def _manage(registration) -> str:
    return reverse("trainings:registration-manage", kwargs={"token": links.registration_token(registration)})


def _pages(*, coordinator, staff_view: bool):
    training = TrainingFactory(capacity=1)
    past = TrainingFactory(past=True, kind=Training.Kind.NATIONAL_MEETING)
    RegistrationFactory(training=training)
    attended = RegistrationFactory(
        training=past, user=coordinator, email=coordinator.email, status=Registration.Status.ATTENDED
    )
    waiting = RegistrationFactory(training=training, status=Registration.Status.WAITLISTED)
    pages = {
        "list": reverse("trainings:list"),
        "detail": reverse("trainings:detail", kwargs={"pk": training.pk}),
        "past": reverse("trainings:detail", kwargs={"pk": past.pk}),
        "manage-attended": reverse(
            "trainings:registration-manage", kwargs={"token": links.registration_token(attended)}
        ),
        "manage-waiting": reverse("trainings:registration-manage", kwargs={"token": links.registration_token(waiting)}),
        "mine": reverse("trainings:mine"),
        "portal": reverse("portal"),
    }
    if staff_view:
        pages |= {
            "attendance": reverse("trainings:attendance", kwargs={"pk": past.pk}),
            "coverage": reverse("trainings:coverage"),
            "training-admin": reverse("admin:trainings_training_change", args=[training.pk]),
            "trainings-admin": reverse("admin:trainings_training_changelist"),
            "registrations-admin": reverse("admin:trainings_registration_changelist"),
        }
    return pages, training


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_the_trainings_pages(client, coordinator, locality, msgids, language):
    client.force_login(coordinator)
    pages, training = _pages(coordinator=coordinator, staff_view=False)
    assert walk(client, pages, language=language, msgids=msgids) == {}
    client.logout()
    url = reverse("trainings:detail", kwargs={"pk": training.pk})
    assert post_and_read(client, url, {"email": "x"}, language=language, msgids=msgids) == []
    invalid = reverse("trainings:registration-manage", kwargs={"token": "x"})
    assert post_and_read(client, invalid, {}, language=language, msgids=msgids) == []


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_no_english_on_the_staff_pages(staff_client, coordinator, msgids, language):
    pages, _training = _pages(coordinator=coordinator, staff_view=True)
    assert walk(staff_client, pages, language=language, msgids=msgids) == {}
