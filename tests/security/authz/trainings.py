"""Trainings' URLs: the list, a training's page and the signed registration link are public (the link is the
authority: whoever holds it); a registration in the portal is its registrant's own (staff reach every one);
attendance, the participant list and the coverage report are staff's."""

from tests.security.authz import LOGIN, REDIRECT, Case, public, staff_only


def populate(world):
    from tests.trainings.factories import RegistrationFactory, TrainingFactory
    from trainings import links
    from trainings.models import Registration

    world.training = TrainingFactory()
    past = TrainingFactory(past=True)
    world.attended = RegistrationFactory(
        training=past, user=world.coordinator, email=world.coordinator.email, status=Registration.Status.ATTENDED
    )
    world.upcoming_registration = RegistrationFactory(
        training=world.training, user=world.coordinator, email=world.coordinator.email
    )
    world.registration_token = links.registration_token(world.attended)


def _own_registration(world):
    return {"pk": world.upcoming_registration.pk}


# Login required; the registrant's own (and staff's), another's is 404.
OWN_REGISTRATION = {"anonymous": LOGIN, "own": 200, "other": 404, "staff": 200}

CASES = [
    Case("trainings:list", public()),
    Case("trainings:detail", public(), kwargs=lambda w: {"pk": w.training.pk}),
    Case("trainings:registration-manage", public(), kwargs=lambda w: {"token": w.registration_token}),
    Case("trainings:registration-certificate", public(), kwargs=lambda w: {"token": w.registration_token}),
    Case("trainings:mine", {"anonymous": LOGIN, "own": 200, "other": 200, "staff": 200}),
    Case(
        "trainings:my-cancel",
        {**OWN_REGISTRATION, "own": REDIRECT, "staff": REDIRECT},
        kwargs=_own_registration,
        method="post",
    ),
    Case("trainings:my-certificate", OWN_REGISTRATION, kwargs=lambda w: {"pk": w.attended.pk}),
    Case("trainings:attendance", staff_only(), kwargs=lambda w: {"pk": w.training.pk}),
    Case("trainings:participants-pdf", staff_only(), kwargs=lambda w: {"pk": w.training.pk}),
    Case("trainings:coverage", staff_only()),
    Case("trainings:coverage-export", staff_only(), kwargs=lambda w: {"file_format": "csv"}),
]
