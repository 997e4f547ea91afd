"""Demo localities named after real municipalities and counties, with one coordinator each; their pilots at
different stages (some milestones overdue), feedback meetings with follow-up actions, agreements, the lifecycle
log, prospects with a contact log and an access request waiting for staff. Idempotent: rows are found by natural
keys, nothing is added twice and nothing that exists is changed (unless `--reset`)."""

import datetime
import itertools

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone

from kaikukeskus.demo import DemoContext, coordinator_email, ensure_user
from localities import services
from localities.models import (
    Coordinator,
    FeedbackMeeting,
    InterestSubmission,
    Locality,
    LocalityStatusChange,
    Municipality,
    Pilot,
    ProspectClaim,
    ProspectContact,
    Side,
    WellbeingServicesCounty,
)

S = Locality.Status

DEMO_LOCALITIES = [
    # slug, fi, sv, en, kind, status, municipality names (fi), county (fi), dates
    {
        "slug": "kainuu",
        "name_fi": "Kainuu",
        "name_sv": "Kajanaland",
        "name_en": "Kainuu",
        "kind": Locality.Kind.COUNTY,
        "status": S.PERMANENT,
        "municipalities": ["Kajaani", "Sotkamo", "Kuhmo", "Suomussalmi", "Paltamo"],
        "county": "Kainuun hyvinvointialue",
        "first_contact_on": datetime.date(2015, 9, 1),
        "pilot_start_on": datetime.date(2016, 1, 1),
        "pilot_end_on": datetime.date(2016, 12, 31),
        "permanent_since": datetime.date(2017, 1, 1),
    },
    {
        "slug": "tornio",
        "name_fi": "Tornio",
        "name_sv": "Torneå",
        "name_en": "Tornio",
        "kind": Locality.Kind.MUNICIPALITY,
        "status": S.PERMANENT,
        "municipalities": ["Tornio"],
        "county": "Lapin hyvinvointialue",
        "first_contact_on": datetime.date(2018, 3, 1),
        "pilot_start_on": datetime.date(2019, 1, 1),
        "pilot_end_on": datetime.date(2019, 12, 31),
        "permanent_since": datetime.date(2020, 1, 1),
    },
    {
        "slug": "vaasa",
        "name_fi": "Vaasa",
        "name_sv": "Vasa",
        "name_en": "Vaasa",
        "kind": Locality.Kind.MUNICIPALITY,
        "status": S.PERMANENT,
        "municipalities": ["Vaasa"],
        "county": "Pohjanmaan hyvinvointialue",
        "first_contact_on": datetime.date(2019, 5, 1),
        "pilot_start_on": datetime.date(2020, 1, 1),
        "pilot_end_on": datetime.date(2020, 12, 31),
        "permanent_since": datetime.date(2021, 1, 1),
    },
    {
        "slug": "nokia",
        "name_fi": "Nokia",
        "name_sv": "Nokia",
        "name_en": "Nokia",
        "kind": Locality.Kind.MUNICIPALITY,
        "status": S.PILOTING,
        "municipalities": ["Nokia"],
        "county": "Pirkanmaan hyvinvointialue",
        "first_contact_on": datetime.date(2025, 2, 1),
        "pilot_start_on": datetime.date(2026, 3, 1),
        "pilot_end_on": datetime.date(2027, 2, 28),
    },
    {
        "slug": "forssa",
        "name_fi": "Forssan seutu",
        "name_sv": "Forssa-regionen",
        "name_en": "Forssa region",
        "kind": Locality.Kind.GROUP,
        "status": S.PILOTING,
        "municipalities": ["Forssa", "Jokioinen", "Tammela", "Humppila", "Ypäjä"],
        "county": "Kanta-Hämeen hyvinvointialue",
        "first_contact_on": datetime.date(2025, 1, 15),
        "pilot_start_on": datetime.date(2026, 1, 1),
        "pilot_end_on": datetime.date(2026, 12, 31),
    },
    {
        "slug": "mantsala",
        "name_fi": "Mäntsälä",
        "name_sv": "Mäntsälä",
        "name_en": "Mäntsälä",
        "kind": Locality.Kind.MUNICIPALITY,
        "status": S.PREPARING,
        "municipalities": ["Mäntsälä"],
        "county": "Keski-Uudenmaan hyvinvointialue",
        "first_contact_on": datetime.date(2026, 4, 1),
        # The planned pilot start: preparing localities have one (the checklist's due dates count from it).
        "pilot_start_on": datetime.date(2027, 3, 1),
    },
    {
        "slug": "porvoo",
        "name_fi": "Porvoo",
        "name_sv": "Borgå",
        "name_en": "Porvoo",
        "kind": Locality.Kind.MUNICIPALITY,
        "status": S.PROSPECT,
        "municipalities": ["Porvoo"],
        "county": "Itä-Uudenmaan hyvinvointialue",
        "first_contact_on": datetime.date(2026, 9, 10),
    },
]

