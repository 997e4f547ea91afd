"""Demo materials for `seed_demo`: the national guideline in two published versions (the 2022 English one and the
2024 Finnish one, as demo records of the real documents) and a 2026 draft open for comments with a few comments,
and eight other materials of different kinds, audiences and languages, one for coordinators only. Every file is
real: PDFs rendered by WeasyPrint from demo text (each once per process: `_pdf` is cached), a minimal DOCX, an
SVG and a PNG logo. Rows are found by natural keys (slug; material and label; version, language and format); what
is missing is added, what exists is left as staff may have edited it (unless `--reset`). The demo versions are
written as records with their real dates, not published through the service, so seeding e-mails nobody."""

import datetime
import functools
import struct
import zipfile
import zlib
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from kaikukeskus import uploads
from kaikukeskus.demo import DemoContext, coordinator_email
from materials import services
from materials.models import (
    Consultation,
    ConsultationComment,
    ConsultationPartner,
    Material,
    MaterialFile,
    MaterialVersion,
)

S = MaterialVersion.Status

GUIDELINE_SLUG = "valtakunnallinen-toimintamalli"

# slug, kind, audience, visibility, titles fi/sv/en, descriptions fi/sv/en
MATERIALS = [
    (
        GUIDELINE_SLUG,
        "guideline",
        "public",
        "public",
        (
            "Kaikukortin valtakunnallinen toimintamalli",
            "Kaikukortets nationella verksamhetsmodell",
            "Kaikukortti national guideline",
        ),
        (
            "Kaikukortin käytön periaatteet: kortin saajat, jakajat, kohteet ja vastuuhenkilöiden tehtävät. "
            "Voimassa toistaiseksi.",
            "Principerna för Kaikukortet: vem som får kortet, utdelare, mottagare och ansvarspersonernas uppgifter.",
            "How Kaikukortti works: who gets the card, issuers, venues and the coordinators' tasks.",
        ),
    ),
    (
        "jakajan-kasikirja",
        "manual",
        "issuers",
        "public",
        ("Kaikukortin jakajan käsikirja", "Handbok för utdelare av Kaikukortet", "Handbook for card issuers"),
        (
            "Kenelle kortti annetaan, miten se rekisteröidään Kaikukantaan ja miten asiakkaalle kerrotaan kortista.",
            "Vem som får kortet, hur det registreras i Kaikukanta och hur kunden informeras.",
            "Who gets the card, how it is registered in Kaikukanta and how to tell the client about it.",
        ),
    ),
    (
        "kohteen-kasikirja",
        "manual",
        "venues",
        "public",
        ("Kaikukortin kohteen käsikirja", "Handbok för mottagare av Kaikukortet", "Handbook for venues"),
        (
            "Miten kortilla tullut asiakas otetaan vastaan ja miten käynti kirjataan.",
            "Hur en kund med kortet tas emot och hur besöket registreras.",
            "How to welcome a cardholder and log the visit.",
        ),
    ),
    (
        "perehdytysdiat",
        "slides",
        "issuers",
        "public",
        ("Perehdytysdiat jakajille", "Introduktionsbilder för utdelare", "Introductory slides for issuers"),
        (
            "Diasarja henkilöstön vuosittaiseen perehdytykseen.",
            "Bildspel för personalens årliga introduktion.",
            "Slides for the staff's yearly introduction.",
        ),
    ),
    (
        "muistilista-kohteille",
        "checklist",
        "venues",
        "public",
        ("Muistilista kohteille", "Checklista för mottagare", "Checklist for venues"),
        (
            "Tärkeimmät asiat yhdellä sivulla lipunmyyntiin.",
            "Det viktigaste på en sida för biljettförsäljningen.",
            "The essentials on one page for the box office.",
        ),
    ),
    (
        "kaikukanta-kayttooikeudet",
        "manual",
        "coordinators",
        "coordinators",
        (
            "Kaikukannan käyttöoikeuksien hallinta",
            "Hantering av användarrättigheter i Kaikukanta",
            "Managing Kaikukanta user rights",
        ),
        (
            "Vastuuhenkilöille: miten jakajien ja kohteiden käyttäjät lisätään ja poistetaan.",
            "För ansvarspersoner: hur utdelarnas och mottagarnas användare läggs till och tas bort.",
            "For coordinators: adding and removing issuers' and venues' users.",
        ),
    ),
    (
        "kaikukortti-logo",
        "logo",
        "coordinators",
        "public",
        ("Kaikukortin logo", "Kaikukortets logotyp", "Kaikukortti logo"),
        (
            "Kaikukortti® on rekisteröity tavaramerkki. Logoa käytetään paikallisissa materiaaleissa ohjeen mukaan.",
            "Kaikukortti® är ett registrerat varumärke.",
            "Kaikukortti® is a registered trademark.",
        ),
    ),
    (
        "hyodyt-ja-vaikutukset-2023",
        "report",
        "public",
        "public",
        (
            "Kaikukortin hyötyjä ja vaikutuksia",
            "Kaikukortets nytta och effekter",
            "Benefits and impacts of Kaikukortti",
        ),
        (
            "Koonti kyselyistä ja tilastoista, 13.3.2023.",
            "Sammanställning av enkäter och statistik, 13.3.2023.",
            "A summary of surveys and statistics, 13 March 2023.",
        ),
    ),
    (
        "kommunalvalskort-2021",
        "brochure_template",
        "public",
        "public",
        ("Kuntavaalikortti 2021", "Kaikukortti-kommunalvalskort 2021", "Municipal election card 2021"),
        ("Ruotsinkielinen esite kuntavaaleihin.", "Ett kort inför kommunalvalet.", "A Swedish flyer for the election."),
    ),
]

