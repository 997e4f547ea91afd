"""An ordered list of functions that apps contribute from `AppConfig.ready()`: the portal's panels and the
public locality page's sections. The app that owns a page keeps a registry; the apps that fill it are never
named there."""

from collections.abc import Callable, Iterator


class Registry:
    def __init__(self) -> None:
        self._providers: list[tuple[int, str, Callable]] = []

    def register(self, provider: Callable, *, order: int = 100) -> None:
        key = f"{provider.__module__}.{provider.__qualname__}"
        if any(existing_key == key for _order, existing_key, _provider in self._providers):
            return  # ready() may run twice (tests, autoreload): register once
        self._providers.append((order, key, provider))
        self._providers.sort(key=lambda item: (item[0], item[1]))

    def __iter__(self) -> Iterator[Callable]:
        return iter([provider for _order, _key, provider in self._providers])
