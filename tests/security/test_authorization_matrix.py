"""Every URL pattern × every role (see tests/security/authz/__init__.py)."""

import datetime
import importlib
import pkgutil
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import tests.security.authz as authz_package
from tests.security.authz import ADMIN_LOGIN, LOGIN, REDIRECT, ROLES, Case

pytestmark = pytest.mark.django_db

ADMIN_PREFIX = "admin/"


def _app_modules():
    return [
        importlib.import_module(f"{authz_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(authz_package.__path__)
    ]


def _cases() -> dict[str, Case]:
    cases = {}
    for module in _app_modules():
        for case in module.CASES:
            assert case.key not in cases, f"two cases for {case.key}"
            cases[case.key] = case
    return cases


def url_patterns(patterns=None, prefix="", namespace=None):
    """(key, route) of every pattern: key is the qualified name, or the route for unnamed patterns."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name or route, route


CASES = _cases()
PATTERNS = sorted(set(url_patterns()))
APP_PATTERNS = [(key, route) for key, route in PATTERNS if not route.startswith(ADMIN_PREFIX)]
ADMIN_PATTERNS = [(key, route) for key, route in PATTERNS if route.startswith(ADMIN_PREFIX)]


def test_every_url_pattern_has_a_case():
    missing = [key for key, _route in APP_PATTERNS if key not in CASES]
    assert not missing, f"URL patterns without an authorization case in tests/security/authz/: {missing}"
    unknown = set(CASES) - {key for key, _route in APP_PATTERNS}
    assert not unknown, f"cases for URL patterns that do not exist: {unknown}"
    assert all(set(case.expect) == set(ROLES) for case in CASES.values())


@pytest.fixture
def former_coordinator(locality):
    """Coordinated `locality` until yesterday and nothing else: reaches no more of it than a stranger."""
    from tests.localities.factories import CoordinatorFactory

    today = timezone.localdate()
    return CoordinatorFactory(
        locality=locality,
        user__email="former.coordinator@kajaani.example.fi",
        started_on=today - datetime.timedelta(days=400),
        ended_on=today,
    ).user


@pytest.fixture
def world(db, locality, other_locality, coordinator, other_coordinator, former_coordinator, staff):
    world = SimpleNamespace(
        locality=locality, other_locality=other_locality, staff=staff, users={}, coordinator=coordinator
    )
    world.users = {
        "anonymous": None,
        "own": coordinator,
        "other": other_coordinator,
        "former": former_coordinator,
        "staff": staff,
    }
    for module in _app_modules():
        if hasattr(module, "populate"):
            module.populate(world)
    return world


def request_case(client, world, key: str, role: str):
    """The case's request as the role (also used by other tests over every URL pattern)."""
    case = CASES[key]
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(key, kwargs=case.kwargs(world))
    return getattr(client, case.method)(url, data=case.data(world) if case.data else None)


def _assert_answer(response, expected, *, login_url: str, where: str):
    location = urlsplit(response.headers.get("Location", "")).path
    if expected == LOGIN:
        assert response.status_code == 302 and location == login_url, where
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302 and location == reverse("admin:login"), where
    elif expected == REDIRECT:
        assert response.status_code in (301, 302, 303), where
    else:
        assert response.status_code == expected, where


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(CASES))
def test_authorization(client, world, key, role):
    case = CASES[key]
    response = request_case(client, world, key, role)
    url = response.request["PATH_INFO"]
    where = f"{case.method.upper()} {url} as {role}: {response.status_code} {response.headers.get('Location', '')}"
    _assert_answer(response, case.expect[role], login_url=reverse("account_login"), where=where)


def _admin_url(route: str) -> str:
    """A concrete URL for an admin route: object ids become 0, which exists nowhere."""
    path = route.replace("<path:object_id>", "0").replace("(?P<url>.*)$", "no-such-page/")
    path = path.replace("^", "").replace("$", "")
    return "/" + path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("key", "route"), ADMIN_PATTERNS)
def test_admin_is_for_staff_only(client, world, key, route, role):
    """The admin opens for national staff only; everybody else is sent to its login."""
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    # A route with parameters other than the object id is tried at its fixed prefix.
    other_parameters = "<" in route.replace("<path:object_id>", "")
    url = _admin_url(route.split("<", 1)[0] if other_parameters else route)
    response = client.get(url)
    location = urlsplit(response.headers.get("Location", "")).path
    where = f"GET {url} as {role}: {response.status_code} {location}"
    assert response.status_code < 500, where
    if key == "admin:login":
        assert response.status_code == (302 if role == "staff" else 200), where
    elif key == "admin:logout":
        assert response.status_code == (405 if role == "staff" else 302), where  # logging out is a POST
    elif role == "staff":
        assert location != reverse("admin:login"), where
        # Staff have every permission of the portal's apps; groups and raw permissions are superusers'.
        if response.status_code == 403:
            # The outbox's messages come from the portal's actions: post_office's admin writes none by hand.
            refused = (f"{ADMIN_PREFIX}auth/", f"{ADMIN_PREFIX}autocomplete/", f"{ADMIN_PREFIX}post_office/email/add/")
            assert route.startswith(refused), where
    else:
        assert response.status_code == 302 and location == reverse("admin:login"), where
