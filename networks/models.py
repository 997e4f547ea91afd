"""Networks: a locality's partners (issuers that give the card, venues that take it), their contact persons
and commitments, and the uploads that import partners from the coordinators' own spreadsheets."""

import datetime
import functools
import unicodedata

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaikukeskus.i18n import translated
from kaikukeskus.locking import Versioned
from kaikukeskus.validators import validate_reasonable_date
from localities.models import Locality, Municipality

# --- Phone numbers and names ----------------------------------------------------------------------------


def validate_phone(value: str) -> None:
    """Finnish national forms (040 123 4567, 09 123 4567, (09) 123 4567) and international ones (+358 40 123 4567,
    00358 40 123 4567, +358 (0)40 123 4567, +46 8 123 456 78), checked against the numbering plans that the
    `phonenumbers` library (Google's libphonenumber) keeps. A national number must start with its trunk prefix
    0: "40 123 4567" is refused, as a reader could not tell it from a foreign number. Stored as typed."""
    if not _is_phone_number(value):
        raise ValidationError(
            _("Enter a phone number such as 040 123 4567, 09 123 4567 or +358 40 123 4567."),
            code="invalid_phone",
        )


@functools.lru_cache(maxsize=1024)
def _is_phone_number(value: str) -> bool:
    # Cached: a form checks a number twice (form and model), an import twice per row (its reader and the
    # model), and parsing costs a fraction of a millisecond.
    try:
        number = phonenumbers.parse(value, "FI", keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return False
    if number.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY and not (
        phonenumbers.normalize_digits_only(value).startswith("0")
    ):
        return False
    return phonenumbers.is_valid_number(number)


def name_key(name: str) -> str:
    """The form in which two partner names are the same name: Unicode-normalised (NFKC, so a precomposed
    "ä" and "a" + combining diaeresis agree), case-folded beyond ASCII ("ÄÄNEKOSKI" = "äänekoski",
    "STRASSE" = "straße") and with runs of white space as one space. The portal's form, its import and
    the admin's import all match names through this one function."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


# --- Choices ----------------------------------------------------------------------------------------------


class PartnerRole(models.TextChoices):
    ISSUER = "issuer", _("Issuer")
    VENUE = "venue", _("Venue")


class Sector(models.TextChoices):
    """The four sectors of the national statistics."""

    CULTURE = "culture", _("Culture")
    EDUCATION = "education", _("Education")
    SCIENCE = "science", _("Science")
    SPORTS = "sports", _("Sports")


class VenueCategory(models.TextChoices):
    THEATRE = "theatre", _("Theatre")
    MUSEUM = "museum", _("Museum")
    CONCERT = "concert", _("Concert")
    FESTIVAL = "festival", _("Festival")
    CINEMA = "cinema", _("Cinema")
    LIBRARY = "library", _("Library")
    ADULT_EDUCATION = "adult_education", _("Adult-education centre")
    SCIENCE_CENTRE = "science_centre", _("Science centre")
    SPORTS_VENUE = "sports_venue", _("Sports venue")
    OTHER = "other", _("Other")


class IssuerKind(models.TextChoices):
    SOCIAL_SERVICES = "social_services", _("Social services")
    HEALTH_SERVICES = "health_services", _("Health services")
    WELLBEING = "wellbeing", _("Wellbeing and health promotion")
    NGO = "ngo", _("Non-governmental organisation")
    PARISH = "parish", _("Parish")
    OTHER = "other", _("Other")


class Approval(models.TextChoices):
    """New issuers are discussed with Kaikukeskus first (the national guideline): one added by a coordinator is
    proposed until national staff approve it."""

    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CommitmentKind(models.TextChoices):
    PILOT = "pilot", _("Pilot period")
    PERMANENT = "permanent", _("Permanent")


# --- Partners ---------------------------------------------------------------------------------------------


def in_network_on(date: datetime.date) -> Q:
    """A partner row in the network on `date`: joined on or before it and not yet left (the day a partner leaves
    is its first day outside the network)."""
    return (Q(left_on__isnull=True) | Q(left_on__gt=date)) & Q(joined_on__lte=date)


def shown_to_visitors() -> Q:
    """`PartnerQuerySet.public()` as a condition on a partner row, for an annotation or beside other conditions
    (the site search's venues: a check of each row, not a subquery over every public venue)."""
    return Q(role=PartnerRole.VENUE, listed_publicly=True, locality__status__in=Locality.PUBLIC_STATUSES) & (
        in_network_on(timezone.localdate())
    )


class PartnerQuerySet(models.QuerySet):
    def venues(self):
        return self.filter(role=PartnerRole.VENUE)

    def issuers(self):
        return self.filter(role=PartnerRole.ISSUER)

    def active_on(self, date: datetime.date):
        """Partners in the network on `date` (`in_network_on`)."""
        return self.filter(in_network_on(date))

    def active_during(self, start: datetime.date, end: datetime.date):
        """Partners in the network on some day of the period (a statistics report's breakdown may name them)."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=start), joined_on__lte=end)

    def active(self):
        return self.active_on(timezone.localdate())

    def approved(self):
        """Partners that count: venues, and issuers that national staff have approved (a proposed or rejected
        issuer issues no cards in the statistics and appears nowhere public)."""
        return self.filter(approval=Approval.APPROVED)

    def proposed(self):
        return self.issuers().filter(approval=Approval.PROPOSED)

    def public(self):
        """What visitors see: venues listed publicly, in the network today, in a locality shown to the
        public (`shown_to_visitors`)."""
        return self.filter(shown_to_visitors())

    def with_primary_contact_flag(self):
        return self.annotate(
            has_primary_contact=Exists(ContactPerson.objects.filter(partner=OuterRef("pk"), is_primary=True))
        )

    def without_primary_contact(self):
        return self.with_primary_contact_flag().filter(has_primary_contact=False)


PARTNER_NAME_CONSTRAINT = "partner_name_unique_in_locality_and_role"
# An offer is read on a venue card: a few sentences. The limit keeps one venue from making every public page
# and API answer megabytes long; forms, the import and the database (varchar) all hold it.
OFFER_MAX_LENGTH = 2000
# Text fields refuse NUL characters (PostgreSQL cannot store them; forms already refuse them, the import and
# the admin's import reach the model directly).
NO_NUL = [ProhibitNullCharactersValidator()]


class Partner(Versioned):
    """An issuer or a venue of one locality. Ending a partnership sets `left_on`; the row stays, so past
    years can be recounted and history shows who changed what."""

    locality = models.ForeignKey(Locality, models.PROTECT, related_name="partners", verbose_name=_("locality"))
    role = models.CharField(_("role"), max_length=10, choices=PartnerRole.choices)
    name = models.CharField(_("name"), max_length=200, validators=NO_NUL)
    parent_organisation = models.CharField(
        _("parent organisation"),
        max_length=200,
        blank=True,
        validators=NO_NUL,
        help_text=_("For example the wellbeing services county, the city or the association."),
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="partners",
        verbose_name=_("municipality"),
        help_text=_("One of the locality's municipalities."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True, validators=NO_NUL)
    website = models.URLField(_("website"), max_length=300, blank=True, validators=NO_NUL)
    # Venues
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=VenueCategory.choices, blank=True)
    offer_fi = models.CharField(
        _("offer in Finnish"),
        max_length=OFFER_MAX_LENGTH,
        blank=True,
        validators=NO_NUL,
        help_text=_(
            "What the card covers, limits such as a seat quota, and how to get tickets: at the box office or "
            "by phone, never from the web shop."
        ),
    )
    offer_sv = models.CharField(_("offer in Swedish"), max_length=OFFER_MAX_LENGTH, blank=True, validators=NO_NUL)
    offer_en = models.CharField(_("offer in English"), max_length=OFFER_MAX_LENGTH, blank=True, validators=NO_NUL)
    listed_publicly = models.BooleanField(
        _("listed publicly"), default=True, help_text=_("Venues only: shown on the public pages and in the API.")
    )
    # Issuers
    issuer_kind = models.CharField(_("issuer kind"), max_length=20, choices=IssuerKind.choices, blank=True)
    # Membership of the network
    joined_on = models.DateField(_("joined on"), default=timezone.localdate, validators=[validate_reasonable_date])
    left_on = models.DateField(
        _("left on"),
        null=True,
        blank=True,
        help_text=_("The first day the partner is no longer in the network."),
        validators=[validate_reasonable_date],
    )
    commitment_acknowledged_on = models.DateField(
        _("commitment acknowledged on"), null=True, blank=True, validators=[validate_reasonable_date]
    )
    commitment_kind = models.CharField(_("commitment kind"), max_length=12, choices=CommitmentKind.choices, blank=True)
    approval = models.CharField(
        _("approval"),
        max_length=10,
        choices=Approval.choices,
        default=Approval.APPROVED,
        help_text=_("An issuer added by a coordinator is proposed until Kaikukeskus approves it."),
    )
    approval_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True, validators=NO_NUL)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = PartnerQuerySet.as_manager()
    primary_contacts: "list[ContactPerson]"  # not a column: selectors.partner_list's Prefetch(to_attr=) sets it

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["locality__name_fi", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="partner_left_not_before_joined",
                violation_error_message=_("The partnership cannot end before it began."),
            ),
            models.CheckConstraint(
                condition=Q(role=PartnerRole.ISSUER) | ~Q(sector=""),
                name="partner_venue_has_sector",
                violation_error_message=_("A venue needs a sector."),
            ),
            models.CheckConstraint(
                condition=Q(role=PartnerRole.VENUE) | ~Q(issuer_kind=""),
                name="partner_issuer_has_kind",
                violation_error_message=_("An issuer needs a kind."),
            ),
            models.UniqueConstraint(
                Lower("name"),
                "locality",
                "role",
                name=PARTNER_NAME_CONSTRAINT,
                violation_error_message=_("The locality already has a partner of this role with this name."),
            ),
        ]
        indexes = [
            models.Index(fields=["locality", "role", "joined_on"], name="partner_locality_role_joined"),
            # The admin's list over every partner (`PartnerAdmin.ordering`): its first page read in order, not
            # every partner sorted.
            models.Index(fields=["name", "id"], name="partner_name_id"),
            # The public venue directory's order (`selectors.venue_search`: municipality's name, name, pk): with
            # the municipalities' own index, its first page is read by municipality, not every venue sorted.
            models.Index(
                fields=["municipality", "name", "id"],
                condition=Q(role=PartnerRole.VENUE, listed_publicly=True),
                name="partner_public_venue_order",
            ),
            # The few proposed issuers waiting for staff (`PartnerQuerySet.proposed`, on staff's front
            # page), found without reading every partner.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(role=PartnerRole.ISSUER, approval=Approval.PROPOSED),
                name="partner_proposed_issuers",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def offer(self) -> str:
        """The offer in the active language, Finnish when that translation is empty."""
        return translated(self, "offer")

    @property
    def access(self) -> "VenueAccessibility":
        """The venue's accessibility answers, all "not known" when it has given none (`accessibility_of`)."""
        return accessibility_of(self)

    @property
    def is_venue(self) -> bool:
        return self.role == PartnerRole.VENUE

    # One partner today as `PartnerQuerySet.active_on` reads them all: active is neither left nor upcoming.

    @property
    def has_left(self) -> bool:
        """Out of the network today: the day it leaves is its first day outside."""
        return self.left_on is not None and self.left_on <= timezone.localdate()

    @property
    def is_upcoming(self) -> bool:
        """Joins the network after today."""
        return self.joined_on > timezone.localdate()

    # Validation is split so that the import can run the same rules without a query per row.

    def clean_role_fields(self) -> dict[str, list]:
        errors: dict[str, list] = {}
        if self.role == PartnerRole.VENUE:
            if not self.sector:
                errors.setdefault("sector", []).append(_("A venue needs a sector."))
            self.issuer_kind = ""
        elif self.role == PartnerRole.ISSUER:
            if not self.issuer_kind:
                errors.setdefault("issuer_kind", []).append(_("An issuer needs a kind."))
            # Venue-only fields mean nothing for an issuer: keep them empty so they never leak to the public.
            self.sector = ""
            self.category = ""
            self.offer_fi = self.offer_sv = self.offer_en = ""
            self.listed_publicly = False
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors.setdefault("left_on", []).append(_("The end date cannot be before the joining date."))
        if self.commitment_acknowledged_on and not self.commitment_kind:
            errors.setdefault("commitment_kind", []).append(
                _("Say whether the commitment is for the pilot period or permanent.")
            )
        if self.commitment_kind and not self.commitment_acknowledged_on:
            errors.setdefault("commitment_acknowledged_on", []).append(
                _("Give the date the commitment was acknowledged.")
            )
        return errors

    def clean(self) -> None:
        errors = self.clean_role_fields()
        if (
            self.locality_id
            and self.municipality_id
            and not self.locality.municipalities.filter(pk=self.municipality_id).exists()
        ):
            errors.setdefault("municipality", []).append(_("Choose one of the locality's municipalities."))
        if self.locality_id and self.name and self.role:
            # Compared in Python: SQLite's case-insensitive matching knows ASCII only (Äänekoski ≠ ÄÄNEKOSKI).
            others = Partner.objects.filter(locality_id=self.locality_id, role=self.role).exclude(pk=self.pk)
            wanted = name_key(self.name)
            if any(name_key(name) == wanted for name in others.values_list("name", flat=True).iterator()):
                errors.setdefault("name", []).append(
                    _("The locality already has a partner of this role with this name.")
                )
        if errors:
            raise ValidationError(errors)

    def get_constraints(self):
        # clean() checks the case-insensitive name rule with its message on the name field; the constraint
        # remains the database's guard but is not validated twice (it would repeat the message).
        return [
            (model, [c for c in constraints if c.name != PARTNER_NAME_CONSTRAINT])
            for model, constraints in super().get_constraints()
        ]


class ContactPerson(Versioned):
    """Personal data: visible to the locality's coordinators and national staff only, never public."""

    partner = models.ForeignKey(Partner, models.CASCADE, related_name="contacts", verbose_name=_("partner"))
    name = models.CharField(_("name"), max_length=150, validators=NO_NUL)
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=150, blank=True, validators=NO_NUL)
    email = models.EmailField(_("e-mail address"), blank=True, validators=NO_NUL)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[*NO_NUL, validate_phone])
    is_primary = models.BooleanField(
        _("primary contact"), default=False, help_text=_("The person the locality contacts first.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_partner",
                violation_error_message=_("A partner has only one primary contact."),
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="contact_has_email_or_phone",
                violation_error_message=_("Give an e-mail address or a phone number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.email and not self.phone:
            raise ValidationError(
                {"email": ValidationError(_("Give an e-mail address or a phone number."), code="email_or_phone")}
            )


# --- Imports ----------------------------------------------------------------------------------------------


class PartnerImport(models.Model):
    """One uploaded spreadsheet between preview and confirmation. The parsed cells are kept here (not the
    file), tied to the user and the locality, with the file's SHA-256 so a confirmation applies exactly the
    preview the user saw."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")

    locality = models.ForeignKey(Locality, models.CASCADE, related_name="partner_imports", verbose_name=_("locality"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    plan_sha256 = models.CharField(
        _("preview fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("What the preview showed, as a hash: a confirmation applies only this same plan."),
    )
    header = models.JSONField(_("header"), default=list)
    cells = models.JSONField(_("rows"), default=list, help_text=_("Line number and cells of every data row."))
    plan = models.JSONField(_("preview"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner import")
        verbose_name_plural = _("partner imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.locality})"

    # A preview older than this is not applied: the partners may have changed in the meantime.
    VALID_FOR = datetime.timedelta(hours=24)

    @property
    def is_expired(self) -> bool:
        return self.created_at < timezone.now() - self.VALID_FOR


# The partner's own data fields, in the order of forms, the import template, exports and the admin resource.
PARTNER_FIELDS = (
    "role",
    "name",
    "parent_organisation",
    "municipality",
    "address",
    "website",
    "sector",
    "category",
    "issuer_kind",
    "offer_fi",
    "offer_sv",
    "offer_en",
    "listed_publicly",
    "joined_on",
    "left_on",
    "commitment_acknowledged_on",
    "commitment_kind",
)


# --- Accessibility --------------------------------------------------------------------------------------


class Answer(models.TextChoices):
    """A venue's answer to one accessibility question. "Not known" is an answer of its own, the default, and
    never shown or counted as "no"."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


# The questions (DESIGN §6: the keys of the API's `accessibility` object and of `?accessibility=`), in the order
# pages show them, with their labels.
ACCESSIBILITY_QUESTIONS: dict[str, Promise] = {
    "step_free_entrance": _("Step-free entrance"),
    "accessible_toilet": _("Accessible toilet"),
    "induction_loop": _("Induction loop"),
    "wheelchair_seating": _("Seating for wheelchairs"),
    "assistance_dogs": _("Assistance dogs welcome"),
    "assistant_free": _("A personal assistant gets in free"),
    "sign_language": _("Sign language services"),
    "plain_language": _("Plain language services"),
    "low_stimulus": _("Quiet hours or a low-stimulus option"),
    "scents_and_flashing_lights": _("Free of strong scents and flashing lights"),
    "parking": _("Accessible parking"),
    "public_transport": _("Reachable by public transport"),
}
ACCESSIBILITY_KEYS = tuple(ACCESSIBILITY_QUESTIONS)
# Answers checked longer ago than this are marked as possibly out of date.
ACCESSIBILITY_FRESH_FOR = datetime.timedelta(days=365)
ACCESSIBILITY_TEXT_MAX_LENGTH = 1000


class CoveredOffer(models.TextChoices):
    """What a venue's commitment lets card holders in to (the national guideline's kinds of offer)."""

    PERFORMANCES = "performances", _("Performances and concerts")
    EXHIBITIONS = "exhibitions", _("Exhibitions")
    EVENTS = "events", _("Events and festivals")
    COURSES = "courses", _("Courses")
    SPORTS = "sports", _("Sports sessions")
    SEASON_PASSES = "season_passes", _("Season passes")
    OTHER = "other", _("Other")


def validate_covered_offers(value) -> None:
    if not isinstance(value, list) or any(item not in CoveredOffer.values for item in value):
        raise ValidationError(_("Choose among the kinds of offer listed."), code="invalid_covered_offer")


def _answer_field(key: str) -> models.CharField:
    return models.CharField(ACCESSIBILITY_QUESTIONS[key], max_length=7, choices=Answer.choices, default=Answer.UNKNOWN)


class VenueAccessibility(Versioned):
    """What a card holder needs to know before going to a venue: whether they can get in (the twelve questions,
    each yes, no or not known), how to book with the card and anything else in fi/sv/en, and when the answers
    were last checked. A venue without this row has every answer "not known". Edited by the locality's
    coordinators and, through a signed link sent from the portal, by the venue's own contact person."""

    partner = models.OneToOneField(
        Partner, models.CASCADE, related_name="accessibility", verbose_name=_("venue"), primary_key=True
    )
    step_free_entrance = _answer_field("step_free_entrance")
    accessible_toilet = _answer_field("accessible_toilet")
    induction_loop = _answer_field("induction_loop")
    wheelchair_seating = _answer_field("wheelchair_seating")
    assistance_dogs = _answer_field("assistance_dogs")
    assistant_free = _answer_field("assistant_free")
    sign_language = _answer_field("sign_language")
    plain_language = _answer_field("plain_language")
    low_stimulus = _answer_field("low_stimulus")
    scents_and_flashing_lights = _answer_field("scents_and_flashing_lights")
    parking = _answer_field("parking")
    public_transport = _answer_field("public_transport")
    booking_fi = models.CharField(
        _("how to book with the card, in Finnish"),
        max_length=ACCESSIBILITY_TEXT_MAX_LENGTH,
        blank=True,
        validators=NO_NUL,
        help_text=_("For example: by phone or at the box office; say the card when booking."),
    )
    booking_sv = models.CharField(
        _("how to book with the card, in Swedish"),
        max_length=ACCESSIBILITY_TEXT_MAX_LENGTH,
        blank=True,
        validators=NO_NUL,
    )
    booking_en = models.CharField(
        _("how to book with the card, in English"),
        max_length=ACCESSIBILITY_TEXT_MAX_LENGTH,
        blank=True,
        validators=NO_NUL,
    )
    notes_fi = models.CharField(
        _("more about accessibility, in Finnish"),
        max_length=ACCESSIBILITY_TEXT_MAX_LENGTH,
        blank=True,
        validators=NO_NUL,
    )
    notes_sv = models.CharField(
        _("more about accessibility, in Swedish"),
        max_length=ACCESSIBILITY_TEXT_MAX_LENGTH,
        blank=True,
        validators=NO_NUL,
    )
    notes_en = models.CharField(
        _("more about accessibility, in English"),
        max_length=ACCESSIBILITY_TEXT_MAX_LENGTH,
        blank=True,
        validators=NO_NUL,
    )
    # The economic commitment: what the card covers, how much of it, and whether a companion gets in free.
    covers = models.JSONField(_("the card covers"), default=list, blank=True, validators=[validate_covered_offers])
    ceiling_per_visit = models.PositiveSmallIntegerField(
        _("tickets per visit at most"),
        null=True,
        blank=True,
        help_text=_("Leave empty when there is no ceiling."),
    )
    ceiling_per_year = models.PositiveSmallIntegerField(
        _("tickets per year at most"),
        null=True,
        blank=True,
        help_text=_("Leave empty when there is no ceiling."),
    )
    companion_free = models.CharField(
        _("a companion gets in free"), max_length=7, choices=Answer.choices, default=Answer.UNKNOWN
    )
    checked_on = models.DateField(
        _("checked on"),
        null=True,
        blank=True,
        validators=[validate_reasonable_date],
        help_text=_("When the answers were last checked at the venue."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("venue accessibility")
        verbose_name_plural = _("venue accessibility")
        indexes = [models.Index(fields=["checked_on"], name="accessibility_checked_on")]

    def __str__(self) -> str:
        return str(self.partner)

    @property
    def booking(self) -> str:
        return translated(self, "booking")

    @property
    def notes(self) -> str:
        return translated(self, "notes")

    def covers_labels(self) -> list[str]:
        labels = dict(CoveredOffer.choices)
        return [str(labels[item]) for item in self.covers if item in labels]

    @property
    def is_stale(self) -> bool:
        """Checked more than 12 months ago: possibly out of date (never checked counts as not known, not stale)."""
        return self.checked_on is not None and self.checked_on < stale_before()

    def answers(self) -> list[tuple[str, str, str]]:
        """(key, question, answer) for every question, in order."""
        return [(key, str(label), getattr(self, key)) for key, label in ACCESSIBILITY_QUESTIONS.items()]

    def answered(self, answer: str) -> list[str]:
        """The questions (labels) answered `answer`."""
        return [str(label) for key, label in ACCESSIBILITY_QUESTIONS.items() if getattr(self, key) == answer]

    @property
    def yes_labels(self) -> list[str]:
        return self.answered(Answer.YES)

    @property
    def no_labels(self) -> list[str]:
        return self.answered(Answer.NO)


def stale_before() -> datetime.date:
    """Answers checked before this day are possibly out of date."""
    return timezone.localdate() - ACCESSIBILITY_FRESH_FOR


def accessibility_of(partner: Partner) -> VenueAccessibility:
    """The venue's answers, or all "not known" (unsaved) when it has given none. No query when the row was
    loaded with `select_related("accessibility")`."""
    try:
        return partner.accessibility
    except VenueAccessibility.DoesNotExist:
        return VenueAccessibility(partner=partner)


# --- Self-assessment ---------------------------------------------------------------------------------------


class ChecklistSection(models.TextChoices):
    STRATEGY = "strategy", _("Strategy")
    DIVERSITY = "diversity", _("Diversity")
    COMMUNICATION = "communication", _("Communication")
    PRICING = "pricing", _("Pricing")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    PREMISES = "premises", _("Premises")
    PROGRAMME = "programme", _("Programme")


class SelfAssessmentAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class ChecklistVersion(models.Model):
    """A version of the national accessibility and equality checklist, versioned by staff like the guideline:
    answers are tied to the version they were given against. The current one is the latest published."""

    label = models.CharField(_("version"), max_length=50, validators=NO_NUL)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment checklist")
        verbose_name_plural = _("self-assessment checklists")
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def current(cls) -> "ChecklistVersion | None":
        return cls.objects.filter(published_on__lte=timezone.localdate()).order_by("-published_on", "-pk").first()


class ChecklistQuestion(models.Model):
    version = models.ForeignKey(ChecklistVersion, models.CASCADE, related_name="questions", verbose_name=_("checklist"))
    section = models.CharField(_("section"), max_length=20, choices=ChecklistSection.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_fi = models.CharField(_("question in Finnish"), max_length=500, validators=NO_NUL)
    text_sv = models.CharField(_("question in Swedish"), max_length=500, blank=True, validators=NO_NUL)
    text_en = models.CharField(_("question in English"), max_length=500, blank=True, validators=NO_NUL)
    advice_fi = models.TextField(_("advice for a no, in Finnish"), max_length=2000, blank=True, validators=NO_NUL)
    advice_sv = models.TextField(_("advice for a no, in Swedish"), max_length=2000, blank=True, validators=NO_NUL)
    advice_en = models.TextField(_("advice for a no, in English"), max_length=2000, blank=True, validators=NO_NUL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["version", "section", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return translated(self, "text")

    @property
    def advice(self) -> str:
        return translated(self, "advice")


class SelfAssessment(Versioned):
    """A venue's answers to one checklist version: private to the venue (through its link), its locality's
    coordinators and national staff."""

    partner = models.ForeignKey(Partner, models.CASCADE, related_name="self_assessments", verbose_name=_("venue"))
    checklist = models.ForeignKey(
        ChecklistVersion, models.PROTECT, related_name="assessments", verbose_name=_("checklist")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [models.UniqueConstraint(fields=["partner", "checklist"], name="self_assessment_one_per_version")]

    def __str__(self) -> str:
        return f"{self.partner} ({self.checklist})"


class SelfAssessmentItem(models.Model):  # noqa: DJ008 (an answer is shown with its question, never alone)
    assessment = models.ForeignKey(
        SelfAssessment, models.CASCADE, related_name="items", verbose_name=_("self-assessment")
    )
    question = models.ForeignKey(ChecklistQuestion, models.PROTECT, related_name="items", verbose_name=_("question"))
    answer = models.CharField(_("answer"), max_length=7, choices=SelfAssessmentAnswer.choices)
    notes = models.CharField(_("notes"), max_length=1000, blank=True, validators=NO_NUL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="self_assessment_item_unique")]
