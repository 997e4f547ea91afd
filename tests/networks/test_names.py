"""One way to match partner names: the portal's form, its import and the admin's import all go
through `networks.models.name_key`, which folds case beyond ASCII and normalises Unicode."""

import unicodedata

import pytest
import tablib
from django.core.exceptions import ValidationError

from networks import imports
from networks.admin import PartnerResource
from networks.models import Partner, name_key
from tests.networks.factories import PartnerFactory

pytestmark = pytest.mark.django_db

SAME_NAMES = [
    ("Äänekosken Kesäteatteri", "ÄÄNEKOSKEN KESÄTEATTERI"),
    ("Åbo Svenska Teater", "åbo svenska teater"),
    ("Jakobstads Sommarteater", "JAKOBSTADS  SOMMARTEATER"),  # two spaces
    ("Öjbergets Idrottsförening", "ÖJBERGETS IDROTTSFÖRENING"),
    ("Kulturhaus Straße", "KULTURHAUS STRASSE"),  # ß folds to ss
    ("Pietarsaaren Työväenopisto", unicodedata.normalize("NFD", "PIETARSAAREN TYÖVÄENOPISTO")),  # ö as o + ¨
]


@pytest.mark.parametrize(("existing", "typed"), SAME_NAMES)
def test_name_key_treats_these_as_one_name(existing, typed):
    assert name_key(existing) == name_key(typed)


def test_name_key_keeps_different_letters_apart():
    assert name_key("Åbo") != name_key("Abo")
    assert name_key("Vasa") != name_key("Väsa")


@pytest.mark.parametrize(("existing", "typed"), SAME_NAMES)
def test_the_form_refuses_the_same_name_in_another_case(locality, kajaani, existing, typed):
    PartnerFactory(locality=locality, name=existing)
    duplicate = Partner(locality=locality, role="venue", name=typed, municipality=kajaani, sector="culture")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "name" in error.value.message_dict


@pytest.mark.parametrize(("existing", "typed"), SAME_NAMES)
def test_the_portal_import_updates_the_partner_of_that_name(locality, existing, typed):
    partner = PartnerFactory(locality=locality, name=existing, sector="culture")
    plan = imports.partner_import_plan(
        locality=locality,
        header=["role", "name", "municipality", "sector"],
        rows=[(2, ["venue", typed, "Kajaani", "sports"])],
    )
    row = plan.rows[0]
    assert (row.status, row.partner.pk) == (imports.UPDATE, partner.pk)
    assert row.partner.name == existing  # the name is the key: another case is not a rename


@pytest.mark.parametrize(("existing", "typed"), SAME_NAMES)
def test_the_admin_import_updates_the_partner_of_that_name(locality, existing, typed):
    partner = PartnerFactory(locality=locality, name=existing, sector="culture")
    headers = ["locality", "role", "name", "municipality", "sector", "issuer_kind", "joined_on", "listed_publicly"]
    dataset = tablib.Dataset([locality.slug, "venue", typed, "205", "sports", "", "2024-01-01", "1"], headers=headers)
    result = PartnerResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    partner.refresh_from_db()
    assert partner.sector == "sports" and Partner.objects.count() == 1
    assert partner.version == 2  # an open portal form will notice the admin's import
