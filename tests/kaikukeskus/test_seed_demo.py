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

    localities = Locality.objects.all()
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
