"""Checks for uploaded files: material files and every other upload (DESIGN §5: "uploads are checked by
extension, content and size"). One rule set, so that a new kind of attachment takes these checks, not a copy.

- An allowlist of formats by extension: PDF, DOCX, PPTX, XLSX, ODT, ODS, ODP, PNG, JPEG, SVG and ZIP.
- The content must be what the extension says, by its first bytes (magic numbers) and, for the formats that are
  ZIP archives (OOXML, ODF), by the parts inside: an HTML page named `.pdf`, a ZIP named `.docx` or a
  macro-enabled `.docm` renamed `.docx` are refused.
- Archives (ZIP and the formats that are ZIP inside) are read, never unpacked to disk by name and never trusted by
  their headers: every member is decompressed as a stream and its bytes counted, so a header that understates a
  member's size, or many small members that add up, cannot hide an expansion. What an upload expands to, its
  archives inside archives included, is at most `ZIP_MAX_UNCOMPRESSED` bytes in all, and at most `ZIP_MAX_RATIO`
  times the size of each archive (beyond `ZIP_RATIO_FLOOR`: a small document of blank pages expands a lot); reading
  stops at the first byte over, so the time and memory spent on a zip bomb are bounded by those limits, not by the
  bomb. At most `ZIP_MAX_MEMBERS` members in all, a central directory of at most `ZIP_MAX_DIRECTORY` bytes (checked
  before it is parsed), archives nested at most `ZIP_MAX_NESTING` deep, stored or deflated members only (no
  passwords: what cannot be read cannot be checked), no member named with a path that climbs out (`../`) or starts
  at the root. The parts we look at (`mimetype`, `[Content_Types].xml`) are read with a byte limit too.
- SVG is XML that browsers would run scripts in: one with a script, an event handler, a `javascript:` link,
  embedded HTML or a DOCTYPE (entity expansion) is refused, and every SVG is served as an attachment anyway.
- The size limit is `settings.MATERIALS_MAX_UPLOAD_SIZE`.
"""

import contextlib
import copy
import io
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Formats by normalised extension, with the content type they are served with.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "svg": "image/svg+xml",
    "zip": "application/zip",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
ALLOWED_EXTENSIONS = [*CONTENT_TYPES, *EXTENSION_ALIASES]
# Shown in the browser (PDF, raster images); everything else, SVG above all, is an attachment.
INLINE_FORMATS = frozenset({"pdf", "png", "jpg"})
HELP_TEXT = _("PDF, DOCX, PPTX, XLSX, ODT, ODS, ODP, PNG, JPEG, SVG or ZIP.")

MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # an archive, or an empty one
# OOXML: the main part's content type in [Content_Types].xml (the macro-enabled kinds have other ones).
OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
ODF_FORMATS = frozenset({"odt", "ods", "odp"})

# Archives: the limits of the module's docstring. 256 MiB of deflate takes about 1.2 s to read on one core.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_UNCOMPRESSED = 256 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR = 1024 * 1024
ZIP_MAX_NESTING = 3
# A central directory entry is 46 bytes and a name; 2 MiB holds 5,000 members with names of 350 bytes, and parsing
# the most entries it could hold takes about 0.3 s and 50 MB.
ZIP_MAX_DIRECTORY = 2 * 1024 * 1024
ZIP_READ_CHUNK = 64 * 1024
# A nested archive is copied out to be opened: in memory up to this size, in a temporary file beyond it.
ZIP_SPOOL_IN_MEMORY = 1024 * 1024
ZIP_LOCAL_HEADER = b"PK\x03\x04"
ZIP_READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# What zipfile raises on a broken archive (ValueError: a negative seek or a name that is not UTF-8 in a corrupt
# directory; zlib.error: a corrupt deflate stream): the content is not what its name says.
ZIP_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    NotImplementedError,
    ValueError,
    zlib.error,
)
PART_READ_LIMIT = 512 * 1024
SVG_MAX_SIZE = 5 * 1024 * 1024

SVG_FORBIDDEN_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"})
SVG_DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data:text/html)", re.IGNORECASE)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def normalised_format(name: str) -> str:
    extension = extension_of(name)
    return EXTENSION_ALIASES.get(extension, extension)


def max_upload_size() -> int:
    return settings.MATERIALS_MAX_UPLOAD_SIZE


def _refuse(message, code: str, **params) -> None:
    raise ValidationError(message, code=code, params=params or None)


