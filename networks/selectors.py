"""Reads for networks. Coordinator reads go through `localities.selectors` (the one scoping function); public
reads go through `Partner.objects.public()` and never touch contact persons."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from localities.models import Locality, Municipality
from localities.permissions import acts_as_national_staff, get_scoped_or_404, scoped
from localities.selectors import coordinator_localities, fold, municipalities_matching
from networks.models import (
    ACCESSIBILITY_KEYS,
    PARTNER_FIELDS,
    Answer,
    ChecklistQuestion,
    ChecklistSection,
    ChecklistVersion,
    ContactPerson,
    Partner,
    PartnerImport,
    PartnerRole,
    Sector,
    SelfAssessment,
    SelfAssessmentItem,
    VenueAccessibility,
    stale_before,
)

# --- Coordinator portal -----------------------------------------------------------------------------------


def partner_list(*, user, locality: Locality) -> QuerySet[Partner]:
    """The locality's partners for the portal list, with the municipality and primary contact loaded (two
    queries whatever the number of rows) and `has_primary_contact` annotated for the filters."""
    return (
        scoped(Partner.objects.filter(locality=locality), user=user)
        .with_primary_contact_flag()
        .select_related("municipality")
        .prefetch_related(
            Prefetch("contacts", queryset=ContactPerson.objects.filter(is_primary=True), to_attr="primary_contacts")
        )
        .order_by("role", "name")
    )


def partner_get(*, user, locality: Locality, pk: int) -> Partner:
    """One partner of the locality, 404 when it is another locality's or outside the user's scope."""
    return get_scoped_or_404(
        Partner.objects.select_related("locality", "municipality"), user=user, locality=locality, pk=pk
    )


def partner_history(*, partner: Partner) -> list:
    """Every saved version of the partner and of its contact persons (deleted ones too), newest first."""
    partner_records = list(partner.history.select_related("history_user").order_by("history_date", "history_id"))
    contact_records = list(
        ContactPerson.history.filter(partner_id=partner.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    _mark_changed_fields(partner_records, Partner, key="id")
    _mark_changed_fields(contact_records, ContactPerson, key="id")
    return sorted([*partner_records, *contact_records], key=lambda record: record.history_date, reverse=True)


_NOT_SHOWN = {"id", "updated_at", "created_at", "locality", "partner", "version"}


def _mark_changed_fields(records: list, model, *, key: str) -> None:
    """Give each historical record `changed_fields`: the labels of the fields that differ from the same
    object's previous record (compared in Python: the records are already loaded)."""
    fields = [field for field in model._meta.concrete_fields if field.name not in _NOT_SHOWN]
    previous: dict = {}
    for record in records:
        before = previous.get(getattr(record, key))
        record.changed_fields = (
            []
            if before is None or record.history_type != "~"
            else [
                str(field.verbose_name)
                for field in fields
                if getattr(record, field.attname) != getattr(before, field.attname)
            ]
        )
        previous[getattr(record, key)] = record


def partners_missing_primary_contact(*, user, limit: int = 20) -> tuple[list[Partner], int]:
    """Active partners of the user's own localities without a primary contact: the first `limit` and the
    total (two queries)."""
    queryset = (
        Partner.objects.active()
        .filter(locality__in=coordinator_localities(user=user).values("pk"))
        .without_primary_contact()
        .select_related("locality")
        .order_by("locality__name_fi", "name")
    )
    return list(queryset[:limit]), queryset.count()


def accessibility_get(*, partner: Partner) -> VenueAccessibility:
    """The venue's answers for its form: the saved row, or an unsaved one with every answer "not known"."""
    return VenueAccessibility.objects.filter(partner=partner).first() or VenueAccessibility(partner=partner)


def stale_accessibility(*, user, limit: int = 20) -> tuple[list[Partner], int]:
    """Active venues of the user's own localities whose accessibility answers were checked more than 12 months
    ago: the first `limit` (oldest first) and the total (two queries)."""
    queryset = (
        Partner.objects.venues()
        .active()
        .filter(
            locality__in=coordinator_localities(user=user).values("pk"),
            accessibility__checked_on__lt=stale_before(),
        )
        .select_related("locality", "accessibility")
        .order_by("accessibility__checked_on", "name", "pk")
    )
    return list(queryset[:limit]), queryset.count()


