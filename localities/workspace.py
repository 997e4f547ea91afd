"""The staff workspace's locality pages: the pilot board's filter and the registry of the sections other apps
add to a locality's one page for staff (its reports, the trainings its coordinators attended, ...).

An app registers a function in its `AppConfig.ready()`::

    from localities import workspace
    workspace.register(my_app.workspace.locality_sections, order=20)

The function takes the request and the locality and returns a list of `localities.sections.Section`s (a
template and its context; the template gets the section as `section`). It runs for national staff only, on
every view of the page, so it makes a fixed number of queries whatever the locality's history. The localities
app renders the sections in order and knows no other app's templates or models (tests/test_import_graph.py).
"""

from collections.abc import Callable

from django import forms
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kaikukeskus.registry import Registry
from localities.models import Locality, WellbeingServicesCounty
from localities.sections import Section

StaffSectionProvider = Callable[[HttpRequest, Locality], list[Section]]
_registry = Registry()


def register(provider: StaffSectionProvider, *, order: int = 100) -> None:
    _registry.register(provider, order=order)


def sections_for(request: HttpRequest, locality: Locality) -> list[Section]:
    return [section for provider in _registry for section in provider(request, locality)]


class PilotBoardFilterForm(forms.Form):
    """The pilot board's filter: a plain GET form (works without JavaScript); an unknown value shows everything."""

    county = forms.ModelChoiceField(
        label=_("Wellbeing services county"),
        queryset=WellbeingServicesCounty.objects.order_by("name_fi"),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *((status.value, status.label) for status in Locality.BOARD_STATUSES)],
    )
    overdue = forms.BooleanField(label=_("Only with overdue work"), required=False)

    def filter(self, board):
        if not self.is_valid():
            return board
        data = self.cleaned_data
        if data["county"]:
            board = board.filter(county=data["county"])
        if data["status"]:
            board = board.filter(status=data["status"])
        if data["overdue"]:
            board = board.filter(Q(milestones_overdue__gt=0) | Q(actions_overdue__gt=0))
        return board


class AccessRequestDecisionForm(forms.Form):
    """One pending access request's decision: the button pressed (approve or decline) and the message that goes
    to the coordinator with it (staff may have written it in the admin before: it is shown to edit)."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    note = forms.CharField(
        label=_("Message to the coordinator"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional; sent with the decision by e-mail and shown on the coordinator's portal."),
    )

    def __init__(self, *args, access_request, **kwargs):
        kwargs.setdefault("prefix", f"request-{access_request.pk}")
        kwargs.setdefault("initial", {"note": access_request.decision_note})
        super().__init__(*args, **kwargs)
        self.access_request = access_request