# slug -> versions: label, status, published on, changes fi/sv/en, files [(language, format)]
VERSIONS = {
    GUIDELINE_SLUG: [
        (
            "2022",
            S.SUPERSEDED,
            datetime.date(2021, 12, 8),
            ("Englanninkielinen käännös.", "Engelsk översättning.", "The English translation (updated 8 Dec 2021)."),
            [("en", "pdf")],
        ),
        (
            "2024",
            S.PUBLISHED,
            datetime.date(2024, 1, 3),
            (
                "Päivitetty hyvinvointialueuudistuksen mukaiseksi: jakajien koordinointi siirtyy hyvinvointialueille.",
                "Uppdaterad enligt välfärdsområdesreformen: samordningen av utdelarna övergår till välfärdsområdena.",
                "Updated for the wellbeing services county reform: counties coordinate the issuers.",
            ),
            [("fi", "pdf"), ("fi", "docx")],
        ),
        (
            "2026",
            S.DRAFT,
            None,
            (
                "Luonnos: uusi luku yhteisökorteista ja tarkennettu tilastointiohje.",
                "Utkast: ett nytt kapitel om gemenskapskort och en preciserad statistikanvisning.",
                "Draft: a new chapter on community cards and clearer statistics guidance.",
            ),
            [("fi", "pdf")],
        ),
    ],
    "jakajan-kasikirja": [
        ("2023", S.PUBLISHED, datetime.date(2023, 8, 15), ("", "", ""), [("fi", "pdf"), ("sv", "pdf")])
    ],
    "kohteen-kasikirja": [
        (
            "2022",
            S.SUPERSEDED,
            datetime.date(2022, 5, 2),
            ("Ensimmäinen versio.", "Första versionen.", "First version."),
            [("fi", "pdf"), ("sv", "pdf")],
        ),
        (
            "2024",
            S.PUBLISHED,
            datetime.date(2024, 2, 20),
            ("Kirjausohje päivitetty.", "Registreringsanvisningen uppdaterad.", "Logging instructions updated."),
            [("fi", "pdf")],
        ),
    ],
    "perehdytysdiat": [("2024", S.PUBLISHED, datetime.date(2024, 3, 1), ("", "", ""), [("fi", "pdf")])],
    "muistilista-kohteille": [
        (
            "2024",
            S.PUBLISHED,
            datetime.date(2024, 4, 10),
            ("", "", ""),
            [("fi", "pdf"), ("sv", "pdf"), ("fi-plain", "pdf")],
        )
    ],
    "kaikukanta-kayttooikeudet": [("2025", S.PUBLISHED, datetime.date(2025, 1, 20), ("", "", ""), [("fi", "pdf")])],
    "kaikukortti-logo": [
        ("2020", S.PUBLISHED, datetime.date(2020, 6, 1), ("", "", ""), [("other", "svg"), ("other", "png")])
    ],
    "hyodyt-ja-vaikutukset-2023": [("2023", S.PUBLISHED, datetime.date(2023, 3, 13), ("", "", ""), [("fi", "pdf")])],
    "kommunalvalskort-2021": [("2021", S.PUBLISHED, datetime.date(2021, 3, 1), ("", "", ""), [("sv", "pdf")])],
}

