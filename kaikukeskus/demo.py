"""Demo data for `manage.py seed_demo`. Each app adds its own in `<app>/demo.py` with a function
`seed(context)`; the command calls them in INSTALLED_APPS order. Every seeder is idempotent: it finds rows by
natural keys and updates them, so running the command again changes nothing."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from kaikukeskus.roles import STAFF_GROUP

DEMO_DOMAIN = "demo.kaikukortti.test"
STAFF_EMAIL = f"staff@{DEMO_DOMAIN}"
DEFAULT_PASSWORD = "demo-kaikukortti"  # noqa: S105 - demo accounts only, listed in README


def coordinator_email(locality_slug: str) -> str:
    return f"coordinator.{locality_slug}@{DEMO_DOMAIN}"


@dataclass
class DemoContext:
    password: str
    scale: int = 1
    log: list[str] = field(default_factory=list)
    staff: object = None

    def say(self, line: str) -> None:
        self.log.append(line)


def ensure_user(*, email: str, password: str, first_name: str = "", last_name: str = "", staff: bool = False):
    """A demo account that can log in at once: password set, e-mail verified and primary."""
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    user, _created = user_model.objects.update_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, "is_staff": staff, "is_active": True},
    )
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if staff:
        user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


def seed(context: DemoContext) -> None:
    context.staff = ensure_user(
        email=STAFF_EMAIL, password=context.password, first_name="Kaisa", last_name="Keskus", staff=True
    )
    context.say(f"National staff: {STAFF_EMAIL}")
