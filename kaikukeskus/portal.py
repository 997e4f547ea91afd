"""The coordinator's front page is gathered from panels that each app contributes.

An app registers a function in its `AppConfig.ready()`::

    from kaikukeskus import portal
    portal.register(my_app.portal.panels, order=20)

The function takes the request's user and returns a list of `Panel`s. `kaikukeskus` knows this registry only,
no app's models, so a new app joins the front page without touching it.
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
