"""The portal's user: e-mail is the login, there is no username."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
        return self.display_name

    @property
    def display_name(self) -> str:
        """How a person is shown everywhere (pages, e-mails, the admin): the name, or the e-mail address."""
        return self.get_full_name() or self.email

    @property
    def is_national_staff(self) -> bool:
        """Kaikukeskus staff (`User.objects.national_staff()`); asked once per user object."""
        if not (self.pk and self.is_active and self.is_staff):
            return False
        cached = getattr(self, "_is_national_staff", None)
        if cached is None:
            cached = type(self).objects.national_staff().filter(pk=self.pk).exists()
            self._is_national_staff = cached
        return cached


def national_staff_choices() -> Q:
    """`limit_choices_to` of fields that name a Kaikukeskus staff member (the same rule as
    `User.objects.national_staff()`)."""
    return Q(pk__in=User.objects.national_staff().values("pk"))
