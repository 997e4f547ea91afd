"""Every portal URL pattern (from the authorization matrix's cases): its answers are never stored by browsers or
proxies (`Cache-Control: private, no-store`), and staff without two-factor authentication are sent to set it up
before any of them opens when `STAFF_MFA_REQUIRED` is on. Coordinators are not affected."""

from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import reverse

from tests.security import test_authorization_matrix as matrix
from tests.security.authz import ADMIN_LOGIN, LOGIN
from tests.security.test_authorization_matrix import APP_PATTERNS, CASES, _assert_answer, request_case

# The matrix's world: every role and the objects of every app.
world = matrix.world
former_coordinator = matrix.former_coordinator

pytestmark = pytest.mark.django_db

PORTAL_KEYS = sorted(key for key, route in APP_PATTERNS if route.startswith("portal/"))
TOTP_SETUP = "/accounts/2fa/totp/activate/"


def test_the_portal_has_pages():
    assert len(PORTAL_KEYS) >= 10, PORTAL_KEYS


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("key", PORTAL_KEYS)
def test_portal_page_is_never_stored_and_needs_staff_two_factor_authentication(client, world, settings, key):
    expect = CASES[key].expect
    # Never stored: as the role the page opens for (its coordinator, or staff) and as one it does not open for.
    role = next(role for role in ("own", "staff") if expect[role] not in (404, LOGIN, ADMIN_LOGIN))
    for who in (role, "other"):
        response = request_case(client, world, key, who)
        assert {"private", "no-store"} <= _cache_control(response), (key, who, response.status_code)

    settings.STAFF_MFA_REQUIRED = True
    response = request_case(client, world, key, "staff")
    assert response.status_code == 302 and urlsplit(response["Location"]).path == TOTP_SETUP, key
    # A coordinator answers as the matrix says, with the same setting on.
    client.logout()
    own = request_case(client, world, key, "own")
    if isinstance(expect["own"], int):
        assert own.status_code == expect["own"], key
    else:
        assert urlsplit(own.get("Location", "")).path != TOTP_SETUP, key


def test_anonymous_public_pages_stay_cacheable(client, locality):
    for url in ("/", "/localities/", f"/localities/{locality.slug}/", "/venues/"):
        response = client.get(url)
        assert "no-store" not in _cache_control(response), url


def test_public_pages_seen_by_a_logged_in_user_are_private(coordinator_client, locality):
    # The page shows who is logged in.
    response = coordinator_client.get(f"/localities/{locality.slug}/")
    assert {"private", "no-store"} <= _cache_control(response)


def test_admin_pages_are_never_stored(staff_client):
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code in (200, 403), url
        assert {"private", "no-store"} <= _cache_control(response), url


def test_staff_with_two_factor_authentication_reach_the_portal(client, world, settings):
    settings.STAFF_MFA_REQUIRED = True
    Authenticator.objects.create(user=world.staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(world.staff)
    assert client.get(reverse("networks:partner-list", kwargs={"slug": world.locality.slug})).status_code == 200
    assert client.get(reverse("portal")).status_code == 200
    assert client.get("/sv/portal/").status_code == 200


def test_staff_without_two_factor_authentication_still_reach_public_pages_and_the_setup(client, world, settings):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(world.staff)
    assert client.get("/sv/portal/").status_code == 302
    assert client.get("/").status_code == 200
    assert urlsplit(client.get(TOTP_SETUP).get("Location", "")).path != TOTP_SETUP


OUTSIDE_THE_PORTAL_KEYS = sorted(key for key, route in APP_PATTERNS if not route.startswith("portal/"))


@pytest.mark.parametrize("key", OUTSIDE_THE_PORTAL_KEYS)
def test_outside_the_portal_staff_without_two_factor_authentication_reach_what_a_former_coordinator_does(
    client, world, settings, key
):
    """Nothing redirects them there: the staff scope itself waits for the second factor (pages, downloads, the
    API), so they reach what a signed-in person without any role reaches."""
    settings.STAFF_MFA_REQUIRED = True
    response = request_case(client, world, key, "staff")
    where = f"{key} as staff without MFA: {response.status_code} {response.headers.get('Location', '')}"
    _assert_answer(response, CASES[key].expect["former"], login_url=reverse("account_login"), where=where)
