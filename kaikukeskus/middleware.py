"""Small middleware of our own: security headers Django does not set, and the staff MFA rule."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


class StaffMfaRequired:
    """National staff must set up TOTP before the admin opens for them (setting `STAFF_MFA_REQUIRED`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not (settings.STAFF_MFA_REQUIRED and match and "admin" in match.namespaces):
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None  # the admin's own login and permission checks answer
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return None
        messages.warning(request, _("Set up two-factor authentication before you use the administration."))
        return redirect("mfa_activate_totp")