# The introductory materials a visitor looks for first: the card holder's brochure (in plain Finnish too) and the
# introductions for issuers, venues and municipalities, each with its own text in every language it has.
INTRODUCTIONS = [
    (
        "kaikukortti-esite",
        "introductory",
        "public",
        "public",
        (
            "Kaikukortti – esite kortin haltijalle",
            "Kaikukortet – broschyr för kortinnehavaren",
            "Kaikukortti – a brochure for the card holder",
        ),
        (
            "Mikä Kaikukortti on, kuka sen saa ja miten sillä pääsee maksutta kulttuuri- ja liikuntakohteisiin.",
            "Vad Kaikukortet är, vem som får det och hur man med det kommer in gratis på kultur- och idrottsmål.",
            "What Kaikukortti is, who gets it and how it opens culture and sports venues free of charge.",
        ),
        {
            "fi": "Kaikukortilla pääset maksutta teatteriin, konserttiin, museoon, festivaaleille, kursseille ja "
            "liikuntapaikkoihin. Kortin saat sosiaali- tai terveyspalvelusta tai järjestöstä, jonka asiakas olet. "
            "Näytä kortti lippukassalla: lippu on sinulle ilmainen, ja voit ottaa mukaan lapsesi.",
            "sv": "Med Kaikukortet kommer du gratis in på teater, konserter, museer, festivaler, kurser och "
            "idrottsplatser. Du får kortet av den social- eller hälsovårdstjänst eller organisation vars klient du "
            "är. Visa kortet i biljettkassan: biljetten är gratis för dig, och du kan ta med dina barn.",
            "en": "With Kaikukortti you get free tickets to theatres, concerts, museums, festivals, courses and sports "
            "venues. You get the card from the social or health service or the organisation whose client you are. "
            "Show the card at the box office: your ticket is free, and you can bring your children.",
            "fi-plain": "Kaikukortti on ilmainen kortti. Kortilla pääset ilmaiseksi teatteriin, museoon ja "
            "uimahalliin. Saat kortin sosiaalityöntekijältä tai järjestöstä. Näytä kortti kassalla.",
        },
    ),
    (
        "esittely-kortinjakajille",
        "introductory",
        "issuers",
        "public",
        (
            "Kaikukortti – esittely kortinjakajille",
            "Kaikukortet – presentation för kortutdelare",
            "Kaikukortti – an introduction for issuers",
        ),
        (
            "Kenelle korttia voi jakaa, miten kortti annetaan asiakkaalle ja mitä jakajalta odotetaan.",
            "Vem kortet kan delas ut till, hur det ges till klienten och vad som förväntas av utdelaren.",
            "Whom the card is for, how it is given to a client and what an issuer does.",
        ),
        {
            "fi": "Kortinjakaja on sosiaali-, terveys- tai hyvinvointipalvelun yksikkö tai järjestö. Anna kortti "
            "asiakkaalle, jonka taloudellinen tilanne estää kulttuuriin ja liikuntaan osallistumisen. Kirjaa kortti "
            "ja kerro, mistä kohteet löytyvät.",
            "sv": "En kortutdelare är en enhet inom social-, hälso- eller välfärdstjänsterna eller en organisation. "
            "Ge kortet till en klient vars ekonomiska situation hindrar deltagande i kultur och idrott. Registrera "
            "kortet och berätta var besöksmålen finns.",
            "en": "An issuer is a social, health or wellbeing service unit or an organisation. Give the card to a "
            "client whose finances keep them from culture and sports. Register the card and tell them where the "
            "venues are.",
        },
    ),
    (
        "esittely-kayttokohteille",
        "introductory",
        "venues",
        "public",
        (
            "Kaikukortti – esittely käyttökohteille",
            "Kaikukortet – presentation för besöksmål",
            "Kaikukortti – an introduction for venues",
        ),
        (
            "Mitä käyttökohteeksi ryhtyminen tarkoittaa: lippukiintiö, kirjaaminen ja tilastointi.",
            "Vad det innebär att bli besöksmål: biljettkvot, registrering och statistik.",
            "What becoming a venue means: a ticket quota, logging the uses and the statistics.",
        ),
        {
            "fi": "Käyttökohde antaa Kaikukortin haltijalle maksuttoman lipun tai kurssipaikan sovitun kiintiön "
            "puitteissa. Kirjaa jokainen käyttökerta, niin paikkakunta saa tilastot vuoden lopussa.",
            "sv": "Ett besöksmål ger Kaikukortets innehavare en gratis biljett eller kursplats inom en avtalad kvot. "
            "Registrera varje användning, så får orten statistiken vid årets slut.",
            "en": "A venue gives the card holder a free ticket or course place within an agreed quota. Log every use, "
            "so that the locality has its statistics at the end of the year.",
        },
    ),
    (
        "esittely-kunnille",
        "introductory",
        "public",
        "public",
        (
            "Kaikukortti – esittely kunnille ja hyvinvointialueille",
            "Kaikukortet – presentation för kommuner och välfärdsområden",
            "Kaikukortti – an introduction for municipalities and counties",
        ),
        (
            "Miten Kaikukortti otetaan käyttöön: pilotti, paikallinen työpari ja Kaikukeskuksen tuki.",
            "Hur Kaikukortet tas i bruk: pilot, lokalt arbetspar och stöd från Kaikukeskus.",
            "How a locality starts Kaikukortti: a pilot, a local working pair and Kaikukeskus's support.",
        ),
        {
            "fi": "Kunta tai hyvinvointialue aloittaa Kaikukortin pilotilla. Kulttuuripuolen ja sosiaali- ja "
            "terveyspuolen koordinaattorit kokoavat jakajat ja kohteet, ja Kaikukeskus kouluttaa ja tukee.",
            "sv": "En kommun eller ett välfärdsområde börjar med en pilot. Koordinatorerna inom kultur och inom "
            "social- och hälsovård samlar utdelare och besöksmål, och Kaikukeskus utbildar och stöder.",
            "en": "A municipality or wellbeing services county starts with a pilot. The culture and the social and "
            "health coordinators gather issuers and venues, and Kaikukeskus trains and supports them.",
        },
    ),
]
INTRODUCTION_TEXT = {(row[0], language): text for row in INTRODUCTIONS for language, text in row[6].items()}
MATERIALS += [row[:6] for row in INTRODUCTIONS]
VERSIONS.update(
    {
        row[0]: [
            (
                "2026",
                S.PUBLISHED,
                datetime.date(2026, 1, 15),
                ("Ensimmäinen versio.", "Första versionen.", "First version."),
                [(language, "pdf") for language in row[6]],
            )
        ]
        for row in INTRODUCTIONS
    }
)

