"""Demo partners for `seed_demo`: a dozen issuers and venues per locality that has a network.

Prospects get none (they have not started); every other status does: a preparing locality recruits its partners
before launch, a piloting or permanent one runs them, and a paused or ended one keeps them for its history and
statistics. Rows are found by their natural key (locality, role, name); one that exists is left as a coordinator
may have edited it (its offer, its contacts) unless `--reset`. Writes go through the services, as staff, so
history shows who created them."""

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kaikukeskus.demo import DemoContext
from localities.demo import NATIONAL_SLUG_PREFIX
from localities.models import Coordinator, Locality
from networks import services
from networks.models import (
    ACCESSIBILITY_KEYS,
    ChecklistQuestion,
    ChecklistVersion,
    CommitmentKind,
    ContactPerson,
    Partner,
    SelfAssessment,
    VenueAccessibility,
    VenueCategory,
)
from networks.services import ContactChange

C, E, SC, SP = "culture", "education", "science", "sports"

# name template, sector, category, offer in fi / sv / en
VENUES = [
    (
        "{gen} kaupunginteatteri",
        C,
        VenueCategory.THEATRE,
        "Vapaalippu kaikkiin omiin näytöksiin, enintään 5 % paikoista. Liput lippukassalta tai puhelimitse.",
        "Fribiljett till alla egna föreställningar, högst 5 % av platserna. "
        "Biljetter i biljettkassan eller per telefon.",
        "Free ticket to every own performance, up to 5 % of seats. Tickets at the box office or by phone.",
    ),
    (
        "{gen} taidemuseo",
        C,
        VenueCategory.MUSEUM,
        "Vapaa sisäänpääsy näyttelyihin. Näytä kortti museon kassalla.",
        "Fritt inträde till utställningarna. Visa kortet i museets kassa.",
        "Free entry to the exhibitions. Show the card at the museum's ticket desk.",
    ),
    (
        "{gen} kansalaisopisto",
        E,
        VenueCategory.ADULT_EDUCATION,
        "Kaksi kurssia lukuvuodessa, kurssimaksu enintään 25 €. Ilmoittaudu tavalliseen tapaan ja kerro kortin numero.",
        "Två kurser per läsår, kursavgift högst 25 €. Anmäl dig som vanligt och uppge kortets nummer.",
        "Two courses a year, fee up to €25. Enrol as usual and give the card number.",
    ),
    (
        "Tiedekeskus {place}",
        SC,
        VenueCategory.SCIENCE_CENTRE,
        "Vapaa sisäänpääsy näyttelyihin, ei erikoistapahtumiin.",
        "Fritt inträde till utställningarna, inte till specialevenemang.",
        "Free entry to the exhibitions, not to special events.",
    ),
    (
        "{gen} uimahalli",
        SP,
        VenueCategory.SPORTS_VENUE,
        "Kertalippu uintiin ja kuntosaliin. Ei sarjalippuja.",
        "Engångsbiljett till simning och gym. Inga seriebiljetter.",
        "Single ticket for swimming and the gym. No multi-visit tickets.",
    ),
    (
        "{gen} kesäfestivaali",
        C,
        VenueCategory.FESTIVAL,
        "Vapaaliput päivän konsertteihin, ei loppuunmyytyihin tapahtumiin.",
        "Fribiljetter till dagskonserterna, inte till utsålda evenemang.",
        "Free tickets to the day concerts, not to sold-out events.",
    ),
    (
        "{gen} elokuvateatteri",
        C,
        VenueCategory.CINEMA,
        "Vapaalippu arkinäytöksiin lippukassalta.",
        "Fribiljett till vardagsföreställningar i biljettkassan.",
        "Free ticket to weekday screenings at the box office.",
    ),
]
ISSUERS = [
    ("Aikuissosiaalityö, {place}", "social_services", "Hyvinvointialue"),
    ("Terveysasema, {place}", "health_services", "Hyvinvointialue"),
    ("Mielenterveys- ja päihdepalvelut, {place}", "health_services", "Hyvinvointialue"),
    ("Hyvinvointikoordinaattori, {place}", "wellbeing", "Kunta"),
    ("{gen} Mielenterveysyhdistys ry", "ngo", ""),
    ("{gen} seurakunnan diakoniatyö", "parish", "Seurakunta"),
]
CONTACTS = [
    ("Anna Korhonen", "Palvelupäällikkö"),
    ("Timo Nieminen", "Sosiaaliohjaaja"),
    ("Laura Mäkinen", "Tuottaja"),
    ("Jari Hämäläinen", "Vastaava ohjaaja"),
    ("Sanna Koskinen", "Asiakaspalvelupäällikkö"),
    ("Mikael Lindqvist", "Koordinaattori"),
]


