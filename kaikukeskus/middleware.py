"""Small middleware of our own: security headers Django does not set, NUL bytes refused, personal pages never
cached, and the staff MFA rule."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# The parts of the site where national staff use their wider scope, and where every page is personal.
STAFF_SCOPE_ROUTES = ("portal/", "admin/")


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    # Uploaded files' names lose unprintable characters in Django's parser; their fields' names do not.
    return any("\x00" in key for key in request.FILES)


class NulByteInRequest(BadRequest):
    """A request with a NUL byte: the 400 page (`kaikukeskus.views.bad_request`) names the cause."""


def reject_nul_bytes(get_response):
    """A NUL byte in the path, a query or form field answers 400 here, for every view: PostgreSQL refuses NUL in
    text, so a filter or a search with `%00` would otherwise answer 500. Reading the form here also meets
    Django's limits on a form (fields, size) before any view: those answer 400 too, each with its cause."""

    def middleware(request):
        if _has_nul(request):
            raise NulByteInRequest("NUL byte in the request")
        return get_response(request)

    return middleware


def _route(request) -> str:
    """The matched route without the language prefix (`en/portal/…` is `portal/…`)."""
    match = request.resolver_match
    if match is None:
        return ""
    prefix = f"{get_language()}/"
    return match.route.removeprefix(prefix) if match.route.startswith(prefix) else match.route


def private_cache_control(get_response):
    """Pages of the portal and the admin, and every page a logged-in user sees, hold personal data: browsers
    and proxies must not store them (`Cache-Control: private, no-store`), unless the view set its own header.
    A logged-in user is recognised by the session cookie, so that anonymous pages do not vary on it."""

    def middleware(request):
        response = get_response(request)
        if "Cache-Control" in response.headers:
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES or _route(request).startswith(STAFF_SCOPE_ROUTES):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


class StaffMfaRequired:
    """Staff must set up TOTP before the admin or the portal opens for them (setting `STAFF_MFA_REQUIRED`): in
    the portal they see every locality's partners, exports and agreements. Coordinators are not affected. Outside
    these two routes (a material's page, a download, the API) nothing redirects; there the staff scope itself
    waits for the second factor (`User.acts_as_national_staff`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (settings.STAFF_MFA_REQUIRED and _route(request).startswith(STAFF_SCOPE_ROUTES)):
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None  # the views' own login and permission checks answer
        if user.has_second_factor:
            return None
        messages.warning(
            request, _("Set up two-factor authentication before you use the portal or the administration.")
        )
        return redirect("mfa_activate_totp")
