"""The staff workspace's locality pages (national staff only, `permissions.staff_page`): the pilot board and a
locality's one page with everything about it. Thin views: the selectors read; other apps' parts of the
locality page come through `localities.workspace`'s registry."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from localities import selectors, workspace
from localities.models import Locality
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
