"""The national Kaikukortti statistics: reporting rounds, the localities' reports and their workflow, and the
national years (aggregated from approved reports, or the published history 2015–2023).

The figures are those Kaikukeskus publishes (docs/domain.md §3): cards registered and activated, and uses split
adult / child × four sectors. One use is one ticket, one course place or one season pass. Their names are a
contract (DESIGN §6: the import header and the open data API), so they are listed once here and every form,
serializer, import and aggregation takes them from `FIGURES`, `USE_FIELDS` and `Figures`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaikukeskus.locking import Versioned
from localities.models import Locality
from networks.models import Partner, Sector

SECTORS = tuple(Sector.values)  # culture, education, science, sports
AGE_GROUPS = ("adult", "child")
USE_FIELDS = tuple(f"{age}_{sector}" for age in AGE_GROUPS for sector in SECTORS)
CARD_FIELDS = ("cards_registered", "cards_activated")
FIGURES = CARD_FIELDS + USE_FIELDS  # the ten figures of a report, in the order of the import header
NETWORK_FIELDS = ("municipalities", "issuers", "venues")  # prefilled from the locality and its network
TEXT_FIELDS = ("highlights", "challenges")
EDITABLE_FIELDS = (*FIGURES, *NETWORK_FIELDS, *TEXT_FIELDS)  # what the coordinators fill in

AGE_LABELS = {"adult": _("adults"), "child": _("children")}


class Figures(models.Model):
    """The ten figures, shared by a locality's report, a locality's year and the national year. Null means not
    known (a draft not yet filled in, or a figure the published history does not give)."""

    cards_registered = models.PositiveIntegerField(
        _("cards registered"), null=True, blank=True, help_text=_("Cards given to clients during the period.")
    )
    cards_activated = models.PositiveIntegerField(
        _("cards activated"),
        null=True,
        blank=True,
        help_text=_("Cards used at least once for the first time during the period."),
    )
    adult_culture = models.PositiveIntegerField(_("culture, adults"), null=True, blank=True)
    adult_education = models.PositiveIntegerField(_("education, adults"), null=True, blank=True)
    adult_science = models.PositiveIntegerField(_("science, adults"), null=True, blank=True)
    adult_sports = models.PositiveIntegerField(_("sports, adults"), null=True, blank=True)
    child_culture = models.PositiveIntegerField(_("culture, children"), null=True, blank=True)
    child_education = models.PositiveIntegerField(_("education, children"), null=True, blank=True)
    child_science = models.PositiveIntegerField(_("science, children"), null=True, blank=True)
    child_sports = models.PositiveIntegerField(_("sports, children"), null=True, blank=True)

    class Meta:
        abstract = True

    def figures(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in FIGURES}

    @property
    def uses_adult(self) -> int | None:
        return sum_known(getattr(self, f"adult_{sector}") for sector in SECTORS)

    @property
    def uses_child(self) -> int | None:
        return sum_known(getattr(self, f"child_{sector}") for sector in SECTORS)

    @property
    def uses_total(self) -> int | None:
        return sum_known(getattr(self, name) for name in USE_FIELDS)

    def uses_in(self, sector: str) -> int | None:
        return sum_known(getattr(self, f"{age}_{sector}") for age in AGE_GROUPS)

    def sector_split(self) -> list["SectorUses"]:
        """The uses by sector, adults and children, and each sector's share of the uses known (the public pages'
        and the annual report's sector table)."""
        known = sum(self.uses_in(sector) or 0 for sector in SECTORS)
        rows = []
        for sector in SECTORS:
            total = self.uses_in(sector)
            rows.append(
                SectorUses(
                    sector=sector,
                    adult=getattr(self, f"adult_{sector}"),
                    child=getattr(self, f"child_{sector}"),
                    total=total,
                    share=100 * total / known if total is not None and known else None,
                )
            )
        return rows


@dataclass(frozen=True)
class SectorUses:
    sector: str
    adult: int | None
    child: int | None
    total: int | None
    share: float | None  # per cent of the known uses of every sector

    @property
    def label(self) -> str:
        return Sector(self.sector).label


