"""The locality's people that other apps know besides the portal's users (the networks app its partners' contact
persons), registered in their `AppConfig.ready()`::

    from localities import meeting_guests
    meeting_guests.register(my_app.guests.for_locality)

A provider takes the locality and returns `Candidate`s, with or without an e-mail address. Those with one are
whom a coordinator can invite to a feedback meeting (`candidates`); every one's name is personal data that a
text made public must not carry (`names`, for the support app's article drafts). The localities app knows no
other app's models: the people come in through here, and the services are handed plain addresses and names."""

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
    """The locality's people to invite (those with an e-mail address), once per address, in the providers' order."""
    seen: set[str] = set()
    found = []
    for provider in _registry:
        for candidate in provider(locality):
            key = candidate.email.strip().lower()
            if key and key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def names(locality: Locality) -> list[str]:
    """The names of all the locality's people the providers know, with an e-mail address or without."""
    return [candidate.name for provider in _registry for candidate in provider(locality) if candidate.name]