DEMO_COORDINATOR_NAMES = {
    "kainuu": ("Aino", "Heikkinen"),
    "tornio": ("Mikko", "Alatalo"),
    "vaasa": ("Sara", "Lindholm"),
    "nokia": ("Jussi", "Virtanen"),
    "forssa": ("Liisa", "Mäkelä"),
    "mantsala": ("Pekka", "Laine"),
    "porvoo": ("Emma", "Nyström"),
}


def seed(context: DemoContext) -> None:
    for row in DEMO_LOCALITIES:
        locality = Locality.objects.filter(slug=row["slug"]).first()
        if not context.keeps(locality):
            values = {key: value for key, value in row.items() if key not in {"slug", "municipalities", "county"}}
            values["county"] = WellbeingServicesCounty.objects.get(name_fi=row["county"])
            values["website"] = f"https://www.example.fi/kaikukortti/{row['slug']}"
            values["feedback_email"] = f"kaikukortti@{row['slug']}.example.fi"
            locality, _created = Locality.objects.update_or_create(slug=row["slug"], defaults=values)
            locality.municipalities.set(Municipality.objects.filter(name_fi__in=row["municipalities"]))
        first_name, last_name = DEMO_COORDINATOR_NAMES[row["slug"]]
        email = coordinator_email(row["slug"])
        user = ensure_user(context, email=email, first_name=first_name, last_name=last_name)
        # Once a coordinator (staff may have ended the demo coordinator's term since: that stays so).
        if context.reset or not Coordinator.objects.filter(user=user, locality=locality).exists():
            Coordinator.objects.get_or_create(
                user=user,
                locality=locality,
                ended_on=None,
                defaults={
                    "side": Side.CULTURE,
                    # A planned pilot start lies ahead: the coordinator of a preparing locality works already.
                    "started_on": min(filter(None, [row.get("pilot_start_on"), timezone.localdate()])),
                },
            )
        context.say(f"Coordinator of {locality.name_fi}: {email}")
    _seed_pilots(context)
    _seed_outreach(context)
    if context.scale > 1:
        _seed_national(context)


# `--scale N`: one more running locality per real municipality not in a demo locality, up to NATIONAL_PER_SCALE
# per step of the scale (`--scale 40`: every remaining municipality, about 290 localities).
NATIONAL_PER_SCALE = 8
NATIONAL_SLUG_PREFIX = "kunta-"


