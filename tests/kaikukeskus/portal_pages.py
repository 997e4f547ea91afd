"""Every page of the coordinator portal, with the rows it needs, for the tests that walk them all (breadcrumbs,
untranslated strings, narrow screens)."""

import datetime

from django.urls import reverse

from localities.models import Municipality, Region, WellbeingServicesCounty
from localities.reference_data import load_municipalities
from networks import services as network_services
from tests.localities.factories import FeedbackMeetingFactory, FollowUpActionFactory, MilestoneFactory, PilotFactory
from tests.networks.factories import ContactPersonFactory, IssuerFactory, PartnerFactory
from tests.stats.factories import FILLED, ReportFactory, yearly_round

IMPORT_CSV = (
    "role;name;municipality;sector;issuer_kind;joined_on;offer_fi;contact_name;contact_email;contact_phone\n"
    "venue;Uusi kohde;;culture;;2025-01-01;Vapaa pääsy lippukassalta;Maija Meikäläinen;maija@example.fi;\n"
)


def make_portal_pages(*, locality, coordinator) -> dict[str, tuple[str, bool]]:
    """Rows for every portal page of `locality` as `coordinator` sees them. Returns {name: (url, belongs to the
    locality)}: the pages of a locality, and the portal's own pages that belong to none."""
    if not Municipality.objects.filter(code="205").exists():  # a browser test before this one flushed the tables
        load_municipalities(Region, WellbeingServicesCounty, Municipality)
    pilot = PilotFactory(locality=locality, milestones=False)
    done = MilestoneFactory(pilot=pilot, done_on=datetime.date(2026, 1, 15), done_by=coordinator, note="Tehty.")
    MilestoneFactory(pilot=pilot, due_on=datetime.date(2020, 3, 1))
    meeting = FeedbackMeetingFactory(locality=locality)
    FollowUpActionFactory(meeting=meeting, due_on=datetime.date(2020, 3, 1))
    partner = PartnerFactory(locality=locality, name="Kajaanin kaupunginteatteri")
    ContactPersonFactory(partner=partner, name="Maija Meikäläinen", is_primary=True)
    IssuerFactory(locality=locality, name="Aikuissosiaalityö, Kajaani")
    upload = network_services.partner_import_create(
        actor=coordinator, locality=locality, file_name="kumppanit.csv", content=IMPORT_CSV.encode()
    )
    # Statistics: a draft with a warning against last year's approved report (the explanation box is shown), and
    # a submitted report (the read-only page with its history).
    ReportFactory(round=yearly_round(2024), locality=locality, status="approved", **FILLED)
    draft = ReportFactory(round=yearly_round(2025), locality=locality, **{**FILLED, "cards_registered": 2000})
    submitted = ReportFactory(round=yearly_round(2023), locality=locality, status="submitted", **FILLED)
    slug = {"slug": locality.slug}
    return {
        "portal": (reverse("portal"), False),
        "access-request": (reverse("localities:access-request-create"), False),
        "locality": (reverse("localities:portal-detail", kwargs=slug), False),
        "pilot": (reverse("localities:pilot", kwargs=slug), True),
        "milestone": (reverse("localities:milestone-done", kwargs={**slug, "pk": done.pk}), True),
        "meeting": (reverse("localities:meeting-detail", kwargs={**slug, "pk": meeting.pk}), True),
        "partners": (reverse("networks:partner-list", kwargs=slug), True),
        "partner-new": (reverse("networks:partner-create", kwargs=slug), True),
        "partner-edit": (reverse("networks:partner-edit", kwargs={**slug, "pk": partner.pk}), True),
        "partner-end": (reverse("networks:partner-end", kwargs={**slug, "pk": partner.pk}), True),
        "partner-history": (reverse("networks:partner-history", kwargs={**slug, "pk": partner.pk}), True),
        "import": (reverse("networks:partner-import", kwargs=slug), True),
        "import-preview": (reverse("networks:partner-import-preview", kwargs={**slug, "pk": upload.pk}), True),
        "reports": (reverse("stats:report-list", kwargs=slug), True),
        "report": (reverse("stats:report-edit", kwargs={**slug, "pk": draft.pk}), True),
        "report-submitted": (reverse("stats:report-edit", kwargs={**slug, "pk": submitted.pk}), True),
    }
