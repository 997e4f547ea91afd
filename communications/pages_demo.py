"""Demo site pages (called by `communications.demo.seed`): every page published in Finnish, Swedish and English.

The contact page, the accessibility statement and the privacy notice take the text their templates showed before
they became pages (rendered in each language from the templates themselves, so that nothing is lost); the other
pages have the texts below. Create-missing-only: a page that exists is left as staff wrote it, unless `--reset`."""

import re

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from communications import services
from communications.models.pages import LANGUAGES, PAGES_SERVED_ELSEWHERE, Page
from communications.views import PAGES_WITH_TEMPLATE

_ARTICLE = re.compile(r'<article class="prose">(.*?)</article>', re.S)
_TITLE = re.compile(r"<h1>(.*?)</h1>", re.S)
_FACTS = re.compile(r'<dl class="facts">.*?</dl>', re.S)

TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    Page.Key.ABOUT: {
        "fi": (
            "Mikä Kaikukortti on?",
            "<p>Kaikukortti on maksuton, henkilökohtainen kortti, jolla saa ilmaisia pääsylippuja ja kurssipaikkoja "
            "kulttuuri- ja liikuntakohteisiin. Se on tarkoitettu sosiaali- ja terveyspalvelujen asiakkaille, joilla on "
            "tiukka taloudellinen tilanne.</p>"
            "<h2>Kenelle kortti on?</h2><ul><li>Olet vähintään 16-vuotias tai täytät 16 vuotta tänä vuonna.</li>"
            "<li>Kotikuntasi kuuluu Kaikukortin verkostoon.</li><li>Olet mukana olevan sosiaali-, terveys- tai "
            "hyvinvointipalvelun tai järjestön asiakas.</li><li>Sinulla ei ole varaa lippuihin tai kurssimaksuihin. "
            "Tuloja ei tarvitse todistaa.</li></ul>"
            "<h2>Mitä kortilla saa?</h2><p>Kortilla saat yhden maksuttoman lipun itsellesi ja lisäksi omille alle "
            "18-vuotiaille lapsillesi tai lapsenlapsillesi, kun tulette samaan tapahtumaan. Kortti käy teattereissa, "
            "museoissa, konserteissa, festivaaleilla, tiedekeskuksissa, liikuntapaikoissa ja kansalaisopistojen "
            "kursseilla kaikkialla verkostossa.</p>",
        ),
        "sv": (
            "Vad är Kaikukortet?",
            "<p>Kaikukortet är ett avgiftsfritt, personligt kort som ger gratis biljetter och kursplatser hos kultur- "
            "och idrottsaktörer. Det är avsett för klienter inom social- och hälsovården som har det ekonomiskt "
            "knappt.</p>"
            "<h2>Vem kan få kortet?</h2><ul><li>Du är minst 16 år eller fyller 16 i år.</li><li>Din hemkommun hör "
            "till Kaikukortets nätverk.</li><li>Du är klient hos en deltagande social-, hälso- eller "
            "välfärdstjänst eller organisation.</li><li>Du har inte råd med biljetter eller kursavgifter. Du behöver "
            "inte visa några inkomstuppgifter.</li></ul>"
            "<h2>Vad får man med kortet?</h2><p>Med kortet får du en gratis biljett för dig själv och dessutom för "
            "dina egna barn eller barnbarn under 18 år när ni går på samma evenemang. Kortet gäller på teatrar, "
            "museer, konserter, festivaler, vetenskapscentrum, idrottsplatser och medborgarinstitutens kurser i hela "
            "nätverket.</p>",
        ),
        "en": (
            "What is Kaikukortti?",
            "<p>Kaikukortti is a free, personal card that gives free tickets and course places at cultural and "
            "sports venues. It is meant for clients of social and health services who are short of money.</p>"
            "<h2>Who can get the card?</h2><ul><li>You are at least 16, or turn 16 this year.</li><li>Your home "
            "municipality belongs to the Kaikukortti network.</li><li>You are a client of a participating social, "
            "health or wellbeing service or organisation.</li><li>You cannot afford tickets or course fees. No proof "
            "of income is needed.</li></ul>"
            "<h2>What does the card give?</h2><p>You get one free ticket for yourself, and free tickets for your own "
            "children or grandchildren under 18 when you go to the same event together. The card works at theatres, "
            "museums, concerts, festivals, science centres, sports venues and adult-education courses across the "
            "network.</p>",
        ),
    },
    Page.Key.CARD: {
        "fi": (
            "Miten saan kortin?",
            "<p>Kortin saat siitä sosiaali-, terveys- tai hyvinvointipalvelusta tai järjestöstä, jonka asiakas olet "
            "ja joka jakaa kortteja paikkakunnallasi. Työntekijä arvioi kanssasi, kuulutko kortin piiriin; tuloja ei "
            "tarvitse todistaa.</p><ol><li>Etsi paikkakuntasi sivulta kortinjakajat.</li><li>Kysy korttia "
            "asiakaskäynnillä.</li><li>Kortti on voimassa vuoden; uusit sen samassa paikassa.</li></ol>"
            "<p>Lippuja saat kohteen lipunmyynnistä tai puhelimitse, ei verkkokaupasta. Ota mukaan kortti ja "
            "kuvallinen henkilötodistus.</p>",
        ),
        "sv": (
            "Hur får jag kortet?",
            "<p>Du får kortet av den social-, hälso- eller välfärdstjänst eller organisation där du är klient och som "
            "delar ut kort på din ort. Personalen bedömer tillsammans med dig om kortet är för dig; du behöver inte "
            "visa några inkomstuppgifter.</p><ol><li>Sök kortutdelarna på din orts sida.</li><li>Fråga efter kortet "
            "vid ditt besök.</li><li>Kortet gäller i ett år; du förnyar det på samma ställe.</li></ol>"
            "<p>Biljetterna får du i aktörens biljettkassa eller per telefon, inte i webbutiken. Ta med kortet och "
            "ett identitetskort med foto.</p>",
        ),
        "en": (
            "How do I get the card?",
            "<p>You get the card from the social, health or wellbeing service or organisation where you are a "
            "client and that hands out cards in your locality. The worker judges with you whether the card is for "
            "you; no proof of income is needed.</p><ol><li>Find the issuers on your locality's page.</li><li>Ask "
            "for the card at your visit.</li><li>The card is valid for a year; renew it at the same place.</li></ol>"
            "<p>Get your tickets at the venue's box office or by phone, not from its web shop. Bring the card and a "
            "photo ID.</p>",
        ),
    },
    Page.Key.VENUES: {
        "fi": (
            "Kulttuuri- ja liikuntakohteille",
            "<p>Kohteena annat Kaikukortin haltijalle maksuttoman lipun tai kurssipaikan. Tarjonnan tulisi kattaa "
            "samat palvelut, joihin muutkin alennusryhmät pääsevät. Poikkeustapauksissa voit rajata lippujen määrää "
            "kansallisen toimintamallin mukaisesti.</p><h2>Näin pääset mukaan</h2><ol><li>Ota yhteyttä "
            "paikkakuntasi kulttuuripuolen koordinaattoriin.</li><li>Sitoudu toimintaan koko pilotin ajaksi.</li>"
            "<li>Kirjaa jokainen käyttökerta kortin numerolla.</li></ol><p>Kohteille ei makseta korvausta: mukana "
            "ollaan yhdenvertaisen kulttuurin puolesta.</p>",
        ),
        "sv": (
            "För kultur- och idrottsaktörer",
            "<p>Som aktör ger du kortinnehavaren en gratis biljett eller kursplats. Erbjudandet bör omfatta samma "
            "tjänster som andra rabattgrupper får. I undantagsfall kan du begränsa antalet biljetter enligt den "
            "nationella verksamhetsmodellen.</p><h2>Så kommer du med</h2><ol><li>Kontakta kultursidans koordinator "
            "på din ort.</li><li>Förbind dig till verksamheten för hela pilotperioden.</li><li>Registrera varje "
            "användning med kortets nummer.</li></ol><p>Aktörerna får ingen ersättning: de deltar för en jämlik "
            "kultur.</p>",
        ),
        "en": (
            "For venues",
            "<p>As a venue you give the card holder a free ticket or course place. The offer should cover the same "
            "services that other discount groups get. In exceptional cases you may limit the number of tickets as "
            "the national guideline allows.</p><h2>How to join</h2><ol><li>Contact the culture-side coordinator of "
            "your locality.</li><li>Commit to the activities for the whole pilot.</li><li>Record each use with the "
            "card's number.</li></ol><p>Venues are not paid: they take part for culture that is open to all.</p>",
        ),
    },
    Page.Key.ISSUERS: {
        "fi": (
            "Kortinjakajille",
            "<p>Kortinjakaja on sosiaali-, terveys- tai hyvinvointipalvelu tai järjestö, joka antaa kortin "
            "asiakkailleen. Kaikukortti ei ole harkinnanvarainen etuus: jokaisen asiakastyötä tekevän tulisi kertoa "
            "kortista jokaiselle kohderyhmään kuuluvalle asiakkaalle.</p><h2>Näin jaat kortteja</h2><ol><li>Sovi "
            "mukaantulosta paikkakuntasi sosiaali- ja terveyspuolen koordinaattorin kanssa.</li><li>Osallistu "
            "perehdytykseen.</li><li>Rekisteröi jokainen kortti sitä antaessasi.</li></ol>",
        ),
        "sv": (
            "För kortutdelare",
            "<p>En kortutdelare är en social-, hälso- eller välfärdstjänst eller organisation som ger kortet till "
            "sina klienter. Kaikukortet är ingen behovsprövad förmån: var och en som arbetar med klienter bör berätta "
            "om kortet för varje klient i målgruppen.</p><h2>Så delar du ut kort</h2><ol><li>Kom överens om att "
            "delta med koordinatorn för social- och hälsovården på din ort.</li><li>Delta i introduktionen.</li>"
            "<li>Registrera varje kort när du ger det.</li></ol>",
        ),
        "en": (
            "For issuers",
            "<p>An issuer is a social, health or wellbeing service or an organisation that gives the card to its "
            "clients. Kaikukortti is not a discretionary benefit: everyone working with clients should tell every "
            "client in the target group about it.</p><h2>How to hand out cards</h2><ol><li>Agree on joining with "
            "the social and health coordinator of your locality.</li><li>Take part in the introduction.</li>"
            "<li>Register each card when you give it.</li></ol>",
        ),
    },
    Page.Key.MUNICIPALITIES: {
        "fi": (
            "Kunnille ja hyvinvointialueille",
            "<p>Kaikukortin voi ottaa käyttöön kunta, kuntien ryhmä tai hyvinvointialue yhteistyössä Kaikukeskuksen "
            "kanssa. Ota yhteyttä mahdollisimman varhain.</p><h2>Käyttöönotto vaiheittain</h2><ol>"
            "<li>Aloite ja yhteydenotto Kaikukeskukseen.</li><li>Paikallinen työpari: koordinaattori kulttuuri- ja "
            "sote-puolelta.</li><li>Päätökset molemmilla sektoreilla ja sopimus Kaikukeskuksen kanssa.</li>"
            "<li>Kohteiden ja kortinjakajien rekrytointi ja sitoumukset.</li><li>Perehdytys, materiaalit ja "
            "paikallinen verkkosivu.</li><li>Pilotin aloitus ja palautetapaaminen Kaikukeskuksen kanssa.</li>"
            "<li>Päätös pysyvästä käytöstä.</li></ol><p>Kortti on haltijalle maksuton; paikallinen painatus ja "
            "viestintä ovat alueen kuluja.</p>",
        ),
        "sv": (
            "För kommuner och välfärdsområden",
            "<p>En kommun, en grupp av kommuner eller ett välfärdsområde kan ta Kaikukortet i bruk i samarbete med "
            "Kaikukeskus. Ta kontakt så tidigt som möjligt.</p><h2>Ibruktagandet steg för steg</h2><ol>"
            "<li>Initiativ och kontakt med Kaikukeskus.</li><li>Ett lokalt arbetspar: en koordinator inom kulturen "
            "och en inom social- och hälsovården.</li><li>Beslut inom båda sektorerna och avtal med Kaikukeskus.</li>"
            "<li>Aktörer och kortutdelare rekryteras och förbinder sig.</li><li>Introduktion, material och en lokal "
            "webbsida.</li><li>Piloten inleds och ett responsmöte hålls med Kaikukeskus.</li><li>Beslut om "
            "permanent användning.</li></ol><p>Kortet är gratis för innehavaren; lokalt tryck och kommunikation "
            "bekostas av området.</p>",
        ),
        "en": (
            "For municipalities",
            "<p>A municipality, a group of municipalities or a wellbeing services county can take Kaikukortti into "
            "use together with Kaikukeskus. Contact us as early as you can.</p><h2>Adoption step by step</h2><ol>"
            "<li>An initiative and a first contact with Kaikukeskus.</li><li>A local working pair: a coordinator on "
            "the culture side and one on the social and health side.</li><li>Decisions in both sectors and an "
            "agreement with Kaikukeskus.</li><li>Venues and issuers recruited and committed.</li><li>Training, "
            "materials and a local web page.</li><li>The pilot starts, and a feedback meeting with Kaikukeskus "
            "follows.</li><li>A decision on permanent use.</li></ol><p>The card is free for its holder; local "
            "printing and communication are the area's costs.</p>",
        ),
    },
}


