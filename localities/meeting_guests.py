"""Whom a coordinator can invite to a feedback meeting besides the portal's users: other apps contribute the
locality's people with an e-mail address (the networks app its partners' contact persons), registered in their
`AppConfig.ready()`::

    from localities import meeting_guests
    meeting_guests.register(my_app.guests.for_locality)

A provider takes the locality and returns `Candidate`s. The localities app knows no other app's models: the
addresses come in through here, and the service is handed plain addresses."""

from collections.abc import Callable
from dataclasses import dataclass

from kaikukeskus.registry import Registry
from localities.models import Locality


@dataclass(frozen=True)
class Candidate:
    name: str
    email: str
    organisation: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}, {self.organisation}" if self.organisation else self.name


GuestProvider = Callable[[Locality], list[Candidate]]
_registry = Registry()


def register(provider: GuestProvider, *, order: int = 100) -> None:
    _registry.register(provider, order=order)


def candidates(locality: Locality) -> list[Candidate]:
    """The locality's people to invite, once per address, in the providers' order."""
    seen: set[str] = set()
    found = []
    for provider in _registry:
        for candidate in provider(locality):
            key = candidate.email.strip().lower()
            if key and key not in seen:
                seen.add(key)
                found.append(candidate)
    return found