def locality_partner_summaries(*, user) -> list[Locality]:
    """The user's own localities with their active issuers and venues counted (one query)."""
    today = timezone.localdate()
    active = Q(partners__joined_on__lte=today) & (Q(partners__left_on__isnull=True) | Q(partners__left_on__gt=today))
    return list(
        coordinator_localities(user=user).annotate(
            active_issuers=Count("partners", filter=active & Q(partners__role=PartnerRole.ISSUER)),
            active_venues=Count("partners", filter=active & Q(partners__role=PartnerRole.VENUE)),
        )
    )


def partner_import_get(*, user, locality: Locality, pk: int) -> PartnerImport:
    """An upload is visible to the one who uploaded it, in its locality, only."""
    return get_scoped_or_404(
        PartnerImport.objects.select_related("locality"), user=user, locality=locality, pk=pk, created_by=user
    )


EXPORT_FIELDS = (
    *PARTNER_FIELDS,
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
)


def partner_export_rows(*, user, locality: Locality) -> list[list]:
    """The locality's partners in the columns of the import template, so an export can be edited and imported
    back. Two queries."""
    rows = []
    for partner in partner_list(user=user, locality=locality):
        contact = partner.primary_contacts[0] if partner.primary_contacts else None
        values = {
            "municipality": partner.municipality.code,
            "listed_publicly": "yes" if partner.listed_publicly else "no",
            "contact_name": contact.name if contact else "",
            "contact_title": contact.title if contact else "",
            "contact_email": contact.email if contact else "",
            "contact_phone": contact.phone if contact else "",
        }
        row = []
        for name in EXPORT_FIELDS:
            value = values[name] if name in values else getattr(partner, name)
            row.append(value.isoformat() if isinstance(value, datetime.date) else value)
        rows.append(row)
    return rows


# --- Counts for statistics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerCounts:
    issuers: int
    venues: int


def partner_counts_by_locality(*, on: datetime.date) -> QuerySet:
    """Per locality (`locality_id`), its `issuers` and `venues` in the network on `on`, from joining and leaving
    dates (so any past date can be recounted), approved issuers only (a proposed one issues no cards): the one
    count, as a query, so that the statistics aggregation can
    read it as a subquery of its own GROUP BY."""
    return (
        Partner.objects.active_on(on)
        .approved()
        .values("locality_id")
        .annotate(
            issuers=Count("pk", filter=Q(role=PartnerRole.ISSUER)),
            venues=Count("pk", filter=Q(role=PartnerRole.VENUE)),
        )
        .order_by()
    )


def partner_counts_for_localities(*, localities: Iterable[Locality] | QuerySet, on: datetime.date) -> dict:
    """`{locality_id: PartnerCounts}` for many localities in one query (reports prefilled when a round opens)."""
    ids = localities.values("pk") if isinstance(localities, QuerySet) else [locality.pk for locality in localities]
    rows = partner_counts_by_locality(on=on).filter(locality__in=ids)
    return {row["locality_id"]: PartnerCounts(issuers=row["issuers"], venues=row["venues"]) for row in rows}


# --- Public directory -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorGroup:
    sector: str
    label: str
    venues: list[Partner]


def with_accessibility(queryset: QuerySet[Partner], keys: Iterable[str] = ()) -> QuerySet[Partner]:
    """Only the venues that answered yes to every question in `keys` (DESIGN §6 `?accessibility=KEY`): a "no" or
    a "not known" (a venue with no answers at all included) is left out."""
    for key in dict.fromkeys(keys):
        if key not in ACCESSIBILITY_KEYS:
            raise ValueError(f"not an accessibility question: {key}")
        queryset = queryset.filter(**{f"accessibility__{key}": Answer.YES})
    return queryset