def template_text(key: str, language: str) -> tuple[str, str]:
    """The title and body a page's former template shows in `language` (the contact details are the page's own
    part, not its text)."""
    request = RequestFactory().get("/")
    with translation.override(language):
        html = render_to_string(PAGES_WITH_TEMPLATE[key], {}, request=request)
    article = _ARTICLE.search(html)
    if article is None:
        raise ValueError(f"no article in {PAGES_WITH_TEMPLATE[key]}")
    body = article.group(1)
    title = _TITLE.search(body)
    body = _FACTS.sub("", _TITLE.sub("", body, count=1))
    return (title.group(1).strip() if title else ""), body.strip()


def page_texts(key: str) -> dict[str, tuple[str, str]]:
    if key in TEXTS:
        return TEXTS[key]
    return {language: template_text(key, language) for language in LANGUAGES}


def seed(context) -> None:
    existing = {page.key: page for page in Page.objects.all()}
    created = 0
    for key in Page.Key.values:
        if key in PAGES_SERVED_ELSEWHERE:
            continue  # /join/ keeps its template's fuller text (steps, a timeline table) until staff write one
        page = existing.get(key)
        if context.keeps(page):
            continue
        page = page or Page(key=key)
        for language, (title, body) in page_texts(key).items():
            setattr(page, f"draft_title_{language}", title)
            setattr(page, f"draft_body_{language}", body)
        services.page_save_draft(actor=context.staff, page=page)
        services.page_publish(actor=context.staff, page=page)
        created += 1
    if created:
        context.say(f"site pages: {created} written and published")