_GENITIVES = {"Jokioinen": "Jokioisten", "Suomussalmi": "Suomussalmen", "Ypäjä": "Ypäjän"}


def _genitive(name: str) -> str:
    """The Finnish genitive of the demo municipalities' names (most just add -n)."""
    return _GENITIVES.get(name, name + "n")


def seed(context: DemoContext) -> None:
    localities = (
        Locality.objects.exclude(status=Locality.Status.PROSPECT)
        .exclude(slug__startswith=NATIONAL_SLUG_PREFIX)
        .prefetch_related("municipalities")
    )
    for locality in localities.order_by("slug"):
        municipalities = list(locality.municipalities.order_by("name_fi"))
        if not municipalities:
            continue
        count = _seed_locality(context, locality=locality, municipalities=municipalities)
        context.say(f"Partners of {locality.name_fi}: {count}")
        _seed_accessibility(context, locality=locality)
    _seed_proposed_issuer(context)
    _seed_self_assessments(context)
    if context.scale > 1:
        _seed_national(context)


def _seed_national(context: DemoContext) -> None:
    """The national-scale localities' partners in bulk (about 50 each at `--scale 40`: some 14,000 in all),
    each with a primary contact, for localities that have none yet."""
    today = timezone.localdate()
    rounds = max(1, round(context.scale / 10))
    localities = list(
        Locality.objects.filter(slug__startswith=NATIONAL_SLUG_PREFIX)
        .exclude(pk__in=Partner.objects.values("locality_id"))
        .prefetch_related("municipalities")
    )
    partners = []
    for locality in localities:
        start = min(locality.pilot_start_on or today, today)
        dates = {"joined_on": start, "commitment_acknowledged_on": start, "commitment_kind": CommitmentKind.PILOT}
        for round_number in range(rounds):
            suffix = f" {round_number + 1}" if round_number else ""
            for row in _partner_rows(
                locality=locality, municipalities=list(locality.municipalities.all()), suffix=suffix
            ):
                partners.append(Partner(locality=locality, listed_publicly=row["role"] == "venue", **dates, **row))
    now = timezone.now()
    bulk_create_with_history(partners, Partner, batch_size=1000, default_user=context.staff, default_date=now)
    contacts = []
    for number, partner in enumerate(partners):
        person, title = CONTACTS[number % len(CONTACTS)]
        contacts.append(
            ContactPerson(
                partner=partner,
                name=person,
                title=title,
                email=f"{person.split()[0].lower()}.{number}@{partner.locality.slug}.example.fi",
                is_primary=True,
            )
        )
    bulk_create_with_history(contacts, ContactPerson, batch_size=1000, default_user=context.staff, default_date=now)
    context.say(f"National scale: {len(partners)} partners in {len(localities)} localities.")


def _demo_row(role: str, template: str, place, **fields) -> dict:
    """A partner's values: its name from the template, in the municipality of `place`."""
    name = template.format(place=place.name_fi, gen=_genitive(place.name_fi))
    return {"role": role, "name": name, "municipality": place, **fields}


def _partner_rows(*, locality: Locality, municipalities: list, suffix: str = "") -> list[dict]:
    """A network's venues and issuers (field values), spread over the locality's municipalities."""
    rows = []
    for index, (template, sector, category, offer_fi, offer_sv, offer_en) in enumerate(VENUES):
        rows.append(
            _demo_row(
                "venue",
                template + suffix,
                municipalities[index % len(municipalities)],
                sector=sector,
                category=category,
                offer_fi=offer_fi,
                offer_sv=offer_sv,
                offer_en=offer_en,
                website=f"https://www.example.fi/{locality.slug}/{index}{suffix.strip()}",
                address=f"{['Kauppakatu', 'Kirkkokatu', 'Koulukatu', 'Rantatie'][index % 4]} {index + 1}",
            )
        )
    for index, (template, kind, parent) in enumerate(ISSUERS):
        place = municipalities[index % len(municipalities)]
        rows.append(_demo_row("issuer", template + suffix, place, issuer_kind=kind, parent_organisation=parent))
    return rows


