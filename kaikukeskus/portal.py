"""The coordinator's front page is gathered from panels that each app contributes.

An app registers a function in its `AppConfig.ready()`::

    from kaikukeskus import portal
    portal.register(my_app.portal.panels, order=20)

The function takes the request's user and returns a list of `Panel`s. `kaikukeskus` knows this registry only,
no app's models, so a new app joins the front page without touching it.

The same page is the national staff's workspace front page ("what needs me today"). An app adds a staff panel
with a provider that answers only for staff, registered like any other::

    from kaikukeskus.portal import Panel
    from localities.permissions import acts_as_national_staff

    def staff_panels(user) -> list[Panel]:
        if not acts_as_national_staff(user):  # the one rule: staff with the second factor where it is required
            return []
        waiting = Question.objects.filter(status="new")  # whatever waits for staff, counted in a fixed number
        total = waiting.count()                           # of queries (a panel lists the first rows only)
        if not total:
            return []                                     # nothing to do: no panel
        return [Panel(_("Questions to answer"), "support/panels/staff_questions.html",
                      {"questions": list(waiting[:10]), "more": max(0, total - 10)}, kind="todo")]

    # support/apps.py, in SupportConfig.ready():
    portal.register(support.portal.staff_panels, order=50)

`kind="todo"` puts the panel among the first (work waiting for someone), "info" after them. The panel's links go
to the app's own workspace pages: views decorated with `localities.permissions.staff_page`, whose templates
extend "kaikukeskus/staff_base.html" (the workspace's navigation, `templates/includes/staff_nav.html`), each URL
with a `staff_only()` case in tests/security/authz/<app>.py. A part of a locality's staff page comes through
`localities.workspace.register` the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from kaikukeskus.registry import Registry


@dataclass(frozen=True)
class Panel:
    title: str | Promise
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # "todo" panels ask for action and come first; "info" panels follow.
    kind: str = "info"


PanelProvider = Callable[[Any], list[Panel]]
_registry = Registry()


def register(provider: PanelProvider, *, order: int = 100) -> None:
    _registry.register(provider, order=order)


def panels_for(user) -> list[Panel]:
    panels = [panel for provider in _registry for panel in provider(user)]
    return sorted(panels, key=lambda panel: panel.kind != "todo")
