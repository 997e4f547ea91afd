from io import StringIO

import pytest
from django.core.management import call_command

from materials import selectors
from materials.demo import GUIDELINE_SLUG
from materials.models import Material, MaterialFile, MaterialVersion

pytestmark = pytest.mark.django_db


def test_demo_has_the_guideline_in_two_versions_other_materials_and_an_open_consultation(demo_data):
    guideline, current, older = selectors.material_detail(user=None, slug=GUIDELINE_SLUG)
    assert (current.label, current.published_on.isoformat()) == ("2024", "2024-01-03")
    assert {file.language for file in current.files.all()} == {"fi"}
    assert [(version.label, [file.language for file in version.files.all()]) for version in older] == [("2022", ["en"])]
    others = Material.objects.exclude(slug=GUIDELINE_SLUG)
    assert others.count() >= 6
    assert len({material.kind for material in others}) >= 5
    assert others.filter(visibility="coordinators").count() == 1
    assert MaterialFile.objects.filter(language="sv").exists() and MaterialFile.objects.filter(language="fi-plain")
    for material_file in MaterialFile.objects.select_related("version__material"):
        with material_file.file.open("rb") as handle:
            head = handle.read(5)
        assert material_file.format != "pdf" or head == b"%PDF-"
    draft = MaterialVersion.objects.get(material=guideline, label="2026")
    assert draft.consultation.is_open and draft.consultation.comments.count() == 3


def test_seeding_again_changes_nothing(demo_data):
    counts = (Material.objects.count(), MaterialVersion.objects.count(), MaterialFile.objects.count())
    history = MaterialVersion.history.count()
    call_command("seed_demo", stdout=StringIO())
    assert (Material.objects.count(), MaterialVersion.objects.count(), MaterialFile.objects.count()) == counts
    assert MaterialVersion.history.count() == history