def _seed_locality(context: DemoContext, *, locality: Locality, municipalities: list) -> int:
    today = timezone.localdate()
    start = min(locality.pilot_start_on or locality.first_contact_on or datetime.date(2024, 1, 1), today)
    # `--scale` grows the country (`_seed_national`), not the demo localities' networks.
    rows = _partner_rows(locality=locality, municipalities=municipalities)
    for number, row in enumerate(rows):
        row["joined_on"] = min(start + datetime.timedelta(days=30 * (number % 12)), today)
        row["commitment_acknowledged_on"] = row["joined_on"]
        row["commitment_kind"] = CommitmentKind.PILOT if number % 3 else CommitmentKind.PERMANENT
        # Two partners per locality have left the network …
        ended = number % 12 in (5, 11)
        if ended:  # joined at the start (or two months ago at the latest), left a month ago
            row["joined_on"] = min(start, today - datetime.timedelta(days=60))
            row["commitment_acknowledged_on"] = row["joined_on"]
        row["left_on"] = today - datetime.timedelta(days=30) if ended else None
        row["listed_publicly"] = row["role"] == "venue"
        person, title = CONTACTS[number % len(CONTACTS)]
        contacts = [
            {
                "name": person,
                "title": title,
                "email": f"{person.split()[0].lower()}@{locality.slug}.example.fi",
                "phone": f"040 {100 + number:03d} {4500 + number:04d}",
                # … and two active ones have no primary contact, so the portal has something to flag.
                "is_primary": number not in (2, 8),
            }
        ]
        if number % 4 == 0:
            contacts.append(
                {
                    "name": "Varahenkilö",
                    "title": "",
                    "email": f"info.{number}@{locality.slug}.example.fi",
                    "phone": "",
                    "is_primary": False,
                }
            )
        _upsert(context, locality=locality, values=row, contacts=contacts)
    return len(rows)


def _upsert(context: DemoContext, *, locality: Locality, values: dict, contacts: list[dict]) -> Partner:
    partner = Partner.objects.filter(locality=locality, role=values["role"], name__iexact=values["name"]).first()
    if context.keeps(partner):
        return partner
    defaults = {
        "parent_organisation": "",
        "address": "",
        "website": "",
        "sector": "",
        "category": "",
        "issuer_kind": "",
        "offer_fi": "",
        "offer_sv": "",
        "offer_en": "",
    }
    values = {**defaults, **values}
    if partner is not None:
        # The dates were set relative to the day of the first run; later runs keep them, so that running the
        # command again, on any day, changes nothing.
        for name in ("joined_on", "left_on", "commitment_acknowledged_on"):
            values.pop(name)
    if partner is None:
        changes = [ContactChange(values=contact) for contact in contacts]
        return services.partner_create(actor=context.staff, locality=locality, values=values, contacts=changes)
    existing = {contact.name: contact for contact in partner.contacts.all()}
    partner_same = all(getattr(partner, name) == value for name, value in values.items())
    contacts_same = len(existing) == len(contacts) and all(
        contact["name"] in existing and all(getattr(existing[contact["name"]], k) == v for k, v in contact.items())
        for contact in contacts
    )
    if partner_same and contacts_same:
        return partner
    changes = [ContactChange(pk=existing[c["name"]].pk if c["name"] in existing else None, values=c) for c in contacts]
    # A reset puts the demo's contacts back: one a coordinator added or renamed goes.
    demo_names = {contact["name"] for contact in contacts}
    changes += [
        ContactChange(pk=contact.pk, delete=True) for name, contact in existing.items() if name not in demo_names
    ]
    return services.partner_update(actor=context.staff, partner=partner, values=values, contacts=changes)


# --- Accessibility, commitments and a proposed issuer ---------------------------------------------------------

