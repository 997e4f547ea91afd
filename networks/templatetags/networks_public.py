"""`{% public_venue_groups locality as groups %}`: the locality's public venues by sector, for the public
locality page that the localities app renders (one query, whatever the number of venues)."""

from django import template

from networks import selectors

register = template.Library()


@register.simple_tag
def public_venue_groups(locality) -> list[selectors.SectorGroup]:
    if locality is None:
        return []
    return selectors.public_venues_by_sector(locality=locality)
