"""Demo localities named after real municipalities and counties, with one coordinator each."""

import datetime

from kaikukeskus.demo import DemoContext, coordinator_email, ensure_user
from localities.models import Coordinator, Locality, Municipality, Side, WellbeingServicesCounty

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
        values = {key: value for key, value in row.items() if key not in {"slug", "municipalities", "county"}}
        values["county"] = WellbeingServicesCounty.objects.get(name_fi=row["county"])
        values["website"] = f"https://www.example.fi/kaikukortti/{row['slug']}"
        values["feedback_email"] = f"kaikukortti@{row['slug']}.example.fi"
        locality, _created = Locality.objects.update_or_create(slug=row["slug"], defaults=values)
        locality.municipalities.set(Municipality.objects.filter(name_fi__in=row["municipalities"]))
        first_name, last_name = DEMO_COORDINATOR_NAMES[row["slug"]]
        email = coordinator_email(row["slug"])
        user = ensure_user(email=email, password=context.password, first_name=first_name, last_name=last_name)
        Coordinator.objects.get_or_create(
            user=user,
            locality=locality,
            ended_on=None,
            defaults={
                "side": Side.CULTURE,
                "started_on": row.get("pilot_start_on") or row["first_contact_on"],
            },
        )
        context.say(f"Coordinator of {locality.name_fi}: {email}")
