"""The staff workspace's locality pages (national staff only, `permissions.staff_page`): the pilot board and a
locality's one page with everything about it, and the coordinators' access requests to decide. Thin views: the
selectors read, the services write; other apps' parts of the locality page come through `localities.workspace`'s
registry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from localities import selectors, services, workspace
from localities.models import AccessRequest, Locality
from localities.permissions import staff_page


@staff_page
@require_GET
def pilot_board(request):
    form = workspace.PilotBoardFilterForm(request.GET or None)
    board = form.filter(selectors.pilot_board(user=request.user)).order_by(
        "-milestones_overdue", "-actions_overdue", "next_milestone_due_on", "name_fi"
    )
    return render(request, "localities/staff/pilot_board.html", {"form": form, "board": list(board)})


@staff_page
@require_GET
def locality_page(request, slug: str):
    locality = get_object_or_404(Locality.objects.select_related("county"), slug=slug)
    pilot = selectors.pilot_for(user=request.user, locality=locality)
    page_sections = workspace.sections_for(request, locality)
    return render(
        request,
        "localities/staff/locality.html",
        {
            "locality": locality,
            "municipalities": list(locality.municipalities.all()),
            "pilot": pilot,
            "progress": selectors.pilot_progress(pilot),
            "coordinators": list(selectors.active_coordinators(locality=locality)),
            "former_coordinators": list(selectors.former_coordinators(locality=locality)),
            "meetings": list(selectors.feedback_meetings_for(user=request.user, locality=locality)),
            "agreements": list(selectors.agreements_for(user=request.user, locality=locality)),
            "contacts": list(locality.prospect_contacts.select_related("logged_by")),
            "status_changes": list(locality.status_changes.select_related("changed_by").order_by("-effective_on")),
            "sections": page_sections,
        },
    )


def _access_request_page(request, bound: workspace.AccessRequestDecisionForm | None = None, status: int = 200):
    forms = [
        bound
        if bound is not None and bound.access_request.pk == access_request.pk
        else workspace.AccessRequestDecisionForm(access_request=access_request)
        for access_request in selectors.pending_access_requests(user=request.user)
    ]
    return render(request, "localities/staff/access_requests.html", {"forms": forms}, status=status)


@staff_page
@require_GET
def access_requests(request):
    return _access_request_page(request)


@staff_page
@require_POST
def access_request_decide(request, pk: int):
    access_request = get_object_or_404(AccessRequest.objects.select_related("user", "locality"), pk=pk)
    form = workspace.AccessRequestDecisionForm(request.POST, access_request=access_request)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        decide = services.access_request_approve if approve else services.access_request_decline
        try:
            decide(actor=request.user, access_request=access_request, note=form.cleaned_data["note"])
        except ValidationError as error:
            # Decided already (by a colleague a moment ago, in another tab or the admin): say so, show what is left.
            messages.error(request, " ".join(error.messages))
            return redirect("localities:staff-access-requests")
        else:
            names = {"person": access_request.user.display_name, "locality": access_request.locality.name}
            if approve:
                message = _("%(person)s now coordinates %(locality)s and is told by e-mail.") % names
            else:
                message = _("The request of %(person)s for %(locality)s is declined; they are told by e-mail.") % names
            messages.success(request, message)
            return redirect("localities:staff-access-requests")
    return _access_request_page(request, form, status=400)