# Full answers (every question answered), partial ones (the rest not known) and old ones (checked over a year
# ago: marked as possibly out of date), in the order of the locality's venues.
_FULL = dict.fromkeys(ACCESSIBILITY_KEYS, "yes") | {"sign_language": "no", "low_stimulus": "no"}
ACCESSIBILITY = [
    {
        **_FULL,
        "booking_fi": "Varaa puhelimitse 08 123 4567 tai lippukassalta ja kerro, että sinulla on Kaikukortti.",
        "booking_sv": "Boka per telefon 08 123 4567 eller i biljettkassan och säg att du har Kaikukortti.",
        "booking_en": "Book by phone on 08 123 4567 or at the box office and say you have Kaikukortti.",
        "notes_fi": "Induktiosilmukka salissa A. Hiljainen näytös kuukauden ensimmäisenä sunnuntaina.",
        "notes_sv": "Hörslinga i sal A. Lugn föreställning första söndagen i månaden.",
        "notes_en": "Induction loop in hall A. A relaxed performance on the first Sunday of each month.",
        "covers": ["performances", "events"],
        "ceiling_per_visit": 2,
        "ceiling_per_year": 12,
        "companion_free": "yes",
        "days_ago": 20,
    },
    {
        "step_free_entrance": "yes",
        "accessible_toilet": "yes",
        "assistance_dogs": "yes",
        "parking": "no",
        "notes_fi": "Sisäänkäynti Rantatien puolelta.",
        "notes_sv": "Ingång från Strandvägen.",
        "notes_en": "Entrance from Rantatie.",
        "covers": ["exhibitions"],
        "companion_free": "no",
        "days_ago": 90,
    },
    {
        "step_free_entrance": "no",
        "induction_loop": "yes",
        "public_transport": "yes",
        "covers": ["courses"],
        "ceiling_per_year": 2,
        "days_ago": 420,
    },
]


def _seed_accessibility(context: DemoContext, *, locality: Locality) -> None:
    """The locality's first active venues get full, partial and old answers (the rest tell nothing yet)."""
    venues = list(
        Partner.objects.venues().active().filter(locality=locality).order_by("name", "pk")[: len(ACCESSIBILITY)]
    )
    existing = set(VenueAccessibility.objects.filter(partner__in=venues).values_list("partner_id", flat=True))
    today = timezone.localdate()
    for venue, answers in zip(venues, ACCESSIBILITY, strict=False):
        if venue.pk in existing and not context.reset:
            continue
        values = {name: value for name, value in answers.items() if name != "days_ago"}
        values["checked_on"] = today - datetime.timedelta(days=int(answers["days_ago"]))  # type: ignore[arg-type]
        services.accessibility_update(actor=context.staff, partner=venue, values=values)


PROPOSED_ISSUER = "Kainuun Setlementti, Yhteisökeittiö"


def _seed_proposed_issuer(context: DemoContext) -> None:
    """One issuer a coordinator has proposed and Kaikukeskus has not yet discussed (the staff front page shows it)."""
    membership = (
        Coordinator.objects.active()
        .filter(locality__status__in=Locality.PUBLIC_STATUSES)
        .select_related("locality", "user")
        .order_by("locality__slug", "pk")
        .first()
    )
    if membership is None:
        return
    locality = membership.locality
    if Partner.objects.filter(locality=locality, role="issuer", name=PROPOSED_ISSUER).exists():
        return
    municipality = locality.municipalities.order_by("name_fi").first()
    if municipality is None:
        return
    services.partner_create(
        actor=membership.user,
        locality=locality,
        values={
            "role": "issuer",
            "name": PROPOSED_ISSUER,
            "issuer_kind": "ngo",
            "parent_organisation": "Kainuun Setlementti ry",
            "municipality": municipality,
            "joined_on": timezone.localdate(),
        },
    )
    context.say(f"Proposed issuer in {locality.name_fi}: {PROPOSED_ISSUER}")


