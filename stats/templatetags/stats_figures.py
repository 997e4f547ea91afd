"""Figures in the reader's number format (1 234 in Finnish and Swedish, 1,234 in English); an unknown figure
(null) is a dash, which each page explains."""

from django import template
from django.utils import formats

register = template.Library()

UNKNOWN = "–"


@register.filter
def figure(value) -> str:
    if value is None or value == "":
        return UNKNOWN
    return formats.number_format(value, force_grouping=True)


@register.filter
def share(value, decimals: int = 1) -> str:
    """A percentage such as 12,5 % (the number in the reader's format, a no-break space before the sign)."""
    if value is None:
        return UNKNOWN
    return f"{formats.number_format(value, decimal_pos=decimals, force_grouping=True)}\u00a0%"