def public_venues(*, locality: Locality | None = None, accessibility: Iterable[str] = ()) -> QuerySet[Partner]:
    """Venues visitors see, with only what the public may read loaded (their accessibility answers joined in the
    same query). Never contact persons."""
    queryset = (
        Partner.objects.public().select_related("municipality", "locality", "accessibility").order_by("sector", "name")
    )
    if locality is not None:
        queryset = queryset.filter(locality=locality)
    return with_accessibility(queryset, accessibility)


def public_venues_of_locality(*, locality: Locality, accessibility: Iterable[str] = ()) -> QuerySet[Partner]:
    """The locality's public venues in the order of its page: by sector (the sectors' values sort in their
    order), then by name."""
    if not locality.is_public:
        return Partner.objects.none()
    return public_venues(locality=locality, accessibility=accessibility).order_by("sector", Lower("name"), "pk")


def public_venue(*, pk: int) -> Partner:
    """One public venue for its own page (404 when it is not public)."""
    return get_object_or_404(public_venues(), pk=pk)


def by_sector(venues: Iterable[Partner]) -> list[SectorGroup]:
    """Venues (already in sector order) grouped under their sector's label."""
    labels = dict(Sector.choices)
    return [
        SectorGroup(sector=sector, label=str(labels[sector]), venues=list(group))
        for sector, group in groupby(venues, key=lambda venue: venue.sector)
    ]


def public_issuers(*, locality: Locality) -> QuerySet[Partner]:
    """Where a person gets the card: the locality's issuers in the network today, by kind and name. Public
    facts only (name, kind, municipality); never contact persons."""
    if not locality.is_public:
        return Partner.objects.none()
    return (
        Partner.objects.issuers()
        .approved()
        .active()
        .filter(locality=locality)
        .select_related("municipality")
        .only("pk", "name", "issuer_kind", "parent_organisation", "municipality__name_fi", "municipality__name_sv")
        .order_by("issuer_kind", Lower("name"), "pk")
    )


@dataclass(frozen=True)
class VenueSearch:
    """The answer to "where can I use my card?". When the searched municipality has no matching venue,
    `fallback` holds the other venues of the localities that cover it ("the card also works in these venues
    of Kainuu")."""

    venues: QuerySet[Partner]
    municipality: Municipality | None = None
    fallback: QuerySet[Partner] | None = None
    fallback_localities: tuple[Locality, ...] = ()


SEARCH_WORDS = 6


def venue_search(
    *, municipality: Municipality | None = None, sector: str = "", text: str = "", accessibility: Iterable[str] = ()
) -> VenueSearch:
    """The national "where can I use my card?" search over public venues of public localities. Every word of
    `text` must match the venue's name, parent organisation or an offer text (any language), or the name of its
    municipality in Finnish or Swedish (Kajana, Torneå, Vasa); every question in `accessibility` must be answered
    yes."""
    queryset = public_venues(accessibility=accessibility).order_by("municipality__name_fi", "name", "pk")
    if sector:
        queryset = queryset.filter(sector=sector)
    filtered = queryset
    if municipality is not None:
        filtered = filtered.filter(municipality=municipality)
    words = text.split()[:SEARCH_WORDS]
    for word in words:
        filtered = filtered.filter(
            Q(name__icontains=word)
            | Q(parent_organisation__icontains=word)
            | Q(offer_fi__icontains=word)
            | Q(offer_sv__icontains=word)
            | Q(offer_en__icontains=word)
            | Q(municipality__in=[m.pk for m in municipalities_matching(word)])
        )
    searched = municipality or _municipality_named(text)
    if searched is None or filtered.exists():
        return VenueSearch(venues=filtered, municipality=searched)
    localities = tuple(Locality.objects.public().filter(municipalities=searched).order_by("name_fi"))
    fallback = queryset.filter(locality__in=localities).order_by("locality__name_fi", "municipality__name_fi", "name")
    return VenueSearch(venues=filtered, municipality=searched, fallback=fallback, fallback_localities=localities)


def _municipality_named(text: str) -> Municipality | None:
    """The municipality whose Finnish or Swedish name the whole text is, if any."""
    matches = municipalities_matching(text) if text.strip() else []
    if matches and fold(text) in (fold(matches[0].name_fi), fold(matches[0].name_sv)):
        return matches[0]
    return None


