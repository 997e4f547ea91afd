"""Demo news: a dozen items over two years, some in Swedish and English, one scheduled for tomorrow, one for
coordinators only, one pinned and one to acknowledge (acknowledged by some demo localities); a sent newsletter,
a draft and a few subscribers."""

import datetime

from django.utils import timezone

from communications import pages_demo, selectors, services
from communications.models import Audience, NewsItem, Newsletter, NewsTag, Subscriber
from kaikukeskus import history
from kaikukeskus.demo import DemoContext
from localities.models import Coordinator

TAGS = [
    ("ajankohtaista", "Ajankohtaista", "Aktuellt", "Current"),
    ("koulutukset", "Koulutukset", "Utbildningar", "Trainings"),
    ("tilastot", "Tilastot", "Statistik", "Statistics"),
    ("paikkakunnat", "Paikkakunnat", "Orter", "Localities"),
]

P = "<p>{}</p>"

# slug, days from today (negative: past), audience, flags, tags, (title, body) fi / sv / en ("" where missing)
ITEMS = [
    (
        "kaikukortti-laajenee-2025",
        -700,
        Audience.PUBLIC,
        {},
        ["paikkakunnat"],
        (
            "Kaikukortti laajenee kymmeneen uuteen kuntaan",
            "Kymmenen kuntaa aloittaa Kaikukortin pilotin vuoden alussa.",
        ),
        (
            "Kaikukortet utvidgas till tio nya kommuner",
            "Tio kommuner inleder ett pilotförsök med Kaikukortet vid årsskiftet.",
        ),
        (
            "Kaikukortti reaches ten new municipalities",
            "Ten municipalities start a Kaikukortti pilot at the turn of the year.",
        ),
    ),
    (
        "valtakunnalliset-tilastot-2024",
        -640,
        Audience.PUBLIC,
        {},
        ["tilastot"],
        (
            "Vuoden 2024 valtakunnalliset tilastot julkaistu",
            "Kortilla tehtiin yli 60 000 kulttuuri- ja liikuntakäyntiä.",
        ),
        ("", ""),
        ("National statistics for 2024 published", "The card was used for over 60,000 cultural and sports visits."),
    ),
    (
        "koordinaattoritapaaminen-kevat",
        -560,
        Audience.PUBLIC,
        {},
        ["koulutukset"],
        (
            "Koordinaattorien kevättapaaminen Tampereella",
            "Tervetuloa vaihtamaan kokemuksia ja kuulemaan uusista materiaaleista.",
        ),
        ("Koordinatorernas vårträff i Tammerfors", "Välkommen att dela erfarenheter och höra om nya material."),
        ("", ""),
    ),
    (
        "uusi-ohjeistus-2025",
        -480,
        Audience.PUBLIC,
        {},
        ["ajankohtaista"],
        (
            "Valtakunnallisen ohjeistuksen uusi versio",
            "Ohjeistus päivitettiin vastaamaan hyvinvointialueiden rakennetta.",
        ),
        ("", ""),
        ("", ""),
    ),
    (
        "saavutettavuus-kohteissa",
        -400,
        Audience.PUBLIC,
        {},
        ["paikkakunnat"],
        ("Saavutettavuustiedot kohteiden hakuun", "Kohteiden haku kertoo nyt esteettömyydestä ja kuulosilmukoista."),
        ("Tillgänglighetsuppgifter i sökningen", "Sökningen visar nu tillgänglighet och hörselslingor."),
        ("Accessibility in the venue search", "The venue search now tells about step-free access and induction loops."),
    ),
    (
        "verkkokoulutus-myontajille",
        -300,
        Audience.PUBLIC,
        {},
        ["koulutukset"],
        ("Verkkokoulutus kortin myöntäjille", "Uusi verkkokoulutus opastaa kortin myöntämisessä askel askeleelta."),
        ("", ""),
        ("", ""),
    ),
    (
        "raportointi-alkaa",
        -200,
        Audience.COORDINATORS,
        {},
        ["tilastot"],
        (
            "Vuoden raportointi alkaa: vain koordinaattoreille",
            "Täyttäkää paikkakunnan tilastot portaalissa määräpäivään mennessä.",
        ),
        ("Årets rapportering börjar", "Fyll i ortens statistik i portalen före förfallodagen."),
        ("", ""),
    ),
    (
        "kansallinen-seminaari",
        -120,
        Audience.PUBLIC,
        {},
        ["koulutukset", "ajankohtaista"],
        (
            "Kansallinen Kaikukortti-seminaari syksyllä",
            "Seminaarissa esitellään pilottien tuloksia ja uusia toimintamalleja.",
        ),
        ("Nationellt Kaikukortti-seminarium i höst", "Seminariet presenterar pilotförsökens resultat."),
        (
            "National Kaikukortti seminar this autumn",
            "The seminar presents the pilots' results and new ways of working.",
        ),
    ),
    (
        "tietosuojaohje-paivitetty",
        -60,
        Audience.COORDINATORS,
        {"to_acknowledge": True, "reminder_after_days": 14},
        ["ajankohtaista"],
        (
            "Kuitatkaa: päivitetty tietosuojaohje",
            "Lukekaa päivitetty tietosuojaohje ja kuitatkaa se luetuksi portaalin etusivulla.",
        ),
        ("Kvittera: uppdaterad dataskyddsanvisning", "Läs den uppdaterade anvisningen och kvittera den som läst."),
        (
            "Please acknowledge: updated data protection guidance",
            "Read the updated guidance and acknowledge it on the portal's front page.",
        ),
    ),
    (
        "uudet-materiaalit",
        -20,
        Audience.PUBLIC,
        {},
        ["ajankohtaista"],
        ("Uudet esitteet selkosuomeksi", "Kortin esite on nyt saatavilla selkosuomeksi ja ruotsiksi."),
        ("", ""),
        ("", ""),
    ),
    (
        "joulukuun-tiedote",
        -3,
        Audience.PUBLIC,
        {"pinned": True},
        ["ajankohtaista"],
        ("Kaikukeskus on suljettu joulun aikaan", "Vastaamme viesteihin taas loppiaisen jälkeen. Hyvää joulua!"),
        ("Kaikukeskus är stängt under julen", "Vi svarar på meddelanden igen efter trettondagen. God jul!"),
        ("Kaikukeskus is closed over Christmas", "We answer messages again after Epiphany. Merry Christmas!"),
    ),
    (
        "uusi-vuosi-uudet-paikkakunnat",
        1,
        Audience.PUBLIC,
        {},
        ["paikkakunnat"],
        ("Ajastettu: uudet paikkakunnat tammikuussa", "Tämä uutinen julkaistaan huomenna."),
        ("", ""),
        ("", ""),
    ),
]