def sum_known(values) -> int | None:
    """The sum of the known values; None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


# --- Reporting rounds ------------------------------------------------------------------------------------


class ReportingRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReportingRound.Status.OPEN)


class ReportingRound(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", pgettext_lazy("reporting round", "Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=60, unique=True, help_text=_('For example "2026" or "2026 H1".'))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    opens_on = models.DateField(_("opens on"), help_text=_("Coordinators can fill in their reports from this day."))
    due_on = models.DateField(_("due on"), help_text=_("Reports submitted by this day are on time."))
    closes_on = models.DateField(_("closes on"), help_text=_("Late reports are accepted until this day."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()
    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["period_start", "period_end"], name="one_round_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="round_period_in_order"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")) & Q(closes_on__gte=F("due_on")), name="round_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            errors["due_on"] = _("The due date cannot be before the round opens.")
        if self.due_on and self.closes_on and self.closes_on < self.due_on:
            errors["closes_on"] = _("The round cannot close before its due date.")
        if errors:
            raise ValidationError(errors)

    @property
    def year(self) -> int:
        return self.period_start.year

    def previous_period(self) -> tuple[datetime.date, datetime.date]:
        """The same period a year earlier (what every figure is compared with)."""
        return _year_earlier(self.period_start), _year_earlier(self.period_end)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.due_on


def _year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# --- Locality reports -------------------------------------------------------------------------------------


class LocalityReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=LocalityReport.Status.APPROVED)

    def awaiting_review(self):
        return self.filter(status__in=LocalityReport.REVIEWABLE)

    def within_year(self, year: int):
        return self.filter(round__period_start__year=year, round__period_end__year=year)

    def not_submitted(self):
        """Still with the coordinators: what the missing-reports reminders are about."""
        return self.filter(status__in=LocalityReport.WITH_COORDINATORS)

    def editable_by_coordinators(self, today: datetime.date | None = None):
        """`LocalityReport.editable_by_coordinators()` as a query (the portal's to-do panel); a test holds the two
        to the same answer for every status."""
        today = today or timezone.localdate()
        status = LocalityReport.Status
        return self.filter(
            Q(status=status.DRAFT, round__status=ReportingRound.Status.OPEN)
            | Q(status=status.RETURNED)
            | Q(status=status.REOPENED, reopened_until__gte=today)
        )


class LocalityReport(Figures, Versioned):
    """One locality's figures for one reporting round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened for correction")

    # The coordinators may edit in these statuses (a reopened report only until its lock exception ends).
    WITH_COORDINATORS = (Status.DRAFT, Status.RETURNED, Status.REOPENED)
    # Staff approve or return a report in these statuses (the review queue), and reopen one in those.
    REVIEWABLE = (Status.SUBMITTED,)
    REOPENABLE = (Status.APPROVED, Status.REOPENED)

    round = models.ForeignKey(ReportingRound, models.PROTECT, related_name="reports", verbose_name=_("reporting round"))
    locality = models.ForeignKey(Locality, models.PROTECT, related_name="reports", verbose_name=_("locality"))
    municipalities = models.PositiveIntegerField(
        _("municipalities"), null=True, blank=True, help_text=_("Municipalities where the card was in use.")
    )
    issuers = models.PositiveIntegerField(_("issuers at period end"), null=True, blank=True)
    venues = models.PositiveIntegerField(_("venues at period end"), null=True, blank=True)
    highlights = models.TextField(_("highlights"), blank=True, max_length=5000)
    challenges = models.TextField(_("challenges"), blank=True, max_length=5000)
    explanations = models.JSONField(
        _("explanations of warnings"),
        default=dict,
        blank=True,
        help_text=_("The coordinators' written explanation of each warning, by the warning's code."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    first_submitted_at = models.DateTimeField(
        _("first submitted at"), null=True, blank=True, help_text=_("Timeliness is counted from this.")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    return_comment = models.TextField(_("comment on return"), blank=True, max_length=5000)
    # A lock exception: staff reopen an approved report for the coordinators until a day they set.
    reopened_until = models.DateField(_("open for correction until"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = LocalityReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("locality report")
        verbose_name_plural = _("locality reports")
        ordering = ["-round__period_start", "locality__name_fi"]
        constraints = [
            models.UniqueConstraint(fields=["round", "locality"], name="one_report_per_round_and_locality"),
            models.CheckConstraint(
                condition=~Q(status="reopened") | Q(reopened_until__isnull=False), name="reopened_has_an_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.locality} – {self.round}"

    def editable_by_coordinators(self, today: datetime.date | None = None) -> bool:
        """The one rule of whether the figures can still change: a draft while its round is open, a returned
        report (staff asked for a fix), and a reopened report until its lock exception ends (it ends by itself:
        nothing has to run on that day). Submitted and approved reports are locked."""
        if self.status == self.Status.REOPENED:
            return self.reopened_until is not None and (today or timezone.localdate()) <= self.reopened_until
        if self.status == self.Status.DRAFT:
            return self.round.status == ReportingRound.Status.OPEN
        return self.status == self.Status.RETURNED

    @property
    def is_submitted_on_time(self) -> bool | None:
        """On time, late, or None while never submitted."""
        if self.first_submitted_at is None:
            return None
        return timezone.localdate(self.first_submitted_at) <= self.round.due_on


class ReportEvent(models.Model):
    """The report's workflow, step by step, with who and why: shown to the coordinators and staff beside the
    report. (Field-level changes are in the report's history.)"""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened for correction")
        IMPORTED = "imported", _("Imported")

    report = models.ForeignKey(LocalityReport, models.CASCADE, related_name="events", verbose_name=_("report"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class VenueFigure(models.Model):
    """A row of the optional breakdown by venue: the uses at one venue of the locality's network."""

    report = models.ForeignKey(LocalityReport, models.CASCADE, related_name="venue_figures", verbose_name=_("report"))
    partner = models.ForeignKey(Partner, models.PROTECT, related_name="venue_figures", verbose_name=_("venue"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    adult = models.PositiveIntegerField(_("adult uses"), default=0)
    child = models.PositiveIntegerField(_("children's uses"), default=0)

    class Meta:
        verbose_name = _("uses by venue")
        verbose_name_plural = _("uses by venue")
        ordering = ["partner__name"]
        constraints = [models.UniqueConstraint(fields=["report", "partner"], name="one_venue_row_per_report")]

    def __str__(self) -> str:
        return str(self.partner)


class IssuerFigure(models.Model):
    """A row of the optional breakdown by issuer: the cards one issuer registered."""

    report = models.ForeignKey(LocalityReport, models.CASCADE, related_name="issuer_figures", verbose_name=_("report"))
    partner = models.ForeignKey(Partner, models.PROTECT, related_name="issuer_figures", verbose_name=_("issuer"))
    cards_registered = models.PositiveIntegerField(_("cards registered"), default=0)

    class Meta:
        verbose_name = _("cards by issuer")
        verbose_name_plural = _("cards by issuer")
        ordering = ["partner__name"]
        constraints = [models.UniqueConstraint(fields=["report", "partner"], name="one_issuer_row_per_report")]

    def __str__(self) -> str:
        return str(self.partner)


# --- National years ---------------------------------------------------------------------------------------


class NationalYearQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class NationalYear(Figures):
    """A year's national figures: aggregated from approved reports, or the history as Kaikukeskus published it.
    Visitors see a year once it is published."""

    class Source(models.TextChoices):
        AGGREGATED = "aggregated", _("Aggregated from reports")
        PUBLISHED = "published", _("Published history")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    # Stored rather than summed: the published history gives its own total, and it is the figure of record.
    total_uses = models.PositiveIntegerField(_("uses in total"), null=True, blank=True)
    municipalities = models.PositiveIntegerField(_("municipalities"), null=True, blank=True)
    localities = models.PositiveIntegerField(_("localities reporting"), null=True, blank=True)
    localities_expected = models.PositiveIntegerField(_("localities expected to report"), null=True, blank=True)
    issuers = models.PositiveIntegerField(_("issuers at year end"), null=True, blank=True)
    venues = models.PositiveIntegerField(_("venues at year end"), null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = NationalYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("national year")
        verbose_name_plural = _("national years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def uses_total(self) -> int | None:  # the contract's name (DESIGN §6)
        return self.total_uses

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def reporting_share(self) -> float | None:
        """Completeness: the share of the expected localities that reported, in per cent (None when unknown)."""
        if not self.localities_expected or self.localities is None:
            return None
        return round(100 * self.localities / self.localities_expected, 1)


class LocalityYear(Figures):
    """One locality's approved figures for a year, written by the aggregation with the national year: the
    per-locality table of `/statistics/<year>/` and the open data, fixed when the year was aggregated."""

    national_year = models.ForeignKey(
        NationalYear, models.CASCADE, related_name="locality_years", verbose_name=_("national year")
    )
    locality = models.ForeignKey(Locality, models.PROTECT, related_name="+", verbose_name=_("locality"))
    municipalities = models.PositiveIntegerField(_("municipalities"), null=True, blank=True)
    issuers = models.PositiveIntegerField(_("issuers at year end"), null=True, blank=True)
    venues = models.PositiveIntegerField(_("venues at year end"), null=True, blank=True)
    reports = models.PositiveSmallIntegerField(_("approved reports"), default=0)

    class Meta:
        verbose_name = _("locality's year")
        verbose_name_plural = _("localities' years")
        ordering = ["locality__name_fi"]
        constraints = [
            models.UniqueConstraint(fields=["national_year", "locality"], name="one_row_per_year_and_locality")
        ]

    def __str__(self) -> str:
        return f"{self.locality} {self.national_year}"


# --- Reminders --------------------------------------------------------------------------------------------


class ReportReminder(models.Model):
    """A reminder e-mailed to a report's coordinators while it is not submitted. The scheduled kinds go once per
    report and kind, whatever day the task runs and however often; a reminder asked by staff at most once per
    report and day (a double click sends nothing twice)."""

    class Kind(models.TextChoices):
        DUE_IN_14 = "due_14", _("14 days before the due date")
        DUE_IN_3 = "due_3", _("3 days before the due date")
        OVERDUE = "overdue", _("Overdue")
        MANUAL = "manual", _("Sent by staff")

    report = models.ForeignKey(LocalityReport, models.CASCADE, related_name="reminders", verbose_name=_("report"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("sent by")
    )
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"], condition=~Q(kind="manual"), name="one_scheduled_reminder_per_kind"
            ),
            models.UniqueConstraint(
                fields=["report", "sent_on"], condition=Q(kind="manual"), name="one_manual_reminder_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.get_kind_display()} {self.sent_on:%Y-%m-%d}"
