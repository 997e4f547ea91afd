"""Support's demo data: questions in every state for several localities (one with an internal note, one with an
attachment), a dozen knowledge base articles of each visibility, canned replies and consultation slots with
bookings. Rows are found by natural keys (a question by locality and subject, an article by slug, a canned reply
by title, a slot by its note) and created when missing."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from kaikukeskus.demo import DemoContext, coordinator_email
from kaikukeskus.models import User
from localities.models import Locality
from support.models import Article, Attachment, Booking, CannedReply, Category, Message, Question, Slot
from support.services import first_reply_due

State = Question.State
V = Article.Visibility

QUESTIONS = [
    # locality slug, subject, category, state, days ago, question, reply (or ""), internal note (or "")
    (
        "kainuu",
        "Kortteja ei ole enää jäljellä",
        Category.CARDS,
        State.NEW,
        0,
        "Kortit loppuivat. Mistä saamme lisää?",
        "",
        "",
    ),
    (
        "kainuu",
        "Tilastojen korjaus lähettämisen jälkeen",
        Category.STATISTICS,
        State.OPEN,
        6,
        "Huomasimme virheen jo lähetetyssä raportissa. Miten sen voi korjata?",
        "",
        "Soitin koordinaattorille: he lähettävät korjatut luvut viikon sisällä.",
    ),
    (
        "tornio",
        "Ruotsinkielinen esite",
        Category.MATERIALS,
        State.WAITING,
        4,
        "Onko esitteestä ruotsinkielistä versiota?",
        "On. Tarvitsetteko painetun vai sähköisen version?",
        "",
    ),
    (
        "tornio",
        "Uuden kohteen sopimus",
        Category.PARTNERS,
        State.ANSWERED,
        3,
        "Liitteenä sopimusluonnos uudelle kohteelle. Voiko sitä käyttää näin?",
        "Luonnos on hyvä. Lisätkää kohtaan 3 saattajan maksuttomuus.",
        "",
    ),
    (
        "vaasa",
        "Pilotin väliarviointi",
        Category.PILOT,
        State.CLOSED,
        30,
        "Milloin pilotin väliarviointi pidetään?",
        "Väliarviointi pidetään kuuden kuukauden kohdalla.",
        "",
    ),
    (
        "vaasa",
        "Saavutettavuustietojen kerääminen",
        Category.ACCESSIBILITY,
        State.ANSWERED,
        2,
        "Miten kohteiden saavutettavuustiedot kerätään?",
        "Käyttäkää kansallista tarkistuslistaa portaalissa.",
        "",
    ),
]
ATTACHED = "Uuden kohteen sopimus"
PDF = b"%PDF-1.4\n% Kaikukortti demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ARTICLE_TOPICS = [
    ("kortit", "Kortit", "Korten", "Cards", Category.CARDS),
    ("tilastot", "Tilastointi", "Statistik", "Statistics", Category.STATISTICS),
    ("pilotti", "Pilotin vaiheet", "Pilotens skeden", "The pilot's stages", Category.PILOT),
    ("kumppanit", "Kumppanit", "Partner", "Partners", Category.PARTNERS),
    ("materiaalit", "Materiaalit", "Material", "Materials", Category.MATERIALS),
    ("saavutettavuus", "Saavutettavuus", "Tillgänglighet", "Accessibility", Category.ACCESSIBILITY),
]
ARTICLES_PER_VISIBILITY = 12

CANNED = [
    (
        "Kiitos kysymyksestä",
        Category.OTHER,
        "Kiitos kysymyksestä! Palaamme asiaan kolmen arkipäivän kuluessa.",
        "Tack för frågan! Vi återkommer inom tre arbetsdagar.",
        "Thank you for the question! We will get back to you within three working days.",
    ),
    (
        "Tilastojen korjaus",
        Category.STATISTICS,
        "Palautamme raportin teille korjattavaksi. Korjatkaa luvut ja lähettäkää raportti uudelleen portaalissa.",
        "Vi returnerar rapporten för korrigering. Korrigera siffrorna och skicka rapporten på nytt i portalen.",
        "We return the report to you for correction. Correct the figures and submit it again in the portal.",
    ),
    (
        "Materiaalipankki",
        Category.MATERIALS,
        "Ajantasaiset materiaalit löytyvät portaalin materiaalipankista suomeksi, ruotsiksi ja englanniksi.",
        "Aktuellt material finns i portalens materialbank på finska, svenska och engelska.",
        "The current materials are in the portal's material bank in Finnish, Swedish and English.",
    ),
]


def seed(context: DemoContext) -> None:
    staff = context.staff or User.objects.national_staff().first()
    localities = {locality.slug: locality for locality in Locality.objects.filter(slug__in={q[0] for q in QUESTIONS})}
    made = 0
    for slug, subject, category, state, days_ago, body, reply, note in QUESTIONS:
        locality = localities.get(slug)
        if locality is None or Question.objects.filter(locality=locality, subject=subject).exists():
            continue
        asker = User.objects.filter(email=coordinator_email(slug)).first()
        asked_at = timezone.now() - datetime.timedelta(days=days_ago, hours=2)
        question = Question.objects.create(
            locality=locality,
            asked_by=asker,
            category=category,
            subject=subject,
            state=state,
            assignee=staff,
            asked_at=asked_at,
            last_message_at=asked_at,
            due_on=first_reply_due(timezone.localdate(asked_at)),
        )
        message = Message.objects.create(question=question, author=asker, body=body, created_at=asked_at)
        if subject == ATTACHED:
            attachment = Attachment(message=message, original_name="Sopimusluonnos.pdf", size=len(PDF))
            attachment.file.save("Sopimusluonnos.pdf", ContentFile(PDF), save=False)
            attachment.save()
        if note:
            Message.objects.create(
                question=question, author=staff, body=note, is_internal=True, by_staff=True, created_at=asked_at
            )
        if reply:
            replied_at = asked_at + datetime.timedelta(days=1)
            Message.objects.create(question=question, author=staff, body=reply, by_staff=True, created_at=replied_at)
            Question.objects.filter(pk=question.pk).update(
                done_on=timezone.localdate(replied_at), done_by=staff, last_message_at=replied_at
            )
        made += 1
    for title, category, body_fi, body_sv, body_en in CANNED:
        CannedReply.objects.get_or_create(
            title=title, defaults={"category": category, "body_fi": body_fi, "body_sv": body_sv, "body_en": body_en}
        )
    articles = _articles()
    _slots(localities)
    context.say(f"Support: {made} questions, {articles} articles, {len(CANNED)} canned replies, consultation slots")


def _articles() -> int:
    made = 0
    for visibility in V.values:
        for number in range(ARTICLES_PER_VISIBILITY):
            key, fi, sv, en, category = ARTICLE_TOPICS[number % len(ARTICLE_TOPICS)]
            slug = f"{key}-{visibility}-{number + 1}"
            # Every third one is left untranslated: shown in Finnish with a label.
            translated = number % 3 != 2
            _article, created = Article.objects.get_or_create(
                slug=slug,
                defaults={
                    "title_fi": f"{fi}: kysymys {number + 1}",
                    "title_sv": f"{sv}: fråga {number + 1}" if translated else "",
                    "title_en": f"{en}: question {number + 1}" if translated else "",
                    "body_fi": f"Vastaus aiheesta {fi.lower()}. Katso myös toimintamalli.",
                    "body_sv": f"Svar om {sv.lower()}. Se även verksamhetsmodellen." if translated else "",
                    "body_en": f"An answer about {en.lower()}. See the guideline too." if translated else "",
                    "category": category,
                    "visibility": visibility,
                    "is_published": True,
                },
            )
            made += created
    return made


def _slots(localities: dict[str, Locality]) -> None:
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    for number in range(6):
        note = f"Demo {number + 1}"
        if Slot.objects.filter(note=note).exists():
            continue
        slot = Slot.objects.create(
            starts_at=start + datetime.timedelta(days=2 + 2 * number),
            length=45,
            online_link=f"https://meet.kaikukortti.test/konsultaatio-{number + 1}",
            capacity=2 if number % 2 else 1,
            change_limit_hours=24,
            note=note,
        )
        locality = list(localities.values())[number % len(localities)] if localities and number < 3 else None
        if locality is not None:
            Booking.objects.create(
                slot=slot,
                locality=locality,
                topic="Pilotin käynnistäminen",
                booked_by=User.objects.filter(email=coordinator_email(locality.slug)).first(),
            )
