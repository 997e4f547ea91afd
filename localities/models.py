"""Localities: reference data (regions, wellbeing services counties, municipalities), the localities that run
Kaikukortti, their coordinators and the invitations that make a coordinator."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaikukeskus.i18n import translated
from kaikukeskus.locking import Versioned
from kaikukeskus.models import User, national_staff_choices
from kaikukeskus.validators import validate_reasonable_date
from localities.validators import validate_document_content, validate_document_size


def person_field(
    verbose_name, *, blank: bool = True, related_name: str = "+"
) -> "models.ForeignKey[User | None, User | None]":
    """Who did something (invited, changed, uploaded, marked done, logged…): the row stays when the person's
    account is deleted, with nobody named."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=blank,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class TranslatedField:
    """A read-only attribute: the model's `<attribute>_fi`, `_sv` or `_en` in the active language, Finnish when
    that translation is empty."""

    def __set_name__(self, owner, name: str) -> None:
        self.attribute = name

    def __get__(self, instance, owner=None):
        return self if instance is None else translated(instance, self.attribute)


class TranslatedNameMixin:
    name = TranslatedField()

    def __str__(self) -> str:
        return self.name


class Area(TranslatedNameMixin, models.Model):
    """A region or a wellbeing services county: reference data named in Finnish (uniquely) and Swedish."""

    name_fi = models.CharField(_("name in Finnish"), max_length=150, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=150, blank=True)

    class Meta:
        abstract = True
        ordering = ["name_fi"]


