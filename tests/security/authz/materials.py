"""Materials' URLs. The cases use a coordinators-only material: visitors and a former coordinator (no active
membership) get 404 by page, stable link and download alike; any active coordinator and staff reach it. The
library and the API are public; a partner's signed consultation link is its own credential."""

from tests.security.authz import LOGIN, REDIRECT, Case, public

COORDINATORS = {"anonymous": 404, "own": 200, "other": 200, "former": 404, "staff": 200}
COORDINATORS_REDIRECT = {"anonymous": 404, "own": REDIRECT, "other": REDIRECT, "former": 404, "staff": REDIRECT}
PORTAL = {"anonymous": LOGIN, "own": 200, "other": 200, "former": 404, "staff": 200}


def populate(world):
    import datetime

    from django.utils import timezone

    from materials import services
    from materials.models import Consultation, ConsultationPartner
    from tests.materials.factories import MaterialFactory, PublishedVersionFactory, VersionFactory, add_file

    material = MaterialFactory(slug="coordinators-guide", visibility="coordinators")
    world.material = material
    world.material_file = add_file(PublishedVersionFactory(material=material), "fi")
    draft = VersionFactory(material=material, label="draft")
    world.draft_file = add_file(draft, "fi")
    world.consultation = Consultation.objects.create(
        version=draft, closes_on=timezone.localdate() + datetime.timedelta(days=10)
    )
    partner = ConsultationPartner.objects.create(consultation=world.consultation, email="partner@example.fi")
    world.partner_token = services.partner_token(partner)


def _material(world, **extra):
    return {"slug": world.material.slug, **extra}


CASES = [
    Case("materials:library", public()),
    Case("materials:detail", COORDINATORS, kwargs=_material),
    Case("materials:latest", COORDINATORS_REDIRECT, kwargs=lambda w: _material(w, language="fi")),
    Case(
        "materials:download",
        COORDINATORS,
        kwargs=lambda w: _material(w, pk=w.material_file.pk, name=w.material_file.download_name),
    ),
    Case(
        "materials:follow",
        {"anonymous": LOGIN, "own": REDIRECT, "other": REDIRECT, "former": 404, "staff": REDIRECT},
        kwargs=_material,
        method="post",
        data=lambda w: {"following": "1"},
    ),
    Case("materials:consultation", PORTAL, kwargs=lambda w: {"pk": w.consultation.pk}),
    Case(
        "materials:consultation-file",
        PORTAL,
        kwargs=lambda w: {"pk": w.consultation.pk, "file_pk": w.draft_file.pk},
    ),
    Case("materials:consultation-partner", public(), kwargs=lambda w: {"token": w.partner_token}),
    Case(
        "materials:consultation-partner-file",
        public(),
        kwargs=lambda w: {"token": w.partner_token, "file_pk": w.draft_file.pk},
    ),
    Case("materials-api:material-list", public()),
]
