import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from materials.models import Audience, Kind, Material, MaterialFile, MaterialVersion, Visibility
from tests.materials.files import pdf_bytes


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    slug = factory.Sequence(lambda n: f"material-{n}")
    title_fi = factory.Sequence(lambda n: f"Materiaali {n}")
    title_sv = factory.Sequence(lambda n: f"Material {n}")
    title_en = factory.Sequence(lambda n: f"Material {n}")
    kind = Kind.INTRODUCTORY
    audience = Audience.ISSUERS
    visibility = Visibility.PUBLIC


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaterialVersion

    material = factory.SubFactory(MaterialFactory)
    label = factory.Sequence(lambda n: f"1.{n}")
    changes_fi = "Muutettu ohjetta."
    changes_sv = "Anvisningen ändrades."
    changes_en = "The guidance changed."
    status = MaterialVersion.Status.DRAFT


class PublishedVersionFactory(VersionFactory):
    status = MaterialVersion.Status.PUBLISHED
    published_on = factory.LazyFunction(timezone.localdate)
    published_at = factory.LazyFunction(timezone.now)


_counter = iter(range(10**9))


def add_file(
    version: MaterialVersion, language: str = "fi", *, name: str = "", content: bytes | None = None
) -> MaterialFile:
    """A file of the version, stored and measured as an upload would be (without the staff check)."""
    content = content if content is not None else pdf_bytes(f"{version} {language} {next(_counter)}")
    upload = SimpleUploadedFile(name or f"{language}.pdf", content)
    material_file = MaterialFile(version=version, language=language)
    material_file.fill_from_upload(upload)
    material_file.file = upload
    material_file.save()
    return material_file
