"""Private file storage: agreements are never reachable by a public URL. They are served only through views
that check the user's scope.

`STORAGES["private"]` is used when the project configures it (for S3: a bucket without public read). Otherwise
a storage of the same kind as the default one, in a place of its own and without a base URL: a local directory
beside MEDIA_ROOT (setting `PRIVATE_MEDIA_ROOT`, default `private-media` next to the media directory), or memory
when the default storage is in memory (the test settings)."""

from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, InMemoryStorage, storages
from django.utils.functional import LazyObject
from django.utils.text import slugify

from kaikukeskus import uploads


def build_private_storage():
    if "private" in settings.STORAGES:
        return storages["private"]
    default = storages["default"]
    if isinstance(default, InMemoryStorage):
        return InMemoryStorage(location="private", base_url="")
    if isinstance(default, FileSystemStorage):
        # Beside MEDIA_ROOT, never inside it: whatever serves media must not reach these files.
        location = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or Path(settings.MEDIA_ROOT).parent / "private-media"
        return FileSystemStorage(location=location, base_url="")
    raise ImproperlyConfigured(
        'Agreements need a private storage: set STORAGES["private"] (for example an S3 bucket without public read).'
    )


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = build_private_storage()


private_storage = PrivateStorage()


def safe_name(filename: str) -> str:
    """A stored name of our making from an uploaded one, so that no uploaded name (`../../settings.py`, `a/b.pdf`,
    NUL bytes) shapes a path: `Toimintamalli 2024 (final).PDF` → `toimintamalli-2024-final.pdf`, the base name
    only, slugged."""
    base = PurePath(filename.replace("\\", "/")).name
    extension = uploads.extension_of(base)
    stem = slugify(base[: -len(extension) - 1] if extension else base)[:60] or "file"
    return f"{stem}.{extension}" if extension else stem