def _seed_national(context: DemoContext) -> None:
    """National size in bulk (a few seconds): localities named after real municipalities, half piloting and
    half permanent, each with its coordinator. Rows that exist already are left as they are."""
    from django.contrib.auth.hashers import make_password

    from kaikukeskus.models import User

    today = timezone.localdate()
    taken = Locality.objects.exclude(slug__startswith=NATIONAL_SLUG_PREFIX).values("municipalities")
    municipalities = list(
        Municipality.objects.exclude(pk__in=taken)
        .select_related("county")
        .order_by("code")[: NATIONAL_PER_SCALE * context.scale]
    )
    existing = set(Locality.objects.filter(slug__startswith=NATIONAL_SLUG_PREFIX).values_list("slug", flat=True))
    rows = []
    for number, municipality in enumerate(municipalities):
        slug = f"{NATIONAL_SLUG_PREFIX}{municipality.code}"
        if slug in existing:
            continue
        pilot_start_on = today - datetime.timedelta(days=90 + 37 * number)
        permanent = number % 2 == 0
        rows.append(
            Locality(
                slug=slug,
                name_fi=municipality.name_fi,
                name_sv=municipality.name_sv,
                name_en=municipality.name_fi,
                kind=Locality.Kind.MUNICIPALITY,
                status=S.PERMANENT if permanent else S.PILOTING,
                county=municipality.county,
                first_contact_on=pilot_start_on - datetime.timedelta(days=180),
                pilot_start_on=pilot_start_on,
                pilot_end_on=pilot_start_on + datetime.timedelta(days=364),
                permanent_since=pilot_start_on + datetime.timedelta(days=365) if permanent else None,
                website=f"https://www.example.fi/kaikukortti/{slug}",
                feedback_email=f"kaikukortti@{slug}.example.fi",
            )
        )
    localities = Locality.objects.bulk_create(rows)
    by_code = {m.code: m for m in municipalities}
    through = Locality.municipalities.through
    through.objects.bulk_create(
        through(locality_id=locality.pk, municipality_id=by_code[locality.slug.removeprefix(NATIONAL_SLUG_PREFIX)].pk)
        for locality in localities
    )
    password = make_password(context.password)  # hashed once: the same password for every demo account
    users = User.objects.bulk_create(
        User(email=coordinator_email(locality.slug), password=password, first_name="Demo", last_name=locality.name_fi)
        for locality in localities
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    Coordinator.objects.bulk_create(
        Coordinator(user=user, locality=locality, side=Side.CULTURE, started_on=locality.pilot_start_on)
        for user, locality in zip(users, localities, strict=True)
    )
    context.say(f"National scale: {len(localities)} more running localities, each with a coordinator.")


# Milestones (by template position) left open on purpose, so that the board and the portal show overdue work.
OPEN_ON_PURPOSE = {"nokia": {80}, "forssa": {110}, "mantsala": {30}}

STATUS_PATH = {
    S.PREPARING: [S.PROSPECT, S.PREPARING],
    S.PILOTING: [S.PROSPECT, S.PREPARING, S.PILOTING],
    S.PERMANENT: [S.PROSPECT, S.PREPARING, S.PILOTING, S.PERMANENT],
}

DEMO_MEETINGS = {
    # slug: (held on, summary, [(action, days after the meeting it is due, done?)])
    "kainuu": (
        datetime.date(2016, 9, 20),
        "Kortin käyttö on alkanut hyvin kaikissa kunnissa. Kuhmossa jakajia tarvitaan lisää.",
        [("Rekrytoidaan kaksi uutta jakajaa Kuhmoon", 60, True)],
    ),
    "tornio": (
        datetime.date(2019, 9, 12),
        "Kohteita on riittävästi; asiakkaiden tiedottamista parannetaan.",
        [("Esitteet neuvoloihin ja aikuissosiaalityöhön", 30, True)],
    ),
    "vaasa": (
        datetime.date(2020, 10, 6),
        "Kaksikielinen viestintä toimii. Toivotaan ruotsinkielistä perehdytysmateriaalia.",
        [("Kaikukeskus lähettää ruotsinkielisen perehdytysmateriaalin", 14, True)],
    ),
    "nokia": (
        datetime.date(2026, 6, 30),
        "Pilotti käynnistyi keväällä. Kohteita 14, jakajia 9. Korttien aktivointi on ollut hidasta.",
        [
            ("Päivitetään paikallinen Kaikukortti-sivu ja lisätään kohdelista", 21, True),
            ("Perehdytetään uudet jakajat aikuissosiaalityössä", 45, False),
            ("Sovitaan arviointikyselyn aikataulu Kaikukeskuksen kanssa", 200, False),
        ],
    ),
    "forssa": (
        datetime.date(2026, 5, 15),
        "Seutukunnan kunnat mukana; Ypäjällä ei vielä kohteita. Yhteisökortteja kaivataan lisää.",
        [
            ("Haetaan Ypäjälle vähintään kaksi kohdetta", 60, False),
            ("Tilataan lisää yhteisökortteja", 14, True),
        ],
    ),
}

# Prospects' contact logs: slug: [(date, channel, summary)].
DEMO_CONTACTS = {
    "porvoo": [
        (datetime.date(2026, 9, 10), "email", "Hyvinvointikoordinaattori kysyi Kaikukortista."),
        (
            datetime.date(2026, 10, 2),
            "online_meeting",
            "Esittely kulttuuri- ja hyvinvointipalveluille; kiinnostusta molemmilla puolilla.",
        ),
        (datetime.date(2026, 11, 12), "phone", "Itä-Uudenmaan hyvinvointialue mukaan keskusteluun."),
    ],
    "mantsala": [
        (datetime.date(2026, 4, 1), "email", "Valtuustoaloite Kaikukortin käyttöönotosta; kunta otti yhteyttä."),
        (datetime.date(2026, 5, 5), "meeting", "Tapaaminen Mäntsälässä: työpari nimetään kesän aikana."),
    ],
}
# The next step a contact named, by (slug, date of the contact): (step, planned on).
DEMO_NEXT_STEPS = {
    ("porvoo", datetime.date(2026, 10, 2)): ("Esitellään hyvinvointialueen kanssa", datetime.date(2026, 11, 20)),
    ("porvoo", datetime.date(2026, 11, 12)): (
        "Lähetetään sopimusmalli ja pilotin vaiheet",
        datetime.date(2026, 12, 10),
    ),
    ("mantsala", datetime.date(2026, 4, 1)): ("Tapaaminen vapaa-aikapalvelujen kanssa", datetime.date(2026, 5, 5)),
}

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _seed_pilots(context: DemoContext) -> None:
    today = timezone.localdate()
    staff = context.staff
    for locality in Locality.objects.filter(slug__in=[row["slug"] for row in DEMO_LOCALITIES]):
        coordinator = Coordinator.objects.active().filter(locality=locality).select_related("user").first()
        _seed_status_log(locality, staff)
        pilot = None
        if locality.pilot_start_on and locality.status in (S.PREPARING, S.PILOTING, S.PERMANENT):
            existing = Pilot.objects.filter(locality=locality).first()
            # An existing checklist is the coordinator's: a milestone they opened again stays open.
            if not context.keeps(existing):
                pilot = existing or services.pilot_create(
                    actor=staff, locality=locality, planned_start_on=locality.pilot_start_on
                )
        if pilot is not None:
            open_on_purpose = OPEN_ON_PURPOSE.get(locality.slug, set())
            for milestone in pilot.milestones.filter(done_on__isnull=True, due_on__lte=today):
                if milestone.position in open_on_purpose:
                    continue
                milestone.done_on = min(milestone.due_on + datetime.timedelta(days=3), today)
                milestone.done_by = coordinator.user if coordinator else None
                milestone.save(update_fields=["done_on", "done_by"])
        if locality.slug in DEMO_MEETINGS:
            _seed_meeting(locality, staff, coordinator, today)
        if locality.status in (S.PILOTING, S.PERMANENT) and not locality.agreements.exists():
            signed_on = (locality.pilot_start_on or today) - datetime.timedelta(days=60)
            locality.agreements.create(
                title=f"Kaikukortti-sopimus, {locality.name_fi}",
                signed_on=signed_on,
                valid_from=locality.pilot_start_on or signed_on,
                document=ContentFile(DEMO_PDF, name="sopimus.pdf"),
                original_filename="sopimus.pdf",
                uploaded_by=staff,
            )
        for contacted_on, channel, summary in DEMO_CONTACTS.get(locality.slug, []):
            next_step, next_step_on = DEMO_NEXT_STEPS.get((locality.slug, contacted_on), ("", None))
            locality.prospect_contacts.get_or_create(
                contacted_on=contacted_on,
                channel=channel,
                defaults={"summary": summary, "next_step": next_step, "next_step_on": next_step_on, "logged_by": staff},
            )
    _seed_planned_meeting(staff)
    _seed_access_request()
    context.say("Pilots, feedback meetings, agreements and prospects' contact logs seeded.")


def _seed_status_log(locality: Locality, staff) -> None:
    """The lifecycle log as it would have been written, once."""
    if locality.status_changes.exists():
        return
    path = STATUS_PATH.get(locality.status, [])
    dates = {
        S.PREPARING: locality.first_contact_on,
        S.PILOTING: locality.pilot_start_on,
        S.PERMANENT: locality.permanent_since,
    }
    LocalityStatusChange.objects.bulk_create(
        LocalityStatusChange(
            locality=locality,
            from_status=before,
            to_status=after,
            effective_on=dates[after] or locality.first_contact_on or timezone.localdate(),
            changed_by=staff,
        )
        for before, after in itertools.pairwise(path)
    )


def _seed_meeting(locality: Locality, staff, coordinator, today: datetime.date) -> None:
    held_on, summary, actions = DEMO_MEETINGS[locality.slug]
    meeting, created = locality.feedback_meetings.get_or_create(
        held_on=held_on,
        defaults={
            "summary": summary,
            "attendance": "Kulttuuripalvelut, sosiaalipalvelut, kaksi kohdetta ja kaksi jakajaa",
            "attendee_count": 8,
            "created_by": staff,
        },
    )
    if created:
        meeting.kaikukeskus_participants.add(staff)
    for description, due_in_days, done in actions:
        due_on = held_on + datetime.timedelta(days=due_in_days)
        meeting.actions.get_or_create(
            description=description,
            defaults={
                "owner": coordinator.user if coordinator and not description.startswith("Kaikukeskus") else None,
                "owner_name": "Kaikukeskus" if description.startswith("Kaikukeskus") else "",
                "due_on": due_on,
                "done_on": min(due_on, today) if done else None,
            },
        )


def _seed_planned_meeting(staff) -> None:
    """A feedback meeting planned ahead for a running locality (once: a planned one that exists stays)."""
    locality = Locality.objects.filter(slug="tornio").first()
    if locality is None or locality.feedback_meetings.filter(state=FeedbackMeeting.State.PLANNED).exists():
        return
    day = timezone.localdate() + datetime.timedelta(days=21)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13, 0)))
    meeting = locality.feedback_meetings.create(
        state=FeedbackMeeting.State.PLANNED,
        held_on=day,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="Tornion kaupunginkirjasto, kokoushuone Aavasaksa",
        online_link="https://meet.example.fi/tornio-palautekokous",
        agenda="1. Kortin käyttö kuluneena vuonna\n2. Kohteiden ja jakajien palaute\n3. Seuraavan vuoden tavoitteet",
        created_by=staff,
    )
    if staff is not None:
        meeting.invited_staff.add(staff)
    meeting.guests.create(name="Tornion kaupunginteatteri", email="teatteri@tornio.example.fi", invited_by=staff)


