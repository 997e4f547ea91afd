"""Demo trainings for `seed_demo`: the yearly national meeting of the coordinators (online), the next onboarding
training for new coordinators, a partner briefing, a workshop that is full with a waitlist, and past trainings
with attendance marked (for certificates and the coverage report).

Times are days from the day of seeding at fixed hours; trainings are found by their Finnish title, registrations by
training and e-mail address, and one that exists is left as it is (staff may have moved a training, a registrant
cancelled): only `seed_demo --reset` moves the dates to today's. Rows are written directly (no e-mails go out to
the demo addresses), as staff in the history."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from kaikukeskus.demo import DEMO_DOMAIN, DemoContext, coordinator_email
from localities.models import Locality
from trainings.models import Registration, Training

K, A, F, S = Training.Kind, Training.Audience, Training.Format, Registration.Status
MEET = "https://meet.example.fi/kaikukortti-"


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _training(context: DemoContext, *, title: tuple[str, str, str], days: int, hours: int = 3, **values) -> Training:
    starts_at = _at(days, 9 if hours < 6 else 10)
    defaults = {
        "title_sv": title[1],
        "title_en": title[2],
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=hours),
        "registration_opens_at": _at(min(days, 0) - 45, 8),
        "registration_closes_at": _at(days - 2, 16),
        "status": Training.Status.PUBLISHED,
        **values,
    }
    training = Training.objects.filter(title_fi=title[0]).first() or Training(title_fi=title[0])
    if context.keeps(training):
        return training
    changed = training.pk is None or any(getattr(training, key) != value for key, value in defaults.items())
    if changed:
        for key, value in defaults.items():
            setattr(training, key, value)
        training._history_user = context.staff
        training.full_clean()
        training.save()
    return training


def _register(
    context: DemoContext, training: Training, *, email: str, name: str, status: str, locality_slug: str = "", **values
) -> None:
    user = get_user_model().objects.filter(email=email).first()
    locality = Locality.objects.filter(slug=locality_slug).first() if locality_slug else None
    defaults = {"user": user, "name": name, "locality": locality, "status": status, "organisation": "", **values}
    registration = Registration.objects.filter(training=training, email=email).first()
    if registration is None:
        Registration.objects.create(training=training, email=email, **defaults)
    elif context.reset and any(getattr(registration, key) != value for key, value in defaults.items()):
        for key, value in defaults.items():
            setattr(registration, key, value)
        registration.save()


def _coordinator(context: DemoContext, training: Training, slug: str, status: str) -> None:
    user = get_user_model().objects.get(email=coordinator_email(slug))
    _register(context, training, email=user.email, name=user.display_name, status=status, locality_slug=slug)


def seed(context: DemoContext) -> None:
    year = timezone.localdate().year
    meeting = _training(
        context,
        title=(
            f"Kaikukortin valtakunnallinen verkostotapaaminen {year}",
            f"Kaikukortets nationella nätverksmöte {year}",
            f"Kaikukortti national network meeting {year}",
        ),
        description_fi="Koordinaattoreiden vuosittainen etätapaaminen: ajankohtaista, tilastot ja hyvät käytännöt.",
        description_sv="Koordinatorernas årliga distansmöte: aktuella frågor, statistik och goda exempel.",
        description_en="The coordinators' yearly remote meeting: news, statistics and good practice.",
        days=30,
        hours=4,
        kind=K.NATIONAL_MEETING,
        audience=A.COORDINATORS,
        format=F.ONLINE,
        online_link=f"{MEET}vuositapaaminen",
        capacity=None,
    )
    for slug in ("kainuu", "tornio"):
        _coordinator(context, meeting, slug, S.CONFIRMED)
    _training(
        context,
        title=(
            "Uusien koordinaattoreiden perehdytys",
            "Introduktion för nya koordinatorer",
            "Onboarding for new coordinators",
        ),
        description_fi="Kaikukortin toimintamalli, kortin jakaminen, kohteiden mukaan saaminen ja tilastointi.",
        description_sv="Kaikukortets verksamhetsmodell, utdelning av kortet, att få med aktörer och statistik.",
        description_en="How Kaikukortti works: giving the card, recruiting venues and keeping statistics.",
        days=14,
        kind=K.COORDINATOR_TRAINING,
        audience=A.COORDINATORS,
        format=F.ONLINE,
        online_link=f"{MEET}perehdytys",
        capacity=20,
    )
    briefing = _training(
        context,
        title=(
            "Kaikukortti-kumppanien infotilaisuus, Kainuu",
            "Informationsmöte för Kaikukortets partner, Kajanaland",
            "Briefing for Kaikukortti partners, Kainuu",
        ),
        description_fi="Korttia jakaville tahoille ja kohteille: näin Kaikukortti toimii arjessa.",
        description_sv="För kortutdelare och aktörer: så fungerar Kaikukortet i vardagen.",
        description_en="For issuers and venues: how Kaikukortti works day to day.",
        days=21,
        hours=2,
        kind=K.PARTNER_BRIEFING,
        audience=A.PARTNERS,
        format=F.HYBRID,
        place="Kajaanin kaupunginkirjasto, Kauppakatu 35, Kajaani",
        online_link=f"{MEET}kainuu-info",
        capacity=40,
    )
    _register(
        context,
        briefing,
        email=f"teatteri.kainuu@{DEMO_DOMAIN}",
        name="Outi Teatteri",
        organisation="Kajaanin kaupunginteatteri",
        locality_slug="kainuu",
        status=S.CONFIRMED,
        dietary_needs="Gluteeniton",
    )
    workshop = _training(
        context,
        title=(
            "Työpaja: Kaikukortti kulttuurikohteen arjessa",
            "Workshop: Kaikukortet i kulturaktörens vardag",
            "Workshop: Kaikukortti in a cultural venue's everyday work",
        ),
        days=10,
        kind=K.WORKSHOP,
        audience=A.EVERYONE,
        format=F.ON_SITE,
        place="Kaikukeskus, Helsinki",
        capacity=3,
    )
    for number, status in enumerate([S.CONFIRMED] * 3 + [S.WAITLISTED] * 2, start=1):
        _register(
            context,
            workshop,
            email=f"osallistuja{number}@{DEMO_DOMAIN}",
            name=f"Osallistuja {number}",
            organisation="Museo",
            locality_slug="vaasa",
            status=status,
        )
    past_onboarding = _training(
        context,
        title=(
            "Koordinaattoreiden perehdytys, kevät",
            "Introduktion för koordinatorer, våren",
            "Onboarding for coordinators, spring",
        ),
        days=-120,
        kind=K.COORDINATOR_TRAINING,
        audience=A.COORDINATORS,
        format=F.ONLINE,
        online_link=f"{MEET}perehdytys-kevat",
        capacity=20,
    )
    for slug, status in [("kainuu", S.ATTENDED), ("tornio", S.ATTENDED), ("vaasa", S.ATTENDED), ("nokia", S.NO_SHOW)]:
        _coordinator(context, past_onboarding, slug, status)
    past_meeting = _training(
        context,
        title=(
            f"Kaikukortin valtakunnallinen verkostotapaaminen {year - 1}",
            f"Kaikukortets nationella nätverksmöte {year - 1}",
            f"Kaikukortti national network meeting {year - 1}",
        ),
        days=-300,
        hours=4,
        kind=K.NATIONAL_MEETING,
        audience=A.COORDINATORS,
        format=F.ONLINE,
        online_link=f"{MEET}vuositapaaminen-edellinen",
        capacity=None,
    )
    for slug in ("kainuu", "vaasa"):
        _coordinator(context, past_meeting, slug, S.ATTENDED)
    context.say("Trainings: the national meeting, onboarding, a partner briefing, a full workshop, two past ones")
