import pytest


@pytest.fixture
def default_language() -> str:
    """Services and e-mails are tested in English (their msgids); pages in their URL's language."""
    return "en"


@pytest.fixture
def register(db):
    """A visitor's registration through the service, as the public form makes it."""
    from django.contrib.auth.models import AnonymousUser

    from trainings import services

    def register(training, email: str, *, actor=None, **extra):
        values = {"name": "Maija Meikäläinen", "organisation": "Kirjasto", "language": "fi", **extra}
        return services.registration_create(actor=actor or AnonymousUser(), training=training, email=email, **values)

    return register