def municipalities_with_public_venues() -> list[tuple[str, str]]:
    """The municipalities a visitor can choose in the search, as (code, name in the active language): those
    with at least one public venue."""
    municipalities = Municipality.objects.filter(pk__in=Partner.objects.public().values("municipality_id"))
    return [(m.code, m.name) for m in municipalities.only("code", "name_fi", "name_sv").order_by("name_fi")]


def public_municipality(*, code: str) -> Municipality | None:
    return Municipality.objects.filter(code=code).first() if code else None


# --- New issuers ---------------------------------------------------------------------------------------------


def proposed_issuers(*, user) -> QuerySet[Partner]:
    """Issuers proposed by coordinators and waiting for national staff, oldest first (staff only)."""
    if not acts_as_national_staff(user):
        return Partner.objects.none()
    return Partner.objects.proposed().select_related("locality", "municipality").order_by("created_at", "pk")


# --- Self-assessment -------------------------------------------------------------------------------------------

# National totals are shown only when at least this many venues answered: fewer could point at one venue.
MIN_VENUES_FOR_TOTALS = 5


@dataclass
class AssessmentRow:
    question: ChecklistQuestion
    answer: str = ""
    notes: str = ""


def self_assessment_rows(*, partner: Partner) -> tuple[ChecklistVersion | None, SelfAssessment | None, list]:
    """The current checklist, the venue's assessment of it (or None) and one row per question with its answer
    (three queries). Callers have checked who may see it: the venue's link, its coordinators, staff."""
    checklist = ChecklistVersion.current()
    if checklist is None:
        return None, None, []
    assessment = SelfAssessment.objects.filter(partner=partner, checklist=checklist).first()
    items = {}
    if assessment is not None:
        items = {item.question_id: item for item in assessment.items.all()}
    rows = []
    for question in checklist.questions.order_by("section", "order", "pk"):
        item = items.get(question.pk)
        rows.append(AssessmentRow(question, item.answer if item else "", item.notes if item else ""))
    return checklist, assessment, rows


@dataclass
class Totals:
    label: str
    yes: int
    partly: int
    no: int
    venues: int

    @property
    def shown(self) -> bool:
        return self.venues >= MIN_VENUES_FOR_TOTALS


def self_assessment_totals(*, checklist: ChecklistVersion) -> tuple[list[Totals], list[Totals], int]:
    """National totals per question and per section for `checklist` (two queries): a row answered by fewer than
    `MIN_VENUES_FOR_TOTALS` venues says so instead of its figures (`Totals.shown`). Also the venues that answered."""
    counts = (
        SelfAssessmentItem.objects.filter(assessment__checklist=checklist)
        .values("question_id", "question__section")
        .annotate(
            yes=Count("pk", filter=Q(answer="yes")),
            partly=Count("pk", filter=Q(answer="partly")),
            no=Count("pk", filter=Q(answer="no")),
            venues=Count("assessment__partner_id", distinct=True),
        )
        .order_by()
    )
    by_question = {row["question_id"]: row for row in counts}
    questions = list(checklist.questions.order_by("section", "order", "pk"))
    per_question = []
    for question in questions:
        row = by_question.get(question.pk, {"yes": 0, "partly": 0, "no": 0, "venues": 0})
        per_question.append(Totals(question.text, row["yes"], row["partly"], row["no"], row["venues"]))
    sections = dict(ChecklistSection.choices)
    section_venues = dict(
        SelfAssessmentItem.objects.filter(assessment__checklist=checklist)
        .values("question__section")
        .annotate(venues=Count("assessment__partner_id", distinct=True))
        .values_list("question__section", "venues")
    )
    per_section = []
    for section, label in sections.items():
        rows = [by_question[q.pk] for q in questions if q.section == section and q.pk in by_question]
        per_section.append(
            Totals(
                str(label),
                sum(r["yes"] for r in rows),
                sum(r["partly"] for r in rows),
                sum(r["no"] for r in rows),
                section_venues.get(section, 0),
            )
        )
    venues = SelfAssessment.objects.filter(checklist=checklist, items__isnull=False).distinct().count()
    return per_question, per_section, venues