# section, question fi / sv / en, advice for a "no" fi / sv / en
CHECKLIST = [
    (
        "strategy",
        "Onko saavutettavuus kirjattu toimintasuunnitelmaan?",
        "Finns tillgänglighet med i verksamhetsplanen?",
        "Is accessibility written into the plan of action?",
        "Kirjatkaa yksi saavutettavuustavoite ensi vuodelle.",
        "Skriv in ett tillgänglighetsmål för nästa år.",
        "Write one accessibility goal for next year.",
    ),
    (
        "diversity",
        "Näkyykö yleisön moninaisuus markkinoinnin kuvissa?",
        "Syns publikens mångfald i marknadsföringen?",
        "Does your marketing show a diverse audience?",
        "Käyttäkää kuvia, joissa moninainen yleisö.",
        "Använd bilder som visar en mångsidig publik.",
        "Use pictures that show a diverse audience.",
    ),
    (
        "communication",
        "Kerrotaanko verkkosivuilla Kaikukortista?",
        "Berättar webbsidan om Kaikukortti?",
        "Does your web page tell about Kaikukortti?",
        "Lisätkää Kaikukortti-teksti lippusivulle.",
        "Lägg till en text om Kaikukortti på biljettsidan.",
        "Add a Kaikukortti note to the ticket page.",
    ),
    (
        "communication",
        "Onko tietoa selkokielellä?",
        "Finns information på lättläst språk?",
        "Is there information in plain language?",
        "Selkokeskus neuvoo selkotekstien laatimisessa.",
        "LL-Center ger råd om lättläst text.",
        "The Plain Language Centre advises on plain texts.",
    ),
    (
        "pricing",
        "Onko maksuttomia paikkoja kaikkiin esityksiin?",
        "Finns fribiljetter till alla föreställningar?",
        "Are there free places for every performance?",
        "Varatkaa kiintiö jokaiseen näytökseen.",
        "Reservera en kvot till varje föreställning.",
        "Reserve a quota for every performance.",
    ),
    (
        "customer_service",
        "Onko henkilökunta perehdytetty Kaikukorttiin?",
        "Har personalen introducerats i Kaikukortti?",
        "Has the staff been briefed on Kaikukortti?",
        "Käyttäkää Kaikukeskuksen perehdytysmateriaalia.",
        "Använd Kaikukeskus introduktionsmaterial.",
        "Use Kaikukeskus's briefing material.",
    ),
    (
        "premises",
        "Onko sisäänkäynti esteetön?",
        "Är entrén steglös?",
        "Is the entrance step-free?",
        "Kertokaa ainakin, missä esteetön reitti on.",
        "Berätta åtminstone var den steglösa vägen finns.",
        "At least tell where the step-free route is.",
    ),
    (
        "programme",
        "Onko ohjelmistossa vähäärsykkeisiä esityksiä?",
        "Finns stimulifattiga föreställningar?",
        "Are there low-stimulus performances?",
        "Kokeilkaa yhtä rauhallista näytöstä kaudessa.",
        "Pröva en lugn föreställning per säsong.",
        "Try one relaxed performance a season.",
    ),
]
ROUND_ANSWERS = ["yes", "partly", "no", "yes", "yes", "partly", "no", "yes"]


def _seed_self_assessments(context: DemoContext) -> None:
    """A published checklist and a self-assessment round answered by a dozen venues."""
    checklist = ChecklistVersion.objects.filter(label="2026").first()
    if checklist is None:
        checklist = ChecklistVersion.objects.create(label="2026", published_on=datetime.date(2026, 1, 1))
        ChecklistQuestion.objects.bulk_create(
            ChecklistQuestion(
                version=checklist,
                section=section,
                order=number,
                text_fi=text_fi,
                text_sv=text_sv,
                text_en=text_en,
                advice_fi=advice_fi,
                advice_sv=advice_sv,
                advice_en=advice_en,
            )
            for number, (section, text_fi, text_sv, text_en, advice_fi, advice_sv, advice_en) in enumerate(CHECKLIST)
        )
    if SelfAssessment.objects.filter(checklist=checklist).exists():
        return
    questions = list(checklist.questions.order_by("section", "order", "pk"))
    venues = (
        Partner.objects.venues()
        .active()
        .exclude(locality__slug__startswith=NATIONAL_SLUG_PREFIX)
        .select_related("locality")
        .order_by("locality__slug", "name", "pk")[:12]
    )
    for number, venue in enumerate(venues):
        values = {
            question.pk: services.SelfAssessmentValue(answer=ROUND_ANSWERS[(number + index) % len(ROUND_ANSWERS)])
            for index, question in enumerate(questions)
        }
        services.self_assessment_update(actor=context.staff, partner=venue, values=values)
    context.say(f"Self-assessments: {len(venues)} venues answered checklist {checklist.label}.")
