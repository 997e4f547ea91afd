"""Fixtures per role. `locality` is "this locality"; `other_locality` is one the coordinator does not run."""

import factory.random
import pytest
from django.utils import translation

from tests.kaikukeskus.factories import TEST_PASSWORD, StaffFactory, UserFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory


@pytest.fixture(autouse=True)
def _deterministic_fake_data():
    """factory-boy's and Faker's random numbers start from the same seed in every test, so a test makes the same
    names, e-mails and dates alone (`pytest -k`), in the full run and on every worker."""
    factory.random.reseed_random("kaikukeskus")


@pytest.fixture
def default_language() -> str:
    """The language a test starts in: Finnish, the site's default. An app's conftest overrides it when its
    services and models are tested in English (their msgids)."""
    return "fi"


@pytest.fixture(autouse=True)
def _active_language(default_language):
    """Every test starts in `default_language`: a request to /en/ or /sv/ leaves its language active in the
    thread, and reverse() and gettext would otherwise work in it in the next test. Pages answer in their URL's
    language whatever this is."""
    with translation.override(default_language, deactivate=True):
        yield


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """`manage.py seed_demo` once for a module's tests, rolled back after them (as Django's setUpTestData): each
    test's own transaction nests inside this one, so what a test changes is undone before the next."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        call_command("seed_demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Municipalities, regions, counties, the national milestone template and the published national statistics
    come from data migrations. A
    transactional test (the browser journeys, the thread tests) ends with a flush that empties every table, so
    the next test on that worker would find none of them ("Municipality matching query does not exist", a pilot
    without milestones). Load them again before a database test when they are missing: one query when present."""
    if request.node.get_closest_marker("django_db") is None and not {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    from localities.milestone_defaults import load_default_milestones
    from localities.models import MilestoneTemplate, Municipality, Region, WellbeingServicesCounty
    from localities.reference_data import load_municipalities
    from stats.models import NationalYear
    from stats.reference_data import load_published_history

    with blocker.unblock():
        if not Municipality.objects.exists():
            load_municipalities(Region, WellbeingServicesCounty, Municipality)
        if not MilestoneTemplate.objects.exists():
            load_default_milestones(MilestoneTemplate)
        if not NationalYear.objects.filter(source="published").exists():
            load_published_history(NationalYear)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: allauth counts login attempts in it per IP (one test's failed
    logins must not lock the next test's client out), and public pages cached for earlier tests' rows (rolled
    back since) must not be served."""
    from django.core.cache import cache

    from kaikukeskus import public_cache

    cache.clear()
    public_cache.forget_local()


@pytest.fixture
def outbox(db):
    """The outbox (kaikukeskus/mail.py) as a test sees it: `outbox.deliver()` delivers what is queued, as the
    Celery task does, and returns Django's test mailbox; `outbox.clear()` forgets what was sent and queued."""
    from django.core import mail as django_mail
    from post_office.models import Email

    from kaikukeskus import mail

    class Outbox:
        def deliver(self) -> list:
            mail.deliver_queued()
            return django_mail.outbox

        def clear(self) -> None:
            Email.objects.all().delete()
            django_mail.outbox.clear()

    return Outbox()


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def locality(db):
    return LocalityFactory(name_fi="Kajaani", name_sv="Kajana", name_en="Kajaani", slug="kajaani")


@pytest.fixture
def other_locality(db):
    return LocalityFactory(name_fi="Tornio", name_sv="Torneå", name_en="Tornio", slug="tornio")


@pytest.fixture
def coordinator(locality):
    """A user who coordinates `locality` (and nothing else)."""
    return CoordinatorFactory(locality=locality, user__email="coordinator@kajaani.example.fi").user


@pytest.fixture
def other_coordinator(other_locality):
    """A user who coordinates `other_locality` only."""
    return CoordinatorFactory(locality=other_locality, user__email="coordinator@tornio.example.fi").user


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@kaikukeskus.example.fi")


@pytest.fixture
def visitor(db):
    """A logged-in user with no role at all."""
    return UserFactory(email="nobody@example.fi")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _chromium_available() -> bool:
    import os
    import shutil

    return bool(os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or os.path.exists("/usr/bin/chromium"))


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium, the round-trip tests a Redis broker and the row-lock tests
    PostgreSQL. On a developer's machine without them, `make test` leaves them out and says so; in CI (`CI=true`)
    they always run, and a missing Chromium, Redis or PostgreSQL fails the run instead."""
    import os

    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
    if os.environ.get("CI"):
        return
    left_out = []
    if not _chromium_available():
        left_out.append(("browser", "Chromium is not installed (apt-get install chromium)"))
    if not os.environ.get("REDIS_URL"):
        left_out.append(("redis", "REDIS_URL is not set"))
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        left_out.append(("postgresql", "DATABASE_URL is not PostgreSQL"))
    for marker, reason in left_out:
        deselected = [item for item in items if marker in item.keywords]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if marker not in item.keywords]
            config.issue_config_time_warning(
                pytest.PytestConfigWarning(f"{len(deselected)} {marker} tests left out: {reason}"), stacklevel=2
            )