def _seed_access_request() -> None:
    """The Forssa coordinator asks to join Nokia too: staff find it waiting in the administration."""
    user = Coordinator.objects.filter(user__email=coordinator_email("forssa")).values_list("user", flat=True).first()
    nokia = Locality.objects.filter(slug="nokia").first()
    if user and nokia and not nokia.access_requests.filter(user_id=user).exists():
        nokia.access_requests.create(
            user_id=user,
            side=Side.SOCIAL_HEALTH,
            reason="Siirryn hyvinvointialueen hyte-koordinaattoriksi, joka kattaa myös Nokian.",
        )


# --- Outreach: interest submissions through /join/ and the pipeline's owners ---------------------------------

OUTREACH_OWNER_EMAIL = "outreach@demo.kaikukortti.test"
# The prospects that interest submissions made: no coordinator yet (they do not run the card).
OUTREACH_SLUG_PREFIX = "prospect-"
# municipality (fi), language, sector, sender, decision stage, days ago, the prospect's fate.
DEMO_SUBMISSIONS = [
    ("Kokkola", "sv", "culture", ("Kerstin", "Kulturdirektör"), "motion", 12, "new"),
    ("Raasepori", "sv", "wellbeing", ("Johan", "Välfärdskoordinator"), "idea", 1, "new"),
    ("Mäntsälä", "fi", "social_health", ("Sari", "Sosiaalityön johtaja"), "budget", 30, "pipeline"),
    ("Kajaani", "en", "culture", ("Anna", "Cultural producer"), "idea", 5, "running"),
    ("Ylöjärvi", "fi", "culture", ("Pekka", "Kulttuurijohtaja"), "board", 400, "lost"),
]


