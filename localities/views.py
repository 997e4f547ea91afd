from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from localities import selectors, services
from localities.forms import InvitationAcceptForm


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "localities/invitation_invalid.html", status=404)
    # An invitee who already has an account accepts while logged in, with a plain confirmation.
    existing_account = request.user.is_authenticated
    form = None if existing_account else InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and (existing_account or form.is_valid()):
        try:
            user = services.invitation_accept(
                token=token,
                password=None if existing_account else form.cleaned_data["password1"],
                user=request.user if existing_account else None,
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("portal")
            form.add_error(None, error)
        else:
            if not existing_account:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome! You now coordinate %(locality)s.") % {"locality": invitation.locality}
            )
            return redirect("portal")
    return render(request, "localities/invitation_accept.html", {"invitation": invitation, "form": form})


@login_required
@require_GET
def portal_locality(request, slug: str):
    locality = selectors.locality_for_user_or_404(user=request.user, slug=slug)
    return render(
        request,
        "localities/portal_locality.html",
        {
            "locality": locality,
            "coordinators": selectors.active_coordinators(locality=locality),
            "municipalities": locality.municipalities.all(),
        },
    )
