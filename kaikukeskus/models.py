"""The portal's user: e-mail is the login, there is no username."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaikukeskus.roles import STAFF_GROUP


class EmailUserManager(UserManager):
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

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_national_staff(self) -> bool:
        """Kaikukeskus staff: staff status and membership of the staff group (superusers count too)."""
        if not (self.is_active and self.is_staff):
            return False
        if self.is_superuser:
            return True
        cached = getattr(self, "_is_national_staff", None)
        if cached is None:
            cached = self.groups.filter(name=STAFF_GROUP).exists()
            self._is_national_staff = cached
        return cached
