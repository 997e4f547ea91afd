"""Materials: the national guideline and the introductory materials, each in versions with files per language
(DESIGN §4). Publishing a version supersedes the current one (`services.material_version_publish`); the database
holds at most one published version per material. Who may see a material is `MaterialQuerySet.visible_to`, the
one rule for pages, links, downloads and the API."""

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaikukeskus import uploads
from kaikukeskus.locking import Versioned
from kaikukeskus.storage import safe_name
from kaikukeskus.validators import validate_reasonable_date
from localities.models import (
    Locality,
    TranslatedField,
    person_field,
    private_storage,  # a callable: migrations name it, not a machine's path
)
from localities.permissions import acts_as_national_staff, is_coordinator


class Kind(models.TextChoices):
    GUIDELINE = "guideline", _("National guideline")
    INTRODUCTORY = "introductory", _("Introductory material")
    MANUAL = "manual", _("Manual")
    SLIDES = "slides", _("Slide deck")
    CHECKLIST = "checklist", _("Checklist")
    FORM_TEMPLATE = "form_template", _("Form template")
    BROCHURE_TEMPLATE = "brochure_template", _("Brochure template")
    POSTER = "poster", _("Poster")
    LOGO = "logo", _("Logo and brand")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    ISSUERS = "issuers", _("Issuers")
    VENUES = "venues", _("Venues")
    COORDINATORS = "coordinators", _("Coordinators")
    PUBLIC = "public", _("Everybody")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    COORDINATORS = "coordinators", _("Coordinators and staff")
    STAFF = "staff", _("Kaikukeskus staff only")


class Language(models.TextChoices):
    FI = "fi", _("Finnish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")
    FI_PLAIN = "fi-plain", _("Plain Finnish")
    OTHER = "other", _("Other language")


class MaterialQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one visibility rule: staff see every material, coordinators the public and coordinators' ones,
        everybody else the public ones. Everything else answers 404, by page, link, download and API alike."""
        if acts_as_national_staff(user):
            return self
        if is_coordinator(user=user):
            return self.filter(visibility__in=[Visibility.PUBLIC, Visibility.COORDINATORS])
        return self.filter(visibility=Visibility.PUBLIC)

    def with_current_version(self):
        """Materials that have a published (current) version."""
        return self.filter(
            Exists(MaterialVersion.objects.filter(material=OuterRef("pk"), status=MaterialVersion.Status.PUBLISHED))
        )


class Material(Versioned):
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Used in web addresses."))
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC)
    visibility = models.CharField(
        _("visibility"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Who sees the material, its files and its versions. Everybody else gets “not found”."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    title = TranslatedField()
    description = TranslatedField()

    history = HistoricalRecords()
    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["kind", "title_fi"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def followed_by_default(self) -> bool:
        """Coordinators follow the national guideline unless they stop."""
        return self.kind == Kind.GUIDELINE


class MaterialVersionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status=MaterialVersion.Status.PUBLISHED)

    def history_shown(self):
        """What the public sees of a material's past: the current and superseded versions (never drafts or
        withdrawn ones)."""
        return self.filter(status__in=[MaterialVersion.Status.PUBLISHED, MaterialVersion.Status.SUPERSEDED])


class MaterialVersion(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    material = models.ForeignKey(Material, models.CASCADE, related_name="versions", verbose_name=_("material"))
    label = models.CharField(_("version"), max_length=50, help_text=_("For example “2024” or “1.2”."))
    changes_fi = models.TextField(_("what changed, in Finnish"), blank=True)
    changes_sv = models.TextField(_("what changed, in Swedish"), blank=True)
    changes_en = models.TextField(_("what changed, in English"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(_("published on"), null=True, blank=True, validators=[validate_reasonable_date])
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = person_field(_("published by"))
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    followers_notified_at = models.DateTimeField(_("followers told at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    changes = TranslatedField()

    history = HistoricalRecords()
    objects = MaterialVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("material version")
        verbose_name_plural = _("material versions")
        ordering = ["material", "-published_on", "-created_at", "-pk"]
        constraints = [
            # One current version per material: the database refuses a second even if two publishers race
            # past the service's row lock (partial unique index on PostgreSQL and SQLite alike).
            models.UniqueConstraint(
                fields=["material"], condition=Q(status="published"), name="material_one_current_version"
            ),
            models.UniqueConstraint(fields=["material", "label"], name="material_version_unique_label"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_on__isnull=False), name="material_version_published_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} {self.label}"

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.PUBLISHED


def material_file_upload_to(instance: "MaterialFile", filename: str) -> str:
    """A stored name of our own making: the material's slug, the version's id, the language and a slug of the
    original name, so that no uploaded name (`../../settings.py`, `a/b.pdf`, NUL bytes) shapes the path."""
    return f"materials/{instance.version.material.slug}/{instance.version_id}/{instance.language}-{safe_name(filename)}"


class MaterialFile(models.Model):
    version = models.ForeignKey(MaterialVersion, models.CASCADE, related_name="files", verbose_name=_("version"))
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    file = models.FileField(
        _("file"),
        upload_to=material_file_upload_to,
        storage=private_storage,
        max_length=255,
        validators=[uploads.validate_upload],
        help_text=uploads.HELP_TEXT,
    )
    format = models.CharField(_("format"), max_length=10, editable=False)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False, db_index=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = person_field(_("uploaded by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material file")
        verbose_name_plural = _("material files")
        ordering = ["version", "language", "format"]
        constraints = [
            models.UniqueConstraint(fields=["version", "language", "format"], name="material_file_one_per_format"),
            models.UniqueConstraint(fields=["version", "sha256"], name="material_file_unique_content"),
        ]

    def __str__(self) -> str:
        return self.download_name

    @property
    def download_name(self) -> str:
        """The name the visitor's browser saves: `kaikukortti-<material>-<version>-<language>.<format>`."""
        return f"kaikukortti-{self.version.material.slug}-{slugify(self.version.label)}-{self.language}.{self.format}"

    @property
    def content_type(self) -> str:
        return uploads.CONTENT_TYPES[self.format]

    @property
    def is_inline(self) -> bool:
        return self.format in uploads.INLINE_FORMATS

    def fill_from_upload(self, upload) -> None:
        """Format, size, SHA-256 and the original name from the uploaded file (read in chunks)."""
        digest = hashlib.sha256()
        upload.seek(0)
        for chunk in iter(lambda: upload.read(1024 * 1024), b""):
            digest.update(chunk)
        upload.seek(0)
        self.sha256 = digest.hexdigest()
        self.size = upload.size
        self.format = uploads.normalised_format(upload.name)
        self.original_name = PurePath(upload.name.replace("\\", "/")).name[:200]


