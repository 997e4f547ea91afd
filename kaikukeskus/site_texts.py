"""Texts staff write and publish (the communications app's site pages), shown on pages that other apps own: the
outreach page `/join/` of `localities` shows the text published under its key, and its own template's text until
then. The app that keeps the texts registers a provider from `AppConfig.ready()`::

    from kaikukeskus import site_texts
    site_texts.register(my_app.texts.published)

A provider takes a key and returns the published text in the active language (an object with `title`, `body`
(sanitised HTML), `language` and `fallback`, true when the text is Finnish because the reader's language has
none), or None. `kaikukeskus` knows no app's models."""

from collections.abc import Callable
from typing import Any

from kaikukeskus.registry import Registry

TextProvider = Callable[[str], Any]
_registry = Registry()


def register(provider: TextProvider, *, order: int = 100) -> None:
    _registry.register(provider, order=order)


def published(key: str) -> Any:
    """The first provider's published text under `key`, or None when nobody has one."""
    for provider in _registry:
        text = provider(key)
        if text is not None:
            return text
    return None
