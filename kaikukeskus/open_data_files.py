"""The whole of an open data list as a CSV file, written once per public data version and day and then served
from storage (default storage, under `open-data/`): the venues CSV is several megabytes, over what the public
page cache keeps, and rendering it took a worker 0.65 s at `--scale 40` on every download.

A file's name holds what its rows depend on: the public data version (`public_cache.data_version()`, bumped
whenever public data changes), the day (partners join and leave by date) and the language. It is written under a
temporary name and renamed (on a storage with local paths), so that a download never reads half a file; two
first requests may both write it, and the second rename replaces the first's identical file. Writing a version's
file removes every other version's files: the old ones are never read again."""

import contextlib
import csv
import io
import logging
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone
from django.utils.translation import get_language

from kaikukeskus import public_cache

logger = logging.getLogger(__name__)

ROOT = "open-data"


def write_csv(out, *, fields: list[str], rows: Iterable[list]) -> None:
    """The CSV dialect of the open data API: the header, then the rows, as `csv.writer` writes them."""
    writer = csv.writer(out)
    writer.writerow(fields)
    writer.writerows(rows)


def folder(version: public_cache.DataVersion) -> str:
    """The folder of a public data version's files of today."""
    return f"{ROOT}/{version.number}-{version.changed_at}-{timezone.localdate().isoformat()}"


def file_name(*, folder: str, stem: str) -> str:
    return f"{folder}/{stem}-{get_language() or 'xx'}.csv"


def open_file(*, name: str, write: Callable[[io.TextIOBase], None]):
    """The file `name` opened for reading (binary), written first with `write(text_stream)` when it is missing."""
    try:
        return default_storage.open(name, "rb")
    except FileNotFoundError:
        pass
    _write(name=name, write=write)
    _remove_other_folders(keep=name.rsplit("/", 1)[0])
    return default_storage.open(name, "rb")


def _write(*, name: str, write: Callable[[io.TextIOBase], None]) -> None:
    if not isinstance(default_storage, FileSystemStorage):  # no local paths to rename: written whole by `save`
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            _write_text(spool, write)
            spool.seek(0)
            with contextlib.suppress(FileNotFoundError):
                default_storage.delete(name)  # another request's copy: `save` would choose another name
            default_storage.save(name, File(spool))
        return
    path = default_storage.path(name)
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(8)}.tmp")
    try:
        with open(temporary, "wb") as binary:
            _write_text(binary, write)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _write_text(binary, write: Callable[[io.TextIOBase], None]) -> None:
    # newline="": the csv module writes its own line endings ("\r\n"), as into the renderer's StringIO.
    text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    write(text)
    text.flush()
    text.detach()


def _remove_other_folders(*, keep: str) -> None:
    """Every other version's (and day's) files; the folders too on a storage with local paths."""
    try:
        folders, _files = default_storage.listdir(ROOT)
    except FileNotFoundError:
        return
    for folder in folders:
        path = f"{ROOT}/{folder}"
        if path == keep:
            continue
        try:
            for name in default_storage.listdir(path)[1]:
                default_storage.delete(f"{path}/{name}")
            if isinstance(default_storage, FileSystemStorage):
                os.rmdir(default_storage.path(path))
        except OSError:  # another request removing the same folder
            logger.info("open data folder %s already removed", path)
