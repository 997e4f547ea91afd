import pytest
from django.apps import apps
from django.core.management import call_command

from kaikukeskus.demo import STAFF_EMAIL, coordinator_email
from localities.models import Coordinator, Locality

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"kaikukeskus", "localities", "networks", "stats", "materials", "trainings"}
        and not model._meta.label.split(".")[1].startswith("Historical")
    }


def test_seed_demo_is_idempotent(demo_data, capsys):
    first = _counts()
    assert first["localities.Locality"] and first["networks.Partner"]
    call_command("seed_demo")
    assert _counts() == first
    assert "Demo data ready" in capsys.readouterr().out


def test_demo_accounts_log_in_at_once(demo_data, client):
    # Run again with another password: the demo accounts take it.
    call_command("seed_demo", password="another-demo-password")
    staff = client.post("/accounts/login/", {"login": STAFF_EMAIL, "password": "another-demo-password"})
    assert staff.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()

    from localities.demo import OUTREACH_SLUG_PREFIX

    # Every demo locality has its coordinator; the prospects of the interest form have none yet.
    localities = Locality.objects.exclude(slug__startswith=OUTREACH_SLUG_PREFIX)
    assert localities.count() >= 6
    for locality in localities:
        email = coordinator_email(locality.slug)
        assert Coordinator.objects.active().filter(user__email=email, locality=locality).exists(), email
    own = localities.get(slug="kainuu")
    response = client.post(
        "/accounts/login/", {"login": coordinator_email(own.slug), "password": "another-demo-password"}
    )
    assert response.headers["Location"] == "/portal/"
    portal = client.get("/portal/").content.decode()
    assert own.name_fi in portal
    assert "Tornio" not in portal


def _kainuu_theatre():
    from networks.models import Partner

    return Partner.objects.get(locality__slug="kainuu", name="Kajaanin kaupunginteatteri")


def _coordinator_edits_the_theatre():
    """What a coordinator does in the portal: a new offer and their contact's new number."""
    from kaikukeskus.models import User
    from networks import services
    from networks.services import ContactChange

    theatre = _kainuu_theatre()
    (contact,) = theatre.contacts.filter(is_primary=True)
    services.partner_update(
        actor=User.objects.get(email=coordinator_email("kainuu")),
        partner=theatre,
        values={"offer_fi": "Uusi tarjous: kaksi lippua kuussa."},
        contacts=[ContactChange(pk=contact.pk, values={"phone": "040 999 9999"}, version=contact.version)],
        expected_version=theatre.version,
    )
    return contact


def test_a_second_seed_keeps_what_a_person_changed(demo_data):
    """`make run` again: the coordinator's edit stays, and the seed writes no history in anybody's name."""
    from localities.models import Locality
    from networks.models import ContactPerson, Partner
    from trainings.models import Training

    contact = _coordinator_edits_the_theatre()
    Locality.objects.filter(slug="kainuu").update(website="https://kainuu.example.fi/oma")
    training = Training.objects.order_by("pk").first()
    Training.objects.filter(pk=training.pk).update(capacity=99)
    histories = (Partner.history.count(), ContactPerson.history.count(), Training.history.count())
    call_command("seed_demo")
    theatre = _kainuu_theatre()
    assert theatre.offer_fi == "Uusi tarjous: kaksi lippua kuussa."
    assert ContactPerson.objects.get(pk=contact.pk).phone == "040 999 9999"
    assert Locality.objects.get(slug="kainuu").website == "https://kainuu.example.fi/oma"
    assert Training.objects.get(pk=training.pk).capacity == 99
    assert (Partner.history.count(), ContactPerson.history.count(), Training.history.count()) == histories


def test_a_second_seed_leaves_a_demo_accounts_password_alone(demo_data):
    from kaikukeskus.models import User

    staff = User.objects.get(email=STAFF_EMAIL)
    staff.set_password("my-own-password-now")
    staff.save()
    call_command("seed_demo")
    assert User.objects.get(email=STAFF_EMAIL).check_password("my-own-password-now")


def test_reset_puts_the_demo_back_with_its_own_history_reason(demo_data):
    from networks.models import ContactPerson

    contact = _coordinator_edits_the_theatre()
    call_command("seed_demo", reset=True)
    theatre = _kainuu_theatre()
    assert theatre.offer_fi.startswith("Vapaalippu kaikkiin omiin näytöksiin")
    assert ContactPerson.objects.get(pk=contact.pk).phone != "040 999 9999"
    latest = theatre.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("demo_reset", None)
    # Only the rows the reset wrote carry the reason; a second reset finds nothing to put back.
    assert theatre.history.filter(history_change_reason="demo_reset").count() == 1
    rows = theatre.history.count()
    call_command("seed_demo", reset=True)
    assert theatre.history.count() == rows
