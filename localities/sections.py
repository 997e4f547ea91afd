"""The public locality page is gathered from sections that other apps contribute (as the portal's panels).

An app registers a function in its `AppConfig.ready()`::

    from localities import sections
    sections.register(my_app.public.locality_sections, order=10)

The function takes the request and the (public) locality and returns a list of `Section`s. The localities app
renders each section's template with the section as `section`, and puts its stylesheets in the page's head;
it knows no other app's templates or models.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from kaikukeskus.registry import Registry
from localities.models import Locality


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    stylesheets: tuple[str, ...] = ()


SectionProvider = Callable[[HttpRequest, Locality], list[Section]]
_registry = Registry()


def register(provider: SectionProvider, *, order: int = 100) -> None:
    _registry.register(provider, order=order)


def sections_for(request: HttpRequest, locality: Locality) -> list[Section]:
    return [section for provider in _registry for section in provider(request, locality)]


def stylesheets(sections: list[Section]) -> list[str]:
    """Each section's stylesheets once, in order of appearance."""
    return list(dict.fromkeys(sheet for section in sections for sheet in section.stylesheets))