DEMO_TEXT = {
    "fi": "Tämä on demoaineiston tiedosto. Kaikukortti on maksuton kortti, jolla sosiaali- ja terveyspalvelujen "
    "asiakkaat pääsevät kulttuuri- ja liikuntakohteisiin.",
    "sv": "Det här är en fil i demodata. Kaikukortet är ett avgiftsfritt kort som ger klienter inom social- och "
    "hälsovården fritt inträde till kultur- och idrottsmål.",
    "en": "This is a demo file. Kaikukortti is a free card that gives clients of social and health services free "
    "tickets to culture and sports venues.",
    "fi-plain": "Tämä on demotiedosto selkokielellä. "
    "Kaikukortilla pääset ilmaiseksi teatteriin, museoon ja uimahalliin.",
    "other": "Kaikukortti",
}


@functools.cache
def _pdf(title: str, subtitle: str, text: str) -> bytes:
    """A one-page PDF of demo text, rendered once per process."""
    from weasyprint import HTML

    html = (
        "<html><head><style>body{font-family:sans-serif;margin:2cm}h1{color:#1b5e20}</style></head><body>"
        f"<h1>{escape(title)}</h1><h2>{escape(subtitle)}</h2><p>{escape(text)}</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _docx(text: str) -> bytes:
    """A minimal Word document (the three parts Word needs)."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{uploads.OOXML_MAIN["docx"]}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


LOGO_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" width="240" height="80" '
    b'viewBox="0 0 240 80"><rect width="240" height="80" rx="12" fill="#1b5e20"/>'
    b'<text x="120" y="50" font-family="sans-serif" font-size="28" fill="#fff" text-anchor="middle">'
    b"Kaikukortti</text></svg>"
)


def _png() -> bytes:
    """A small green PNG (8×8)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1b\x5e\x20" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _content(material: Material, version: MaterialVersion, language: str, fmt: str) -> bytes:
    if fmt == "svg":
        return LOGO_SVG
    if fmt == "png":
        return _png()
    title = material.title_sv if language == "sv" and material.title_sv else material.title_fi
    if language == "en":
        title = material.title_en or title
    text = INTRODUCTION_TEXT.get((material.slug, language)) or DEMO_TEXT[language]
    if fmt == "docx":
        return _docx(f"{title} {version.label}. {text}")
    return _pdf(title, version.label, text)


def _material(context: DemoContext, row) -> Material:
    slug, kind, audience, visibility, titles, descriptions = row
    material = Material.objects.filter(slug=slug).first() or Material(slug=slug)
    if context.keeps(material):
        return material
    values = {
        "kind": kind,
        "audience": audience,
        "visibility": visibility,
        **dict(zip(("title_fi", "title_sv", "title_en"), titles, strict=True)),
        **dict(zip(("description_fi", "description_sv", "description_en"), descriptions, strict=True)),
    }
    if material.pk and all(getattr(material, name) == value for name, value in values.items()):
        return material
    for name, value in values.items():
        setattr(material, name, value)
    return services.material_save(actor=context.staff, material=material)


def _version(context: DemoContext, material: Material, row) -> MaterialVersion:
    label, status, published_on, changes, files = row
    version = MaterialVersion.objects.filter(material=material, label=label).first()
    if version is None:
        version = MaterialVersion(material=material, label=label)
        version.changes_fi, version.changes_sv, version.changes_en = changes
        version.status = status
        version.published_on = published_on
        if published_on:
            version.published_at = timezone.make_aware(datetime.datetime.combine(published_on, datetime.time(9)))
            version.published_by = context.staff
            version.followers_notified_at = version.published_at  # a record of the past: nobody to tell now
        version._history_user = context.staff
        version.full_clean()
        version.save()
    for language, fmt in files:
        if not version.files.filter(language=language, format=fmt).exists():
            _file(context, version, language, fmt)
    return version


def _file(context: DemoContext, version: MaterialVersion, language: str, fmt: str) -> None:
    content = _content(version.material, version, language, fmt)
    upload = SimpleUploadedFile(f"{version.material.slug}-{version.label}.{fmt}", content)
    uploads.validate_upload(upload)
    material_file = MaterialFile(version=version, language=language, uploaded_by=context.staff)
    material_file.fill_from_upload(upload)
    material_file.file = upload
    material_file.save()


def _consultation(context: DemoContext, draft: MaterialVersion) -> None:
    """The 2026 draft of the guideline is open for comments for another three weeks, with three comments: two
    coordinators' (one answered) and a named partner's."""
    consultation = Consultation.objects.filter(version=draft).first()
    if consultation is None:
        consultation = Consultation(
            version=draft,
            closes_on=timezone.localdate() + datetime.timedelta(days=21),
            introduction="Kommentoikaa erityisesti uutta yhteisökorttien lukua (luku 4).",
            opened_by=context.staff,
        )
        consultation.full_clean()
        consultation.save()
    elif context.reset and consultation.closes_on < timezone.localdate():
        consultation.closes_on = timezone.localdate() + datetime.timedelta(days=21)
        consultation.save(update_fields=["closes_on"])
    partner, _created = ConsultationPartner.objects.get_or_create(
        consultation=consultation,
        email="kirjasto@partner.example.fi",
        defaults={"name": "Liisa Lukkari", "organisation": "Kajaanin kaupunginkirjasto"},
    )
    if consultation.comments.exists():
        return
    users = get_user_model().objects.in_bulk(
        [coordinator_email("kainuu"), coordinator_email("tornio")], field_name="email"
    )
    kainuu, tornio = users.get(coordinator_email("kainuu")), users.get(coordinator_email("tornio"))
    if kainuu:
        comment = services.consultation_comment_add(
            consultation=consultation,
            actor=kainuu,
            section="4.2",
            body="Yhteisökortin lainausaika kannattaa kirjata selvemmin: meillä kortti palautetaan samana päivänä.",
        )
        services.consultation_comment_answer(
            actor=context.staff,
            comment=comment,
            status=ConsultationComment.Status.ACCEPTED,
            reply="Kiitos, lisäämme lainausajan lukuun 4.2.",
        )
    if tornio:
        services.consultation_comment_add(
            consultation=consultation,
            actor=tornio,
            section="sivu 12",
            body="Tilastointiohjeeseen esimerkki kausikortista, joka lasketaan yhdeksi käynniksi.",
        )
    services.consultation_comment_add(
        consultation=consultation,
        partner=partner,
        section="3",
        body="Kirjastojen tapahtumat voisi mainita kohteiden esimerkeissä.",
    )


def seed(context: DemoContext) -> None:
    for row in MATERIALS:
        material = _material(context, row)
        for version_row in VERSIONS[material.slug]:
            version = _version(context, material, version_row)
            if version.status == S.DRAFT and material.slug == GUIDELINE_SLUG:
                _consultation(context, version)
    context.say(f"Materials: {len(MATERIALS)}, the guideline's 2026 draft open for comments")
