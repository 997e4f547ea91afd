"""The trainings' parts of the staff workspace: the section on a locality's page (the trainings its coordinators
attended or will attend; localities.workspace's registry) and the front page's panel of trainings whose
attendance is to be taken."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaikukeskus.portal import Panel
from localities.models import Coordinator, Locality
from localities.permissions import acts_as_national_staff
from localities.sections import Section
from trainings.models import Registration, Training

SECTION_ROWS = 30
PANEL_ROWS = 10
# A training that ended this many days ago still asks for its attendance on the front page.
ATTENDANCE_DAYS = 30


def locality_sections(request, locality: Locality) -> list[Section]:
    """The registrations of the locality's coordinators (present and former) and of anybody who registered for
    the locality, newest training first: one query."""
    coordinators = Coordinator.objects.filter(locality=locality).values("user_id")
    registrations = list(
        Registration.objects.filter(Q(locality=locality) | Q(user_id__in=coordinators))
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("training")
        .order_by("-training__starts_at", "name", "pk")[:SECTION_ROWS]
    )
    return [Section(template="trainings/staff/locality_trainings.html", context={"registrations": registrations})]


def staff_panels(user) -> list[Panel]:
    """National staff: the trainings that ended lately or run today, with links to take attendance and to the
    participant list."""
    if not acts_as_national_staff(user):
        return []
    now = timezone.now()
    trainings = list(
        Training.objects.filter(status=Training.Status.PUBLISHED)
        .filter(
            starts_at__lte=now + datetime.timedelta(days=1), ends_at__gte=now - datetime.timedelta(days=ATTENDANCE_DAYS)
        )
        .with_seats_taken()
        .order_by("-starts_at", "pk")[:PANEL_ROWS]
    )
    if not trainings:
        return []
    return [
        Panel(
            title=_("Attendance to take"),
            template="trainings/panels/staff_attendance.html",
            context={"trainings": trainings},
            kind="todo",
        )
    ]