def _seed_outreach(context: DemoContext) -> None:
    """Interest submissions in several states and languages: two new prospects (one with its next step overdue),
    a contact on a locality preparing its pilot, one for a running locality, and a prospect lost with a reason.
    Owners: the demo staff and a second member of staff in turn. Written directly (no e-mails from the demo)."""
    today = timezone.localdate()
    owners = [
        context.staff,
        ensure_user(context, email=OUTREACH_OWNER_EMAIL, first_name="Outi", last_name="Outreach", staff=True),
    ]
    for index, (name_fi, language, sector, (first_name, title), stage, days_ago, fate) in enumerate(DEMO_SUBMISSIONS):
        municipality = Municipality.objects.get(name_fi=name_fi)
        email = f"{first_name.lower()}@{municipality.code}.example.fi"
        if InterestSubmission.objects.filter(email=email, municipality=municipality).exists() and not context.reset:
            continue
        owner = owners[index % 2]
        sent_on = today - datetime.timedelta(days=days_ago)
        locality = Locality.objects.filter(municipalities=municipality).order_by("pk").first()
        if locality is None:
            locality = Locality.objects.create(
                name_fi=municipality.name_fi,
                name_sv=municipality.name_sv,
                slug=f"{OUTREACH_SLUG_PREFIX}{municipality.code}",
                county=municipality.county,
                status=S.PROSPECT,
                first_contact_on=sent_on,
                owner=owner,
            )
            locality.municipalities.add(municipality)
        elif locality.owner_id is None and not locality.is_public:
            Locality.objects.filter(pk=locality.pk).update(owner=owner)
        running = locality.is_public
        contact = None
        if not running:
            ProspectClaim.objects.get_or_create(municipality=municipality, defaults={"locality": locality})
            contact = ProspectContact.objects.create(
                locality=locality,
                contacted_on=sent_on,
                channel=ProspectContact.Channel.OTHER,
                summary=f"Yhteydenottolomake ({language}): {municipality.name_fi}, {sector}.",
                next_step="Vastaa yhteydenottoon",
                next_step_on=sent_on + datetime.timedelta(days=7),  # 5 working days
            )
        submission = InterestSubmission.objects.create(
            language=language,
            municipality=municipality,
            organisation=f"{municipality.name_fi} / {municipality.name_sv}",
            sector=sector,
            name=f"{first_name} Demo",
            title=title,
            email=email,
            other_sector="not_yet",
            decision_stage=stage,
            message="",
            consent=True,
            outcome={
                "running": InterestSubmission.Outcome.ALREADY_RUNNING,
                "pipeline": InterestSubmission.Outcome.CONTACT_ADDED,
            }.get(fate, InterestSubmission.Outcome.NEW_PROSPECT),
            locality=locality,
            contact=contact,
            owner=owner,
        )
        InterestSubmission.objects.filter(pk=submission.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        if fate == "lost" and locality.status == S.PROSPECT:
            services.prospect_mark_lost(
                actor=context.staff,
                locality=locality,
                reason="Lautakunta ei ottanut Kaikukorttia talousarvioon.",
                on=sent_on + datetime.timedelta(days=60),
            )
    context.say("Interest submissions and the prospect pipeline seeded.")