class Region(Area):
    class Meta(Area.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class WellbeingServicesCounty(Area):
    class Meta(Area.Meta):
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")


class Municipality(TranslatedNameMixin, models.Model):
    code = models.CharField(_("municipality code"), max_length=3, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="municipalities", verbose_name=_("region"))
    county = models.ForeignKey(
        WellbeingServicesCounty,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("wellbeing services county"),
        help_text=_("Empty for Åland, which has no wellbeing services county."),
    )
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("Inhabitants, from localities/data/municipality_population.csv: for coverage by population."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{3}$"), name="municipality_code_3_digits")
        ]
        # Lists of venues ordered by their municipality's name read the municipalities in this order.
        indexes = [models.Index(fields=["name_fi", "id"], name="municipality_name_fi_id")]


def _not_before(later: str, earlier: str) -> Q:
    return Q(**{f"{later}__isnull": True}) | Q(**{f"{earlier}__isnull": True}) | Q(**{f"{later}__gte": F(earlier)})


# The lifecycle's dates that follow each other: (constraint, later date, the date it may not precede, message).
# Ending is not held against the pilot start: a locality that prepares a pilot may end before its planned start.
LOCALITY_DATE_ORDER = (
    ("locality_pilot_end_after_start", "pilot_end_on", "pilot_start_on", _("The pilot cannot end before it starts.")),
    (
        "locality_permanent_after_pilot_start",
        "permanent_since",
        "pilot_start_on",
        _("Permanent use cannot begin before the pilot started."),
    ),
    (
        "locality_ended_after_permanent",
        "ended_on",
        "permanent_since",
        _("Kaikukortti cannot end before its permanent use began."),
    ),
)


class LocalityQuerySet(models.QuerySet):
    def public(self):
        """What visitors see: localities that run the card now. Never prospects."""
        return self.filter(status__in=Locality.PUBLIC_STATUSES)

    def running_during(self, start: datetime.date | Combinable, end: datetime.date | Combinable):
        """Localities where the card ran (piloting or permanent) at some point of the period: those expected to
        report its statistics. From the lifecycle dates, so that a past period is judged by what was true then
        (a locality that ended since still owes the periods it ran in); a piloting or permanent locality whose
        pilot start was never recorded counts as running."""
        started = Q(pilot_start_on__lte=end) | Q(pilot_start_on__isnull=True, status__in=Locality.PUBLIC_STATUSES)
        not_ended = Q(ended_on__isnull=True) | Q(ended_on__gte=start)
        not_yet = Q(status__in=[Locality.Status.PROSPECT, Locality.Status.PREPARING])
        return self.filter(started & not_ended).exclude(not_yet)


class Locality(TranslatedNameMixin, Versioned):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        GROUP = "group", _("Group of municipalities")
        COUNTY = "county", _("Wellbeing services county")

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        PREPARING = "preparing", _("Preparing")
        PILOTING = "piloting", _("Piloting")
        PERMANENT = "permanent", _("Permanent")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    PUBLIC_STATUSES = (Status.PILOTING, Status.PERMANENT)
    # The allowed moves. A prospect prepares a pilot, pilots and becomes permanent; any running locality may pause
    # or end; a paused one resumes where it makes sense; an ended one may become a prospect again.
    ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PROSPECT: frozenset({Status.PREPARING, Status.ENDED}),
        Status.PREPARING: frozenset({Status.PROSPECT, Status.PILOTING, Status.PAUSED, Status.ENDED}),
        Status.PILOTING: frozenset({Status.PERMANENT, Status.PAUSED, Status.ENDED}),
        Status.PERMANENT: frozenset({Status.PAUSED, Status.ENDED}),
        Status.PAUSED: frozenset({Status.PREPARING, Status.PILOTING, Status.PERMANENT, Status.ENDED}),
        Status.ENDED: frozenset({Status.PROSPECT}),
    }
    # On the pilot review board (and reminded of overdue milestones): preparing or piloting.
    BOARD_STATUSES = (Status.PREPARING, Status.PILOTING)
    # Kaikukeskus logs contacts with a locality that does not run the card.
    PROSPECT_CONTACT_STATUSES = (Status.PROSPECT, Status.PREPARING, Status.PAUSED, Status.ENDED)
    # A coordinator may ask to coordinate a locality that prepares or runs the card.
    ACCESS_REQUEST_STATUSES = (Status.PREPARING, Status.PILOTING, Status.PERMANENT, Status.PAUSED)
    # The lifecycle's dates in their order: `locality_transition` sets them with the status, staff correct them.
    LIFECYCLE_DATES = ("first_contact_on", "pilot_start_on", "pilot_end_on", "permanent_since", "ended_on")
    # What the locality's coordinators keep current on its public page (staff edit them in the admin too).
    PUBLIC_FACT_FIELDS = (
        "description_fi",
        "description_sv",
        "description_en",
        "website",
        "feedback_email",
        "card_access_fi",
        "card_access_sv",
        "card_access_en",
    )

    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150, blank=True)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Used in web addresses."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)
    municipalities = models.ManyToManyField(
        Municipality, related_name="localities", blank=True, verbose_name=_("municipalities")
    )
    county = models.ForeignKey(
        WellbeingServicesCounty,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="localities",
        verbose_name=_("wellbeing services county"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROSPECT)
    first_contact_on = models.DateField(
        _("first contact on"), null=True, blank=True, validators=[validate_reasonable_date]
    )
    pilot_start_on = models.DateField(_("pilot start"), null=True, blank=True, validators=[validate_reasonable_date])
    pilot_end_on = models.DateField(_("pilot end"), null=True, blank=True, validators=[validate_reasonable_date])
    permanent_since = models.DateField(
        _("permanent since"), null=True, blank=True, validators=[validate_reasonable_date]
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[validate_reasonable_date])
    website = models.URLField(_("local web page"), blank=True)
    feedback_email = models.EmailField(_("public feedback e-mail"), blank=True)
    # The public facts a coordinator keeps current (`localities.services.locality_public_facts_update`).
    description_fi = models.TextField(_("description in Finnish"), blank=True, max_length=2000)
    description_sv = models.TextField(_("description in Swedish"), blank=True, max_length=2000)
    description_en = models.TextField(_("description in English"), blank=True, max_length=2000)
    card_access_fi = models.TextField(_("how to get the card, in Finnish"), blank=True, max_length=2000)
    card_access_sv = models.TextField(_("how to get the card, in Swedish"), blank=True, max_length=2000)
    card_access_en = models.TextField(_("how to get the card, in English"), blank=True, max_length=2000)
    local_only_card = models.BooleanField(
        _("local-only card"), default=False, help_text=_("The card is valid only at this locality's venues.")
    )
    staff_notes = models.TextField(_("staff-only notes"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_localities",
        verbose_name=_("owner at Kaikukeskus"),
        limit_choices_to=national_staff_choices,
        help_text=_("The member of staff who follows this locality in the prospect pipeline."),
    )
    lost_reason = models.TextField(
        _("reason lost"),
        blank=True,
        help_text=_("Why a prospect did not go on to a pilot: shown in the pipeline's measures."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = LocalityQuerySet.as_manager()

    description = TranslatedField()
    card_access = TranslatedField()

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["name_fi"]
        constraints = [
            models.CheckConstraint(condition=_not_before(later, earlier), name=name)
            for name, later, earlier, _message in LOCALITY_DATE_ORDER
        ]

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def running_since(self) -> datetime.date | None:
        """Since when the card runs here, as visitors are told: its permanent use, else its pilot."""
        if self.status == self.Status.PERMANENT and self.permanent_since:
            return self.permanent_since
        return self.pilot_start_on

    def clean(self) -> None:
        """The lifecycle's dates in their order, whoever writes them (the status form, the admin, an import).
        The same rules stand in `Meta.constraints`, so that the database refuses what the code forgot."""
        errors = {
            later: str(message)
            for _name, later, earlier, message in LOCALITY_DATE_ORDER
            if getattr(self, later) and getattr(self, earlier) and getattr(self, later) < getattr(self, earlier)
        }
        if errors:
            raise ValidationError(errors)


class Side(models.TextChoices):
    CULTURE = "culture", _("Culture")
    SOCIAL_HEALTH = "social_health", _("Social and health services")


class CoordinatorQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


class Coordinator(models.Model):
    """A membership: the user coordinates the locality on one side. Ending it keeps the row for history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="coordinatorships", verbose_name=_("user")
    )
    locality = models.ForeignKey(Locality, models.CASCADE, related_name="coordinators", verbose_name=_("locality"))
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    started_on = models.DateField(_("started on"), default=timezone.localdate, validators=[validate_reasonable_date])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[validate_reasonable_date])

    history = HistoricalRecords()
    objects = CoordinatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        ordering = ["locality__name_fi", "side", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "locality"],
                condition=Q(ended_on__isnull=True),
                name="coordinator_one_open_membership",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="coordinator_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.locality} ({self.get_side_display()})"


class Invitation(models.Model):
    """A single-use, expiring link that staff send to a future coordinator. Only the token's hash is kept."""

    email = models.EmailField(_("e-mail address"))
    locality = models.ForeignKey(Locality, models.CASCADE, related_name="invitations", verbose_name=_("locality"))
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = person_field(_("invited by"), blank=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = person_field(_("accepted by"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fi")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.locality}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


# --- Lifecycle --------------------------------------------------------------------------------------------


class LocalityStatusChange(models.Model):
    """One move in a locality's lifecycle: who moved it, from what to what, effective when. Written only by
    `services.locality_transition`, never edited: it is the timeline's backbone."""

    locality = models.ForeignKey(Locality, models.CASCADE, related_name="status_changes", verbose_name=_("locality"))
    from_status = models.CharField(_("from status"), max_length=20, choices=Locality.Status.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=Locality.Status.choices)
    effective_on = models.DateField(_("effective on"), validators=[validate_reasonable_date])
    note = models.TextField(_("note"), blank=True)
    changed_by = person_field(_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=models.F("to_status")), name="status_change_moves"),
        ]

    def __str__(self) -> str:
        return f"{self.locality}: {self.get_from_status_display()} → {self.get_to_status_display()}"


# --- Agreements (private documents) -----------------------------------------------------------------------


def agreement_upload_to(instance, filename: str) -> str:
    """A random name: the document is found only through the scoped download view, never by its path."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"agreements/{uuid.uuid4().hex}{suffix}"


def private_storage():
    from kaikukeskus.storage import private_storage as storage

    return storage


class LocalityAgreement(models.Model):
    """The agreement between the locality and Kaikukeskus. The document is private: it lives in the private
    storage (no public URL) and is downloaded through a view that checks the user's scope."""

    locality = models.ForeignKey(Locality, models.CASCADE, related_name="agreements", verbose_name=_("locality"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), validators=[validate_reasonable_date])
    valid_from = models.DateField(_("valid from"), validators=[validate_reasonable_date])
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Empty: until further notice."),
        validators=[validate_reasonable_date],
    )
    document = models.FileField(
        _("document"),
        upload_to=agreement_upload_to,
        storage=private_storage,
        max_length=200,
        validators=[
            FileExtensionValidator(["pdf", "docx", "odt"]),
            validate_document_size,
            validate_document_content,
        ],
        help_text=_("PDF, DOCX or ODT, at most 10 MB."),
    )
    original_filename = models.CharField(_("original file name"), max_length=200, blank=True, editable=False)
    uploaded_by = person_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.title or _("Agreement signed on %(date)s") % {
            "date": date_format(self.signed_on, "SHORT_DATE_FORMAT")
        }

    @property
    def download_name(self) -> str:
        from pathlib import PurePath

        suffix = PurePath(self.document.name).suffix
        return f"kaikukortti-agreement-{self.locality.slug}-{self.signed_on.isoformat()}{suffix}"


# --- Pilots and milestones --------------------------------------------------------------------------------


class TranslatedTitleMixin:
    title = TranslatedField()

    def __str__(self) -> str:
        return self.title


class MilestoneTemplate(TranslatedTitleMixin, models.Model):
    """One step of the national pilot checklist. Staff edit the steps; starting a pilot copies the active steps
    into the pilot's milestones, so later edits never change a running pilot."""

    position = models.PositiveSmallIntegerField(_("position"), help_text=_("Steps are listed in this order."))
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    due_offset_days = models.SmallIntegerField(
        _("due, days from the pilot start"),
        help_text=_("Negative: before the planned pilot start; positive: after it."),
    )
    is_active = models.BooleanField(_("in use"), default=True, help_text=_("Only steps in use are copied."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone template step")
        verbose_name_plural = _("milestone template")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["position"], name="milestone_template_unique_position")]


class Pilot(Versioned):
    """A locality's pilot: started when it begins preparing, it carries the checklist of milestones."""

    locality = models.OneToOneField(Locality, models.CASCADE, related_name="pilot", verbose_name=_("locality"))
    planned_start_on = models.DateField(_("planned start"), validators=[validate_reasonable_date])
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = person_field(_("created by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["locality__name_fi"]

    def __str__(self) -> str:
        return _("Pilot of %(locality)s") % {"locality": self.locality}


class DueWorkQuerySet(models.QuerySet):
    """Work that falls due on a day and is marked done (milestones, follow-up actions): the one meaning of
    open, done and overdue, for pages, the admin's filters, the board's counts and the reminders."""

    def open(self):
        return self.filter(done_on__isnull=True)

    def done(self):
        return self.filter(done_on__isnull=False)

    def overdue(self, on: datetime.date | None = None):
        """Not done and due before `on` (today): work due today is not late yet."""
        return self.open().filter(due_on__lt=on or timezone.localdate())


class DueWork(models.Model):
    """Work that falls due on a day and is marked done, with who marked it; `is_overdue` is the queryset's rule
    for one row already in memory."""

    due_on = models.DateField(_("due on"), validators=[validate_reasonable_date])
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=[validate_reasonable_date])
    done_by = person_field(_("done by"))

    objects = DueWorkQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(done_by__isnull=True) | Q(done_on__isnull=False), name="%(class)s_done_by_needs_date"
            ),
        ]

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return self.done_on is None and self.due_on < (on or timezone.localdate())


class Milestone(TranslatedTitleMixin, DueWork, Versioned):
    pilot = models.ForeignKey(Pilot, models.CASCADE, related_name="milestones", verbose_name=_("pilot"))
    template = models.ForeignKey(
        MilestoneTemplate,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("template step"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta(DueWork.Meta):
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["pilot", "position"]
        constraints = [
            *DueWork.Meta.constraints,
            models.UniqueConstraint(fields=["pilot", "position"], name="milestone_unique_position"),
        ]

    @classmethod
    def from_template(cls, step: "MilestoneTemplate", *, pilot: "Pilot", **extra) -> "Milestone":
        """An unsaved copy of a national checklist step, due its offset from the pilot's planned start."""
        return cls(
            pilot=pilot,
            template=step,
            position=step.position,
            title_fi=step.title_fi,
            title_sv=step.title_sv,
            title_en=step.title_en,
            due_on=pilot.planned_start_on + datetime.timedelta(days=step.due_offset_days),
            **extra,
        )


# --- Feedback meetings ------------------------------------------------------------------------------------


class FeedbackMeeting(models.Model):
    """A feedback meeting of a locality's network with Kaikukeskus: planned ahead (time, place, agenda, who is
    invited), then recorded after the fact in the same row (participants, summary, follow-up actions). Rows
    recorded only after the fact have no time, place or invitations and are held."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    locality = models.ForeignKey(Locality, models.CASCADE, related_name="feedback_meetings", verbose_name=_("locality"))
    held_on = models.DateField(_("date"), validators=[validate_reasonable_date])
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.HELD)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    invited_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("Kaikukeskus staff invited"),
        limit_choices_to=national_staff_choices,
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True, editable=False)
    # The invitations' calendar event (kaikukeskus/ics.py): raised when the meeting moves, so that the calendars
    # that added it replace it with the new time instead of adding a second event.
    sequence = models.PositiveSmallIntegerField(_("calendar sequence"), default=0, editable=False)
    kaikukeskus_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("Kaikukeskus participants"),
        limit_choices_to=national_staff_choices,
    )
    attendance = models.TextField(
        # "attendance" of a training is marking who came: a context keeps the two apart in the merged catalogue.
        pgettext_lazy("feedback meeting", "attendance"),
        blank=True,
        help_text=_("Who took part from the locality and its partners."),
    )
    attendee_count = models.PositiveSmallIntegerField(_("number of attendees"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = person_field(_("created by"))

    history = HistoricalRecords(m2m_fields=[kaikukeskus_participants, invited_staff])

    class Meta:
        verbose_name = _("feedback meeting")
        verbose_name_plural = _("feedback meetings")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=False, ends_at__gt=F("starts_at")),
                name="feedback_meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return _("Feedback meeting %(date)s, %(locality)s") % {
            "date": date_format(self.held_on, "SHORT_DATE_FORMAT"),
            "locality": self.locality,
        }

    def clean(self) -> None:
        if self.held_on and self.held_on > timezone.localdate() + datetime.timedelta(days=365):
            raise ValidationError({"held_on": _("The date is more than a year ahead.")})

    @property
    def is_planned(self) -> bool:
        return self.state == self.State.PLANNED

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def where(self) -> str:
        """The place and the online link, as a calendar's location reads them."""
        return " · ".join(part for part in (self.place, self.online_link) if part)


class FeedbackMeetingGuest(models.Model):
    """A person from outside the portal (a local partner's contact person) invited to a planned feedback
    meeting by e-mail."""

    meeting = models.ForeignKey(FeedbackMeeting, models.CASCADE, related_name="guests", verbose_name=_("meeting"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fi")
    invited_by = person_field(_("invited by"))
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invited guest")
        verbose_name_plural = _("invited guests")
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(
                "meeting",
                Lower("email"),
                name="feedback_meeting_guest_once",
                violation_error_message=_("This address has been invited already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class FollowUpAction(DueWork):
    meeting = models.ForeignKey(
        FeedbackMeeting, models.CASCADE, related_name="actions", verbose_name=_("feedback meeting")
    )
    description = models.TextField(_("action"))
    owner = person_field(_("owner"), related_name="follow_up_actions")
    owner_name = models.CharField(
        _("owner (if not a portal user)"),
        max_length=150,
        blank=True,
        help_text=_("For example a partner's contact person or a municipal unit."),
    )
    done_by = person_field(_("marked done by"))

    history = HistoricalRecords()

    class Meta(DueWork.Meta):
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_display(self) -> str:
        return self.owner.display_name if self.owner_id else self.owner_name


# --- Prospects --------------------------------------------------------------------------------------------


class ProspectContact(models.Model):
    """Staff's log of contacts with a locality that does not run Kaikukortti yet."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        MEETING = "meeting", _("Meeting")
        ONLINE_MEETING = "online_meeting", _("Online meeting")
        EVENT = "event", _("Event")
        OTHER = "other", _("Other")

    locality = models.ForeignKey(Locality, models.CASCADE, related_name="prospect_contacts", verbose_name=_("locality"))
    contacted_on = models.DateField(_("date"), validators=[validate_reasonable_date])
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    summary = models.TextField(_("summary"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True, validators=[validate_reasonable_date])
    logged_by = person_field(_("logged by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prospect contact")
        verbose_name_plural = _("prospect contacts")
        ordering = ["-contacted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_step_on__isnull=True) | ~Q(next_step=""), name="prospect_contact_dated_step_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.locality} {date_format(self.contacted_on, 'SHORT_DATE_FORMAT')} ({self.get_channel_display()})"


class Prospect(Locality):
    """Staff's sales pipeline: localities in status `prospect` (a proxy, for its own admin list)."""

    class Meta:
        proxy = True
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects in the pipeline")


class PilotBoard(Locality):
    """The pilot review board: preparing and piloting localities (a proxy, for its own admin list)."""

    class Meta:
        proxy = True
        verbose_name = _("pilot on the review board")
        verbose_name_plural = _("pilots on the review board")


# --- Access requests --------------------------------------------------------------------------------------


class AccessRequest(models.Model):
    """A coordinator asks to coordinate a further locality; staff approve or decline and the coordinator is
    told by e-mail and on the portal's front page."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="access_requests", verbose_name=_("user")
    )
    locality = models.ForeignKey(Locality, models.CASCADE, related_name="access_requests", verbose_name=_("locality"))
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why you need access, for Kaikukeskus."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = person_field(_("decided by"))
    decision_note = models.TextField(_("message to the coordinator"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "locality"],
                condition=Q(status="pending"),
                name="access_request_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(~Q(status="pending"), decided_at__isnull=False),
                name="access_request_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.locality}"


class OverdueReminder(models.Model):
    """One reminder e-mail about overdue milestones and actions, per user and day: the row makes the weekly
    task safe to run twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="overdue_reminders", verbose_name=_("user")
    )
    sent_on = models.DateField(_("sent on"))
    milestones = models.PositiveIntegerField(_("overdue milestones"), default=0)
    actions = models.PositiveIntegerField(_("overdue actions"), default=0)

    class Meta:
        verbose_name = _("overdue reminder")
        verbose_name_plural = _("overdue reminders")
        ordering = ["-sent_on"]
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="overdue_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.sent_on}"


# --- Outreach: the interest form ------------------------------------------------------------------------------


class ProspectClaim(models.Model):
    """A municipality or a wellbeing services county in the pipeline as one locality: the database refuses a
    second prospect for it, whoever creates one at the same moment (`services.interest_submit`)."""

    locality = models.ForeignKey(Locality, models.CASCADE, related_name="claims", verbose_name=_("locality"))
    municipality = models.OneToOneField(
        Municipality,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="prospect_claim",
        verbose_name=_("municipality"),
    )
    county = models.OneToOneField(
        WellbeingServicesCounty,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="prospect_claim",
        verbose_name=_("wellbeing services county"),
    )

    class Meta:
        verbose_name = _("prospect claim")
        verbose_name_plural = _("prospect claims")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, county__isnull=True)
                | Q(municipality__isnull=True, county__isnull=False),
                name="prospect_claim_municipality_or_county",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality or self.county} → {self.locality}"


class InterestSubmission(models.Model):
    """A municipality or county asks to join through `/join/`: what the sender told and what became of it. The
    sender's contact details are erased after `OUTREACH_ERASE_AFTER_MONTHS` unless the locality came to run the
    card; the rest of the record stays for the pipeline's measures."""

    class Sector(models.TextChoices):
        CULTURE = "culture", _("Culture or leisure services")
        SOCIAL_HEALTH = "social_health", _("Social and health services")
        WELLBEING = "wellbeing", _("Wellbeing and health promotion")
        OTHER = "other", _("Other")

    class OtherSector(models.TextChoices):
        YES = "yes", _("Yes, already involved")
        NOT_YET = "not_yet", _("Not yet")
        UNKNOWN = "unknown", _("I do not know")

    class DecisionStage(models.TextChoices):
        IDEA = "idea", _("An idea")
        MOTION = "motion", _("A council motion")
        BOARD = "board", _("A board decision")
        BUDGET = "budget", _("In the budget")

    class Outcome(models.TextChoices):
        NEW_PROSPECT = "new_prospect", _("New prospect")
        CONTACT_ADDED = "contact_added", _("Contact on an existing prospect")
        ALREADY_RUNNING = "already_running", _("Locality already runs the card")

    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fi")
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="interest_submissions",
        verbose_name=_("municipality"),
    )
    county = models.ForeignKey(
        WellbeingServicesCounty,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="interest_submissions",
        verbose_name=_("wellbeing services county"),
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    other_sector = models.CharField(_("other sector involved"), max_length=20, choices=OtherSector.choices)
    decision_stage = models.CharField(_("decision stage"), max_length=20, choices=DecisionStage.choices)
    desired_start = models.DateField(_("desired start"), null=True, blank=True, validators=[validate_reasonable_date])
    message = models.TextField(_("message"), blank=True)
    consent = models.BooleanField(_("consent to store the contact"), default=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    locality = models.ForeignKey(
        Locality,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="interest_submissions",
        verbose_name=_("locality"),
    )
    contact = models.OneToOneField(
        ProspectContact,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="interest_submission",
        verbose_name=_("prospect contact"),
    )
    owner = person_field(_("owner at Kaikukeskus"), related_name="assigned_interest_submissions")
    erased_at = models.DateTimeField(_("contact details erased at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interest submission")
        verbose_name_plural = _("interest submissions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | Q(county__isnull=False),
                name="interest_submission_has_area",
            ),
        ]

    def __str__(self) -> str:
        sent = date_format(timezone.localtime(self.created_at), "SHORT_DATE_FORMAT")
        return f"{self.municipality or self.county} {sent}"

    @property
    def area(self):
        return self.municipality or self.county


class LocalityPageCheck(models.Model):
    """One monthly check of a locality's own public web page (`localities.page_check`): did it answer, does it
    mention Kaikukortti, and since when has it read as it does now (a hash of what was read). Kept per check, so
    staff see when a page broke or changed."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Answers and mentions Kaikukortti")
        SILENT = "silent", _("Answers but does not mention Kaikukortti")
        BROKEN = "broken", _("Does not answer")
        MISSING = "missing", _("No web page given")

    locality = models.ForeignKey(Locality, models.CASCADE, related_name="page_checks", verbose_name=_("locality"))
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    url = models.URLField(_("address"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    content_sha256 = models.CharField(_("content hash"), max_length=64, blank=True)
    changed_since = models.DateTimeField(
        _("reads as now since"), null=True, blank=True, help_text=_("When the page last changed, as far as we know.")
    )
    feedback_email_given = models.BooleanField(_("public feedback e-mail given"), default=False)

    class Meta:
        verbose_name = _("page check")
        verbose_name_plural = _("page checks")
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["locality", "-checked_at"], name="page_check_latest")]

    def __str__(self) -> str:
        return f"{self.locality}: {self.get_outcome_display()}"

    @property
    def needs_attention(self) -> bool:
        return self.outcome in (self.Outcome.SILENT, self.Outcome.BROKEN) or not self.feedback_email_given
