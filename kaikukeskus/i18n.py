"""Translated content fields (`name_fi`, `name_sv`, `name_en`, ...): one rule for every model and page."""

from django.conf import settings
from django.utils.translation import get_language


def translated(obj, field: str) -> str:
    """`<field>_<active language>`, falling back to the Finnish text when that translation is empty."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_fi", "") or ""