class MaterialDownloadDay(models.Model):
    """How many times a file was downloaded on a day. No personal data: no user, address or agent."""

    file = models.ForeignKey(MaterialFile, models.CASCADE, related_name="download_days", verbose_name=_("file"))
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("daily downloads")
        verbose_name_plural = _("daily downloads")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["file", "day"], name="material_download_day_unique")]

    def __str__(self) -> str:
        return f"{self.file_id} {self.day}: {self.count}"


class MaterialFollow(models.Model):
    """A user's choice about a material's news: following, or (for a material followed by default, the national
    guideline) not following any more."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("user"))
    material = models.ForeignKey(Material, models.CASCADE, related_name="follows", verbose_name=_("material"))
    following = models.BooleanField(_("following"), default=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["user", "material"], name="material_follow_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.material_id}: {self.following}"


class MaterialNewsSeen(models.Model):
    """When the user last looked at the portal's materials panel, and the visit before it: the panel shows what
    was published since the visit before the current one, so reloading the page does not empty it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("user"))
    previous_visit_at = models.DateTimeField(_("previous visit"), null=True, blank=True)
    last_visit_at = models.DateTimeField(_("last visit"), default=timezone.now)

    class Meta:
        verbose_name = _("materials news seen")
        verbose_name_plural = _("materials news seen")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_visit_at}"


# --- Consultation -----------------------------------------------------------------------------------------


class Consultation(models.Model):
    """A round of comments on a draft version, open until a closing date."""

    version = models.OneToOneField(
        MaterialVersion, models.CASCADE, related_name="consultation", verbose_name=_("version")
    )
    closes_on = models.DateField(_("closes on"), validators=[validate_reasonable_date])
    introduction = models.TextField(_("introduction"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = person_field(_("opened by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return str(self.version)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.closes_on >= timezone.localdate()


class ConsultationPartner(models.Model):
    """A named partner outside the portal, invited by e-mail with a signed link."""

    consultation = models.ForeignKey(
        Consultation, models.CASCADE, related_name="partners", verbose_name=_("consultation")
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fi")

    class Meta:
        verbose_name = _("consultation partner")
        verbose_name_plural = _("consultation partners")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "email"], name="consultation_partner_unique_email")
        ]

    def __str__(self) -> str:
        return self.name or self.email


# A comment is a few paragraphs on one section; a longer text belongs in a document sent to Kaikukeskus. The
# model field's `max_length` bounds the form (with its message at the field), the validator every other writer.
COMMENT_MAX_LENGTH = 5_000


class ConsultationComment(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        ANSWERED = "answered", _("Answered")

    consultation = models.ForeignKey(
        Consultation, models.CASCADE, related_name="comments", verbose_name=_("consultation")
    )
    author = person_field(_("author"))
    partner = models.ForeignKey(
        ConsultationPartner, models.SET_NULL, null=True, blank=True, related_name="comments", verbose_name=_("partner")
    )
    locality = models.ForeignKey(
        Locality, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("locality")
    )
    section = models.CharField(_("section or page"), max_length=100, help_text=_("For example “3.2” or “page 7”."))
    body = models.TextField(
        _("comment"), max_length=COMMENT_MAX_LENGTH, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = person_field(_("replied by"))
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.section}: {self.body[:40]}"

    @property
    def commenter(self) -> str:
        if self.partner_id:
            partner = self.partner
            return f"{partner} ({partner.organisation})" if partner.organisation else str(partner)
        return self.author.display_name if self.author_id else "–"
