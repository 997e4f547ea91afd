"""The portal's user (e-mail is the login, there is no username), background jobs and the public data version."""

import uuid

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaikukeskus.roles import STAFF_GROUP


class UserQuerySet(models.QuerySet):
    def national_staff(self):
        """Kaikukeskus staff, the one definition: active, staff status, and the staff group (or superuser).
        `User.is_national_staff` asks this same query, so no other module spells the rule again."""
        return (
            self.filter(is_active=True, is_staff=True)
            .filter(Q(is_superuser=True) | Q(groups__name=STAFF_GROUP))
            .distinct()
        )


class EmailUserManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


# What a user's history leaves out: the password's hash is a secret, and a login is no change by anybody.
USER_FIELDS_WITHOUT_HISTORY = ("password", "last_login")


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))],
        default="fi",
        help_text=_("E-mails from the portal are sent in this language."),
    )
    # The reminders a person may turn off ("My account"). Service mail that a deadline depends on (statistics
    # reminders, training confirmations, decisions on one's requests) has no switch: it is always sent.
    wants_overdue_reminders = models.BooleanField(
        _("reminders of overdue pilot milestones and follow-up actions"),
        default=True,
        help_text=_("An e-mail when a milestone or follow-up action of your locality is past its due date."),
    )
    wants_consultation_mail = models.BooleanField(
        _("news of materials opened for comments"),
        default=True,
        help_text=_("An e-mail when Kaikukeskus asks for comments on a draft material."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()
    # Who granted or removed the staff role, deactivated or reactivated the account and why
    # (`kaikukeskus.services`).
    history = HistoricalRecords(excluded_fields=list(USER_FIELDS_WITHOUT_HISTORY))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        # A save of only what the history leaves out (each login's `last_login`, a new password) adds no row.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not set(update_fields) <= set(USER_FIELDS_WITHOUT_HISTORY):
            return super().save(*args, **kwargs)
        self.skip_history_when_saving = True
        try:
            return super().save(*args, **kwargs)
        finally:
            del self.skip_history_when_saving

    @property
    def display_name(self) -> str:
        """How a person is shown everywhere (pages, e-mails, the admin): the name, or the e-mail address."""
        return self.get_full_name() or self.email

    @property
    def is_national_staff(self) -> bool:
        """Kaikukeskus staff (`User.objects.national_staff()`); asked once per user object. Who belongs, as lists of
        staff to e-mail or to choose from need it; what staff may see and do asks `acts_as_national_staff`."""
        if not (self.pk and self.is_active and self.is_staff):
            return False
        cached = getattr(self, "_is_national_staff", None)
        if cached is None:
            cached = type(self).objects.national_staff().filter(pk=self.pk).exists()
            self._is_national_staff = cached
        return cached

    @property
    def has_second_factor(self) -> bool:
        """The person has set up TOTP (allauth's MFA), so their logins ask for it; asked once per user object."""
        if not self.pk:
            return False
        cached = getattr(self, "_has_second_factor", None)
        if cached is None:
            cached = Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()
            self._has_second_factor = cached
        return cached

    @property
    def acts_as_national_staff(self) -> bool:
        """National staff whose staff scope is in force: every locality, staff-only materials, drafts. Where
        `STAFF_MFA_REQUIRED` is on, only once the second factor is set: without it a staff member is stopped at
        the portal and the admin (kaikukeskus.middleware) and counts as nobody special anywhere else. Every scope
        check asks this, through `localities.permissions.acts_as_national_staff`."""
        if not self.is_national_staff:
            return False
        return not settings.STAFF_MFA_REQUIRED or self.has_second_factor


def national_staff_choices() -> Q:
    """`limit_choices_to` of fields that name a Kaikukeskus staff member (the same rule as
    `User.objects.national_staff()`)."""
    return Q(pk__in=User.objects.national_staff().values("pk"))


# --- Background jobs (kaikukeskus/jobs.py) ----------------------------------------------------------------


def _job_result_storage():
    from kaikukeskus.storage import private_storage

    return private_storage


def _job_result_path(job: "Job", filename: str) -> str:
    return f"{job.result_folder}{filename}"


class Job(models.Model):
    """A long piece of work run by Celery for one person (a logged-in user, or an anonymous visitor's session),
    whose progress and result (a file, or an outcome such as an import's counts) they follow on the job's page.
    What a kind of job does is in `kaikukeskus.jobs`."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        User, models.CASCADE, null=True, blank=True, related_name="jobs", verbose_name=pgettext_lazy("job", "owner")
    )
    session_key = models.CharField(
        _("session"), max_length=40, blank=True, help_text=_("The anonymous visitor's session that asked for it.")
    )
    kind = models.CharField(_("kind"), max_length=50)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=200, blank=True)
    result = models.FileField(
        _("result"), storage=_job_result_storage, upload_to=_job_result_path, blank=True, max_length=200
    )
    result_name = models.CharField(_("file name"), max_length=100, blank=True)
    outcome = models.JSONField(
        _("outcome"),
        default=dict,
        blank=True,
        help_text=_("What a job that makes no file reports on its page (counts, the reason it was refused)."),
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_("When the worker running it last reported that it is still working."),
    )
    attempt = models.PositiveSmallIntegerField(
        _("attempt"), default=1, help_text=_("Which run this is: a job whose worker was lost runs once more.")
    )
    key = models.CharField(
        _("shared key"),
        max_length=64,
        blank=True,
        help_text=_(
            "For a job whose result is the same for everybody: its kind and parameters, so that one serves all."
        ),
    )

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(session_key=""), name="job_has_an_owner_or_a_session"
            ),
            # One unfinished job for each shared result: the same request while it runs gets that job.
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status__in=["queued", "running"]) & ~Q(key=""),
                name="job_one_unfinished_per_shared_key",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result)

    @property
    def result_folder(self) -> str:
        """Where the job's own file goes (a file kept for everybody that it hands out is elsewhere)."""
        return f"jobs/{self.pk}/"


class PublicDataVersion(models.Model):
    """The public data version (`kaikukeskus.public_cache`): one row, bumped in the writer's transaction whenever
    data the public sees changes, so that every process, whatever its cache, sees the change. Not in the admin."""

    ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ID)
    number = models.BigIntegerField(_("number"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("public data version")
        verbose_name_plural = _("public data versions")
        default_permissions = ()
        constraints = [models.CheckConstraint(condition=Q(id=1), name="public_data_version_single_row")]

    def __str__(self) -> str:
        return f"{self.number} ({self.changed_at.isoformat()})"
