"""Networks' URLs: the coordinator portal's partner pages are scoped to the locality (another locality's
partner or upload is 404, also when its id is put under one's own locality), the venue directory and its API
are public."""

from tests.security.authz import Case, public, scoped, staff_only


def populate(world):
    from networks import services
    from tests.networks.factories import ContactPersonFactory, PartnerFactory

    world.locality.municipalities.add(*_municipalities("205"))
    world.other_locality.municipalities.add(*_municipalities("851"))
    world.partner = PartnerFactory(locality=world.locality)
    world.other_partner = PartnerFactory(locality=world.other_locality)
    ContactPersonFactory(partner=world.partner)
    content = b"role;name;municipality\nvenue;Uusi kohde;205\n"
    world.partner_import = services.partner_import_create(
        actor=world.coordinator, locality=world.locality, file_name="kumppanit.csv", content=content
    )


def _municipalities(*codes):
    from localities.models import Municipality

    return list(Municipality.objects.filter(code__in=codes))


def _token(partner) -> str:
    from networks.services import venue_link_token

    return venue_link_token(partner=partner)


def _own(world, **extra):
    return {"slug": world.locality.slug, **extra}


# An upload is its uploader's only: staff do not see a coordinator's preview either.
UPLOAD = scoped(own=200, other=404, staff=404)

CASES = [
    Case("networks:partner-list", scoped(), kwargs=_own),
    Case("networks:partner-create", scoped(), kwargs=_own),
    Case("networks:partner-edit", scoped(), kwargs=lambda w: _own(w, pk=w.partner.pk)),
    Case("networks:partner-end", scoped(), kwargs=lambda w: _own(w, pk=w.partner.pk)),
    Case("networks:partner-history", scoped(), kwargs=lambda w: _own(w, pk=w.partner.pk)),
    Case("networks:partner-import", scoped(), kwargs=_own),
    Case("networks:partner-import-preview", UPLOAD, kwargs=lambda w: _own(w, pk=w.partner_import.pk)),
    Case("networks:partner-import-template", scoped(), kwargs=lambda w: _own(w, file_format="xlsx")),
    Case("networks:partner-export", scoped(), kwargs=lambda w: _own(w, file_format="csv")),
    Case("networks:partner-accessibility", scoped(), kwargs=lambda w: _own(w, pk=w.partner.pk)),
    Case("networks:partner-venue-link", scoped(), kwargs=lambda w: _own(w, pk=w.partner.pk)),
    Case("networks:proposed-issuers", staff_only()),
    # A venue's self-assessment: its coordinators and staff; another locality's coordinator 404.
    Case("networks:partner-self-assessment", scoped(), kwargs=lambda w: _own(w, pk=w.partner.pk)),
    # National totals: staff only (nothing of the self-assessments is public but totals over five venues).
    Case("networks:self-assessment-totals", staff_only()),
    Case("networks:venue-link-self-assessment", public(), kwargs=lambda w: {"token": _token(w.partner)}),
    Case("networks:venue-search", public()),
    Case("networks:venue-detail", public(), kwargs=lambda w: {"pk": w.partner.pk}),
    # The signed link opens its one venue to whoever holds it, signed in or not.
    Case("networks:venue-link-accessibility", public(), kwargs=lambda w: {"token": _token(w.partner)}),
    Case("networks-api:venues", public()),
]