def _tags() -> dict[str, NewsTag]:
    tags = {}
    for slug, fi, sv, en in TAGS:
        tags[slug], _created = NewsTag.objects.get_or_create(
            slug=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
        )
    return tags


def seed(context: DemoContext) -> None:
    seed_news(context)
    pages_demo.seed(context)
    seed_newsletters(context)


def seed_news(context: DemoContext) -> None:
    tags = _tags()
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    to_acknowledge = None
    for slug, days, audience, flags, tag_slugs, fi, sv, en in ITEMS:
        item = NewsItem.objects.filter(slug=slug).first() or NewsItem(slug=slug)
        if not context.keeps(item):
            item.audience = audience
            item.publish_at = today + datetime.timedelta(days=days)
            for language, (title, body) in (("fi", fi), ("sv", sv), ("en", en)):
                setattr(item, f"title_{language}", title)
                setattr(item, f"body_{language}", P.format(body) if body else "")
            for name, value in flags.items():
                setattr(item, name, value)
            services.news_item_save(actor=context.staff, item=item, tags=[tags[tag] for tag in tag_slugs])
        if item.to_acknowledge:
            to_acknowledge = item
    if to_acknowledge is not None and not to_acknowledge.acknowledgements.exists():
        # A few localities have acknowledged it, so staff see the count and the rest.
        coordinators = Coordinator.objects.active().select_related("user").order_by("locality__name_fi", "pk")[:3]
        for coordinator in coordinators:
            services.news_item_acknowledge(actor=coordinator.user, item=to_acknowledge)
    context.say(f"News: {len(ITEMS)} items, one scheduled for tomorrow, one pinned, one to acknowledge")


# A sent issue (marked sent as it was a month ago, with no messages: seeding mails nobody) and a draft.
NEWSLETTERS = [
    {
        "sent_days_ago": 30,
        "items": ["kaikukortti-laajenee-2025", "valtakunnalliset-tilastot-2024"],
        "title_fi": "Kaikukortin uutiskirje, syksy",
        "intro_fi": "<p>Hyvää syksyä! Kaikukortti on nyt käytössä yhä useammalla paikkakunnalla.</p>",
        "title_sv": "Kaikukortets nyhetsbrev, hösten",
        "intro_sv": "<p>God höst! Kaikukortet används nu på allt fler orter.</p>",
        "title_en": "Kaikukortti newsletter, autumn",
        "intro_en": "<p>Happy autumn! Kaikukortti is now in use in more and more localities.</p>",
    },
    {
        "sent_days_ago": None,
        "items": ["kaikukortti-laajenee-2025"],
        "title_fi": "Kaikukortin uutiskirje, kevät (luonnos)",
        "intro_fi": "<p>Kevään uutiskirje: <strong>koulutukset</strong> ja uudet paikkakunnat.</p>",
        "title_sv": "",
        "intro_sv": "",
        "title_en": "",
        "intro_en": "",
    },
]
SUBSCRIBERS = [
    ("tilaaja@demo.kaikukortti.test", "fi", True),
    ("prenumerant@demo.kaikukortti.test", "sv", True),
    ("reader@demo.kaikukortti.test", "en", True),
    ("entinen.tilaaja@demo.kaikukortti.test", "fi", False),
]


def seed_newsletters(context: DemoContext) -> None:
    now = timezone.now()
    for subscriber_email, language, receiving in SUBSCRIBERS:
        subscriber = Subscriber.objects.filter(email=subscriber_email).first() or Subscriber(email=subscriber_email)
        if not context.keeps(subscriber):
            subscriber.language = language
            subscriber.confirmed_at = now - datetime.timedelta(days=60)
            subscriber.unsubscribed_at = None if receiving else now - datetime.timedelta(days=10)
            history.save(subscriber, actor=context.staff, reason="demo")
    for values in NEWSLETTERS:
        newsletter = Newsletter.objects.filter(title_fi=values["title_fi"]).first() or Newsletter()
        if context.keeps(newsletter):
            continue
        for name, value in values.items():
            if name.startswith(("title_", "intro_")):
                setattr(newsletter, name, value)
        if values["sent_days_ago"] is not None:
            newsletter.sent_at = now - datetime.timedelta(days=values["sent_days_ago"])
            newsletter.sent_by = context.staff  # type: ignore[assignment]
            newsletter.recipients_count = len(selectors.newsletter_recipients(newsletter=newsletter))
        history.save(newsletter, actor=context.staff, reason="demo")
        newsletter.items.set(NewsItem.objects.filter(slug__in=values["items"]))
    context.say(f"Newsletters: one sent, one draft; {len(SUBSCRIBERS)} subscribers")
