"""Demo data for `manage.py seed_demo`. Each app adds its own in `<app>/demo.py` with a function
`seed(context)`; the command calls them in INSTALLED_APPS order. Every seeder finds rows by natural keys and creates
what is missing, never touching a row that exists: what a person changed in the demo (a venue's offer, a contact)
survives the next `make run`. Only `seed_demo --reset` (`context.reset`) puts the demo's values back."""

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
    password: str = DEFAULT_PASSWORD
    scale: int = 1
    # Put existing demo rows back to the demo's values (`--reset`); otherwise they are left as they are.
    reset: bool = False
    # The password was asked for (`--password`): existing demo accounts take it too.
    set_passwords: bool = False
    log: list[str] = field(default_factory=list)
    staff: object = None

    def say(self, line: str) -> None:
        self.log.append(line)

    def keeps(self, instance) -> bool:
        """Whether a seeder leaves this row as it is: it exists, and no reset was asked for."""
        return instance is not None and instance.pk is not None and not self.reset


def ensure_user(context: DemoContext, *, email: str, first_name: str = "", last_name: str = "", staff: bool = False):
    """A demo account that can log in at once: password set, e-mail verified and primary. An existing one is left
    as it is (its password too: checking it costs a second of PBKDF2 an account), unless the context resets or
    a password was asked for."""
    from django.contrib.auth.models import Group

    user = get_user_model().objects.filter(email=email).first()
    if context.keeps(user):
        if context.set_passwords and not user.check_password(context.password):
            user.set_password(context.password)
            user.save(update_fields=["password"])
        return user
    user, _created = get_user_model().objects.update_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, "is_staff": staff, "is_active": True},
    )
    user.set_password(context.password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if staff:
        user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


def seed(context: DemoContext) -> None:
    context.staff = ensure_user(context, email=STAFF_EMAIL, first_name="Kaisa", last_name="Keskus", staff=True)
    context.say(f"National staff: {STAFF_EMAIL}")