def validate_upload(file) -> None:
    """Every check, in order: format allowed, size, content matches the format."""
    fmt = normalised_format(file.name or "")
    if fmt not in CONTENT_TYPES:
        _refuse(
            _("Files of type “%(extension)s” cannot be uploaded. Allowed: %(allowed)s"),
            "format_not_allowed",
            extension=extension_of(file.name or "") or "–",
            allowed=HELP_TEXT,
        )
    limit = max_upload_size()
    if file.size > limit:
        _refuse(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB."),
            "file_too_large",
            size=round(file.size / 1024 / 1024, 1),
            limit=round(limit / 1024 / 1024, 1),
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        _check_content(file, fmt)
    finally:
        file.seek(position)


def _content_mismatch(fmt: str) -> ValidationError:
    return ValidationError(
        _("The file's content is not %(format)s, although its name says so. Save it again as %(format)s."),
        code="invalid_content",
        params={"format": fmt.upper()},
    )


def _check_content(file, fmt: str) -> None:
    head = file.read(16)
    if fmt in MAGIC:
        if not head.startswith(MAGIC[fmt]):
            raise _content_mismatch(fmt)
        return
    if fmt == "svg":
        file.seek(0)
        _check_svg(file.read(SVG_MAX_SIZE + 1))
        return
    if not head.startswith(ZIP_MAGIC):
        raise _content_mismatch(fmt)
    size = file.seek(0, io.SEEK_END)
    budget = _ArchiveBudget(limit=min(ZIP_MAX_UNCOMPRESSED, max(ZIP_RATIO_FLOOR, ZIP_MAX_RATIO * size)))
    try:
        with _open_archive(file, budget) as archive:
            if fmt in OOXML_MAIN:
                _check_ooxml(archive, fmt)
            elif fmt in ODF_FORMATS:
                _check_odf(archive, fmt)
            _read_archive(archive, size=size, budget=budget, nesting=0)
    except ZIP_READ_ERRORS as error:
        raise _content_mismatch(fmt) from error


def _zip_bomb() -> ValidationError:
    return ValidationError(_("The archive expands too much when unpacked. It looks like a zip bomb."), code="zip_bomb")


@dataclass
class _ArchiveBudget:
    """What an upload has expanded to and how many members it has so far, against its limit: one for the upload
    and every archive inside it."""

    limit: int
    expanded: int = 0
    members: int = 0

    def spend(self, count: int) -> None:
        self.expanded += count
        if self.expanded > self.limit:
            raise _zip_bomb()


_END_RECORD = struct.Struct("<4s4H2LH")  # the end of central directory record
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")


def _directory_size(file) -> int:
    """The size of the archive's central directory as its end records state it: what `zipfile` parses into
    objects, one per member, before anyone can count them. The largest of the places `zipfile` may take it from
    (the plain end record, the ZIP64 one beside its locator or where the locator points)."""
    size = file.seek(0, io.SEEK_END)
    start = max(0, size - _END_RECORD.size - 0xFFFF)
    file.seek(start)
    tail = file.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return 0  # no end record: zipfile refuses the file without parsing anything
    sizes = [_END_RECORD.unpack_from(tail, at)[5]]
    end = start + at
    if end >= _ZIP64_LOCATOR.size:
        file.seek(end - _ZIP64_LOCATOR.size)
        locator = file.read(_ZIP64_LOCATOR.size)
        if locator[:4] == b"PK\x06\x07":
            for offset in {end - _ZIP64_LOCATOR.size - _ZIP64_END_RECORD.size, _ZIP64_LOCATOR.unpack(locator)[2]}:
                if 0 <= offset < size:
                    file.seek(offset)
                    record = file.read(_ZIP64_END_RECORD.size)
                    if len(record) == _ZIP64_END_RECORD.size and record[:4] == b"PK\x06\x06":
                        sizes.append(_ZIP64_END_RECORD.unpack(record)[8])
    file.seek(0)
    return max(sizes)


def _too_many_members() -> ValidationError:
    return ValidationError(
        _("The archive has too many files (over %(limit)s)."), code="zip_too_many", params={"limit": ZIP_MAX_MEMBERS}
    )


def _open_archive(file, budget: _ArchiveBudget) -> zipfile.ZipFile:
    """The archive, once its directory is small enough to parse; its members count against the budget and each
    must be named safely and be readable (stored or deflated, no password)."""
    if _directory_size(file) > ZIP_MAX_DIRECTORY:
        raise _too_many_members()
    archive = zipfile.ZipFile(file)
    members = archive.infolist()
    budget.members += len(members)
    if budget.members > ZIP_MAX_MEMBERS:
        archive.close()
        raise _too_many_members()
    for member in members:
        name = member.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
            archive.close()
            _refuse(_("The archive holds a file with an unsafe path: %(name)s"), "zip_unsafe_path", name=name[:100])
        if member.flag_bits & 0x1 or member.compress_type not in ZIP_READABLE_METHODS:
            archive.close()
            _refuse(
                _(
                    "The archive is protected with a password or packed in a way that cannot be checked. "
                    "Pack it again as an ordinary ZIP file without a password."
                ),
                "zip_unreadable",
            )
    return archive


def _read_archive(archive: zipfile.ZipFile, *, size: int, budget: _ArchiveBudget, nesting: int) -> None:
    """Decompress every member as a stream, counting what comes out against the archive's ratio and the upload's
    budget; an archive inside is copied out as it is read and then read the same way."""
    allowance = max(ZIP_RATIO_FLOOR, ZIP_MAX_RATIO * size)
    expanded = 0
    for member in archive.infolist():
        # The size in the directory is not trusted: read as far as the data goes (its CRC is checked at the end).
        unbounded = copy.copy(member)
        unbounded.file_size = 1 << 62
        count = 0
        with contextlib.ExitStack() as cleanup:
            stream = cleanup.enter_context(archive.open(unbounded))
            nested = None
            while chunk := stream.read(ZIP_READ_CHUNK):
                if count == 0 and chunk.startswith(ZIP_LOCAL_HEADER):
                    if nesting >= ZIP_MAX_NESTING:
                        _refuse(
                            _("The archive holds archives inside archives more than %(limit)s levels deep."),
                            "zip_nested",
                            limit=ZIP_MAX_NESTING,
                        )
                    nested = cleanup.enter_context(tempfile.SpooledTemporaryFile(max_size=ZIP_SPOOL_IN_MEMORY))
                count += len(chunk)
                expanded += len(chunk)
                if expanded > allowance:
                    raise _zip_bomb()
                budget.spend(len(chunk))
                if nested is not None:
                    nested.write(chunk)
            if count > member.file_size:
                raise _zip_bomb()  # its directory entry hid how much it expands
            if count < member.file_size:
                raise zipfile.BadZipFile(f"{member.filename}: {count} bytes, the directory says {member.file_size}")
            if nested is not None:
                with _open_archive(nested, budget) as inner:
                    _read_archive(inner, size=count, budget=budget, nesting=nesting + 1)


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        with archive.open(name) as part:
            return part.read(PART_READ_LIMIT)
    except KeyError:
        return None


def _check_ooxml(archive: zipfile.ZipFile, fmt: str) -> None:
    content_types = _read_part(archive, "[Content_Types].xml")
    if content_types is None or OOXML_MAIN[fmt].encode() not in content_types:
        raise _content_mismatch(fmt)


def _check_odf(archive: zipfile.ZipFile, fmt: str) -> None:
    mimetype = _read_part(archive, "mimetype")
    expected = CONTENT_TYPES[fmt].encode()
    if mimetype is None or mimetype.strip() != expected:
        raise _content_mismatch(fmt)


def _local_name(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _check_svg(content: bytes) -> None:
    if len(content) > SVG_MAX_SIZE:
        _refuse(_("An SVG image may be at most %(limit)s MB."), "svg_too_large", limit=SVG_MAX_SIZE // 1024 // 1024)
    if b"<!DOCTYPE" in content.upper() or b"<!ENTITY" in content.upper():
        _refuse(_("The SVG image declares a DOCTYPE or entities. Save it again without them."), "svg_unsafe")
    try:
        root = ElementTree.fromstring(content)  # noqa: S314 - no DOCTYPE, so no entities to expand (checked above)
    except ElementTree.ParseError as error:
        raise _content_mismatch("svg") from error
    if _local_name(root.tag) != "svg":
        raise _content_mismatch("svg")
    for element in root.iter():
        if _local_name(element.tag) in SVG_FORBIDDEN_ELEMENTS:
            _refuse(_("The SVG image holds a script or embedded content. Save it again without them."), "svg_unsafe")
        for attribute, value in element.attrib.items():
            name = _local_name(attribute)
            if name.startswith("on") or (name in {"href", "src", "action"} and SVG_DANGEROUS_URL.match(value)):
                _refuse(
                    _("The SVG image holds a script or embedded content. Save it again without them."), "svg_unsafe"
                )
