"""Demo working groups for `manage.py seed_demo`: three groups (one international) with memberships over time
(a coordinator who left and rejoined), meetings with minutes of each visibility, a held meeting still without
minutes, a planned one, and action items open, done and overdue. A group that exists is left as it is, with
everything in it (dates here are relative to today and would not find their rows again)."""

import datetime

from django.utils import timezone

from cooperation.models import ActionItem, GroupMeeting, MeetingAttendee, Membership, Visibility, WorkingGroup
from kaikukeskus.demo import DemoContext, coordinator_email
from kaikukeskus.models import User

G, R = WorkingGroup.Scope, WorkingGroup.Role

GROUPS = [
    {
        "name_fi": "Kulttuurihyvinvoinnin yhteistyöryhmä",
        "name_sv": "Samarbetsgruppen för kulturell välfärd",
        "name_en": "Cultural wellbeing cooperation group",
        "scope": G.DOMESTIC,
        "host": "Opetus- ja kulttuuriministeriö",
        "kaikukeskus_role": R.MEMBER,
        "years": 4,
    },
    {
        "name_fi": "Kaikukortti-verkoston kehittämisryhmä",
        "name_sv": "Utvecklingsgruppen för Kaikukort-nätverket",
        "name_en": "Kaikukortti network development group",
        "scope": G.DOMESTIC,
        "host": "Kulttuuria kaikille -palvelu",
        "kaikukeskus_role": R.CHAIR,
        "years": 3,
    },
    {
        "name_fi": "Pohjoismainen Culture for All -verkosto",
        "name_sv": "Nordiska nätverket Culture for All",
        "name_en": "Nordic Culture for All network",
        "scope": G.INTERNATIONAL,
        "host": "Nordic Culture Point",
        "kaikukeskus_role": R.OBSERVER,
        "language": "en",
        "years": 2,
    },
]

EXTERNAL = [
    ("Kulttuurihyvinvoinnin yhteistyöryhmä", "Laura Virtanen", "Taiteen edistämiskeskus", "laura.virtanen@example.fi"),
    ("Kulttuurihyvinvoinnin yhteistyöryhmä", "Mikko Laine", "THL", "mikko.laine@example.fi"),
    ("Kaikukortti-verkoston kehittämisryhmä", "Sanna Heikkinen", "Kulttuuria kaikille", "sanna@example.fi"),
    ("Pohjoismainen Culture for All -verkosto", "Karin Lund", "Kulturrådet", "karin.lund@example.se"),
    ("Pohjoismainen Culture for All -verkosto", "Ole Hansen", "Kulturtanken", "ole.hansen@example.no"),
]


def _coordinator(slug: str) -> User | None:
    return User.objects.filter(email=coordinator_email(slug)).first()


def seed(context: DemoContext) -> None:
    today = timezone.localdate()
    staff = context.staff
    created = 0
    for row in GROUPS:
        group = WorkingGroup.objects.filter(name_fi=row["name_fi"]).first()
        if context.keeps(group):
            continue
        values = {key: value for key, value in row.items() if key != "years"}
        start = today.replace(month=1, day=1) - datetime.timedelta(days=365 * row["years"])
        group, _created = WorkingGroup.objects.update_or_create(
            name_fi=row["name_fi"], defaults={**values, "active_from": start}
        )
        _seed_group(group, staff=staff, start=start, today=today)
        created += 1
    context.say(f"Working groups: {created} seeded (memberships over time, meetings, minutes, action items).")


def _seed_group(group: WorkingGroup, *, staff, start: datetime.date, today: datetime.date) -> None:
    group.meetings.all().delete()  # before the memberships their attendees name
    group.memberships.all().delete()
    if staff is not None:
        Membership.objects.create(group=group, user=staff, role=Membership.Role.SECRETARY, started_on=start)
    for group_name, name, organisation, email in EXTERNAL:
        if group_name == group.name_fi:
            Membership.objects.create(group=group, name=name, organisation=organisation, email=email, started_on=start)
    kainuu, tornio = _coordinator("kainuu"), _coordinator("tornio")
    if group.scope == G.DOMESTIC and kainuu is not None:
        # Left for a year and came back: two periods, the first one kept as it was.
        Membership.objects.create(
            group=group, user=kainuu, started_on=start, ended_on=today - datetime.timedelta(days=500)
        )
        Membership.objects.create(group=group, user=kainuu, started_on=today - datetime.timedelta(days=135))
    if group.kaikukeskus_role == R.CHAIR and tornio is not None:
        Membership.objects.create(group=group, user=tornio, started_on=start + datetime.timedelta(days=90))

    now = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    place = "Teams" if group.scope == G.DOMESTIC else "Zoom"
    meetings = [
        (now - datetime.timedelta(days=200), "held", Visibility.PUBLIC, "Todettiin toimintasuunnitelma."),
        (now - datetime.timedelta(days=60), "held", Visibility.MEMBERS, "Keskusteltiin kyselyn tuloksista."),
        (now - datetime.timedelta(days=20), "held", Visibility.STAFF, ""),  # minutes still missing
        (now + datetime.timedelta(days=30), "planned", Visibility.MEMBERS, ""),
    ]
    members = list(group.memberships.all())
    for starts_at, state, visibility, minutes in meetings:
        meeting = GroupMeeting.objects.create(
            group=group,
            starts_at=starts_at,
            place=place,
            agenda="1. Avaus\n2. Ajankohtaiset asiat\n3. Seuraava kokous",
            state=state,
            organiser=staff,
            minutes=minutes,
            minutes_visibility=visibility,
        )
        if state == "held":
            for membership in members:
                if membership.covers(timezone.localdate(starts_at)):
                    MeetingAttendee.objects.create(meeting=meeting, membership=membership)
        if minutes:
            held = timezone.localdate(starts_at)
            ActionItem.objects.create(
                meeting=meeting,
                description="Kootaan jäsenten kokemukset",
                owner=staff,
                due_on=held + datetime.timedelta(days=30),
                done_on=held + datetime.timedelta(days=25),
                done_by=staff,
            )
            ActionItem.objects.create(
                meeting=meeting,
                description="Valmistellaan lausunto",
                owner_name="Sihteeristö",
                due_on=held + datetime.timedelta(days=45),  # left open: overdue by now
            )
