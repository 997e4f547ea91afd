"""Fixtures per role. `locality` is "this locality"; `other_locality` is one the coordinator does not run."""

import pytest

from tests.kaikukeskus.factories import TEST_PASSWORD, StaffFactory, UserFactory
from tests.localities.factories import CoordinatorFactory, LocalityFactory


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
