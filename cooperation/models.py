"""Working groups that Kaikukeskus takes part in: who belongs to them over time, their meetings with minutes and
documents, and the action items the meetings leave.

A membership is a period: a person who leaves and rejoins has two rows, and a period once ended is never
stretched to cover the gap (history is not rewritten). Two periods of one person in one group may not overlap:
the database refuses it on PostgreSQL (an exclusion constraint, migration 0002), the service checks it on every
database."""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaikukeskus.locking import Versioned
from kaikukeskus.validators import validate_reasonable_date
from localities.models import DueWork, DueWorkQuerySet, TranslatedNameMixin, person_field


class WorkingGroup(TranslatedNameMixin, Versioned):
    class Scope(models.TextChoices):
        DOMESTIC = "domestic", _("Domestic")
        INTERNATIONAL = "international", _("International")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        OBSERVER = "observer", _("Observer")

    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    scope = models.CharField(_("domestic or international"), max_length=20, choices=Scope.choices)
    host = models.CharField(_("host organisation"), max_length=200)
    kaikukeskus_role = models.CharField(_("Kaikukeskus's role"), max_length=20, choices=Role.choices)
    language = models.CharField(
        _("working language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="fi",
        help_text=_("E-mails to external members are written in this language."),
    )
    description = models.TextField(_("description"), blank=True)
    active_from = models.DateField(_("active from"), validators=[validate_reasonable_date])
    active_until = models.DateField(
        _("active until"), null=True, blank=True, validators=[validate_reasonable_date], help_text=_("Empty: ongoing.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name_fi"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_until__gte=F("active_from")),
                name="working_group_until_after_from",
                violation_error_message=_("A group cannot end before it starts."),
            ),
        ]

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.active_from <= on and (self.active_until is None or self.active_until >= on)


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Periods that include `on` (today)."""
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)

    def of_user(self, user):
        return self.filter(user=user) if getattr(user, "is_authenticated", False) else self.none()


class Membership(models.Model):
    """One period of one person in one group: a portal user (national staff or a coordinator) or an external
    contact named here."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")
        DEPUTY = "deputy", _("Deputy member")
        OBSERVER = "observer", _("Observer")
        EXPERT = "expert", _("Expert")

    group = models.ForeignKey(WorkingGroup, models.CASCADE, related_name="memberships", verbose_name=_("working group"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("portal user"),
        help_text=_("Kaikukeskus staff or a coordinator. Empty for an external member named below."),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    started_on = models.DateField(_("member from"), validators=[validate_reasonable_date])
    ended_on = models.DateField(
        _("member until"), null=True, blank=True, validators=[validate_reasonable_date], help_text=_("Empty: ongoing.")
    )

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group", "started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, name="", email="")
                | (Q(user__isnull=True) & ~Q(name="") & ~Q(email="")),
                name="membership_user_or_external_contact",
                violation_error_message=_(
                    "Choose a portal user, or give an external member's name and e-mail address (not both)."
                ),
            ),
            # One open period per person and group on every database; overlaps of ended periods are refused
            # by the exclusion constraint on PostgreSQL and by the service everywhere.
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(ended_on__isnull=True, user__isnull=False),
                name="membership_one_open_period_per_user",
                violation_error_message=_("This person is already a member of the group."),
            ),
            models.UniqueConstraint(
                F("group"),
                Lower("email"),
                condition=Q(ended_on__isnull=True, user__isnull=True),
                name="membership_one_open_period_per_contact",
                violation_error_message=_("This person is already a member of the group."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.group})"

    @property
    def person_name(self) -> str:
        return self.user.display_name if self.user_id else self.name

    @property
    def person_organisation(self) -> str:
        if self.organisation or not self.user_id:
            return self.organisation
        return str(_("Kaikukeskus")) if self.user.is_national_staff else ""

    @property
    def address(self) -> str:
        return self.user.email if self.user_id else self.email

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)

    def covers(self, day: datetime.date) -> bool:
        return self.is_current(day)


class Visibility(models.TextChoices):
    """Who reads a meeting's minutes and documents: staff only, the group's members too, or anyone who sees the
    group."""

    STAFF = "staff", _("Staff only")
    MEMBERS = "members", _("Group members")
    PUBLIC = "public", _("Public")


class GroupMeeting(Versioned):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(WorkingGroup, models.CASCADE, related_name="meetings", verbose_name=_("working group"))
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place or online link"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PLANNED)
    organiser = person_field(_("organiser"), related_name="organised_group_meetings")
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_visibility = models.CharField(
        _("minutes visible to"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    minutes_reminder_sent_at = models.DateTimeField(
        _("minutes reminder sent at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The organiser is reminded once when a held meeting has no minutes a week later."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["state", "starts_at"], name="group_meeting_state_start")]

    def __str__(self) -> str:
        return f"{self.group} {date_format(timezone.localtime(self.starts_at), 'SHORT_DATE_FORMAT')}"

    @property
    def held_on(self) -> datetime.date:
        return timezone.localdate(self.starts_at)


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(GroupMeeting, models.CASCADE, related_name="attendees", verbose_name=_("meeting"))
    # A period somebody attended with is never deleted (it is ended instead): the attendance names it.
    membership = models.ForeignKey(
        Membership,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
        help_text=_("Empty for a guest named below."),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(membership__isnull=False) | ~Q(name=""),
                name="attendee_member_or_named",
                violation_error_message=_("Choose a member or give the attendee's name."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or (self.membership.person_name if self.membership_id else "")

    @property
    def display_organisation(self) -> str:
        return self.organisation or (self.membership.person_organisation if self.membership_id else "")


def document_upload_to(instance, filename: str) -> str:
    """A random name: the file is found only through the download view, which checks who may read it."""
    return f"working-groups/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def private_storage():
    from kaikukeskus.storage import private_storage as storage

    return storage


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(GroupMeeting, models.CASCADE, related_name="documents", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to, storage=private_storage, max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=200, blank=True, editable=False)
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    uploaded_by = person_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        return self.original_filename or f"document-{self.pk}{PurePath(self.file.name).suffix}"


class ActionItem(DueWork):
    meeting = models.ForeignKey(GroupMeeting, models.CASCADE, related_name="action_items", verbose_name=_("meeting"))
    description = models.TextField(_("action"))
    owner = person_field(_("owner"), related_name="group_action_items")
    owner_name = models.CharField(
        _("owner (if not a portal user)"),
        max_length=150,
        blank=True,
        help_text=_("For example an external member or an organisation."),
    )
    done_by = person_field(_("marked done by"))

    objects = DueWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(DueWork.Meta):
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_display(self) -> str:
        return self.owner.display_name if self.owner_id else self.owner_name
