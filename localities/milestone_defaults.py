"""The default national pilot checklist (DESIGN §4), loaded by a data migration. Due dates are days from the
planned pilot start: preparation before it, evaluation after it (pilots last about 7–18 months)."""

# position, days from the planned start, Finnish, Swedish, English
DEFAULT_MILESTONES = [
    (
        10,
        -180,
        "Ensimmäinen yhteydenotto Kaikukeskukseen",
        "Första kontakt med Kaikukeskus",
        "First contact with Kaikukeskus",
    ),
    (
        20,
        -150,
        "Paikallinen työpari (kulttuuri ja sote/hyte) nimetty",
        "Lokalt arbetspar (kultur och social- och hälsovård) utsett",
        "Local working pair (culture and social/health) named",
    ),
    (
        30,
        -120,
        "Lautakuntien tai hyvinvointialueen päätökset tehty",
        "Beslut av nämnderna eller välfärdsområdet fattade",
        "Decisions by the municipal boards or the county made",
    ),
    (
        40,
        -90,
        "Sopimus Kaikukeskuksen kanssa allekirjoitettu",
        "Avtal med Kaikukeskus undertecknat",
        "Agreement with Kaikukeskus signed",
    ),
    (50, -60, "Koordinaattorit koulutettu", "Koordinatorerna utbildade", "Coordinators trained"),
    (
        60,
        -30,
        "Jakajat ja kohteet rekrytoitu ja sitoumukset allekirjoitettu",
        "Utdelare och besöksmål rekryterade och förbindelserna undertecknade",
        "Issuers and venues recruited and commitments signed",
    ),
    (
        70,
        -14,
        "Kortit, yhteisökortit, esitteet, julisteet ja paikallinen verkkosivu valmiina",
        "Kort, gemenskapskort, broschyrer, affischer och lokal webbsida klara",
        "Cards, community cards, brochures, posters and local web page ready",
    ),
    (80, -7, "Kumppanien henkilöstö perehdytetty", "Partnernas personal introducerad", "Partner staff briefed"),
    (90, 0, "Käyttöönotto", "Lansering", "Launch"),
    (
        100,
        120,
        "Palautekokous Kaikukeskuksen kanssa",
        "Responsmöte med Kaikukeskus",
        "Feedback meeting with Kaikukeskus",
    ),
    (
        110,
        300,
        "Pilotin arviointi (kysely, tilastot)",
        "Utvärdering av piloten (enkät, statistik)",
        "Pilot evaluation (survey, statistics)",
    ),
    (120, 345, "Päätös vakinaistamisesta", "Beslut om permanent användning", "Decision on permanent use"),
]


def load_default_milestones(template_model) -> int:
    """Create the default steps that are missing (by position); never overwrite staff's edits."""
    created = 0
    for position, offset, title_fi, title_sv, title_en in DEFAULT_MILESTONES:
        _step, was_created = template_model.objects.get_or_create(
            position=position,
            defaults={"title_fi": title_fi, "title_sv": title_sv, "title_en": title_en, "due_offset_days": offset},
        )
        created += was_created
    return created
