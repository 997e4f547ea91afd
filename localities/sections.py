"""The public locality page is gathered from sections that other apps contribute (as the portal's panels).

An app registers a function in its `AppConfig.ready()`::

    from localities import sections
    sections.register(my_app.public.locality_sections, order=10, params=("page",))

The function takes the request and the (public) locality and returns a list of `Section`s; `params` names the
query parameters it reads (the page is cached for anonymous visitors, whose requests keep only the page's
parameters: `kaikukeskus.public_cache`). The localities app
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
_params: set[str] = set()


def register(provider: SectionProvider, *, order: int = 100, params: tuple[str, ...] = ()) -> None:
    _registry.register(provider, order=order)
    _params.update(params)


def query_params() -> set[str]:
    """The query parameters the sections read."""
    return _params


def sections_for(request: HttpRequest, locality: Locality) -> list[Section]:
    return [section for provider in _registry for section in provider(request, locality)]


def stylesheets(sections: list[Section]) -> list[str]:
    """Each section's stylesheets once, in order of appearance."""
    return list(dict.fromkeys(sheet for section in sections for sheet in section.stylesheets))
