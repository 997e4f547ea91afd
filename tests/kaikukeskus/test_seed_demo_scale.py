import pytest
from django.core.management import call_command

from localities.models import Locality
from networks.models import ContactPerson, Partner

pytestmark = pytest.mark.django_db


def test_scale_grows_running_localities_with_real_municipality_codes_and_partners_once(client):
    call_command("seed_demo", scale=3)
    national = Locality.objects.filter(slug__startswith="kunta-").prefetch_related("municipalities")
    assert national.count() == 24
    assert set(national.values_list("status", flat=True)) == {"piloting", "permanent"}
    for locality in national:
        (municipality,) = locality.municipalities.all()
        assert locality.slug == f"kunta-{municipality.code}" and locality.name_fi == municipality.name_fi
        assert locality.coordinators.exists()
    partners = Partner.objects.filter(locality__in=national)
    assert partners.count() == 24 * 13
    assert ContactPerson.objects.filter(partner__in=partners, is_primary=True).count() == partners.count()
    assert "/localities/kunta-" in client.get("/localities/").content.decode()
    call_command("seed_demo", scale=3)
    assert Partner.objects.filter(locality__in=national).count() == 24 * 13
    assert Locality.objects.filter(slug__startswith="kunta-").count() == 24
