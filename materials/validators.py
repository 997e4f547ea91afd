"""Checks for uploaded material files (DESIGN §5: "uploads are checked by extension, content and size").

- An allowlist of formats by extension: PDF, DOCX, PPTX, XLSX, ODT, ODS, ODP, PNG, JPEG, SVG and ZIP.
- The content must be what the extension says, by its first bytes (magic numbers) and, for the formats that are
  ZIP archives (OOXML, ODF), by the parts inside: an HTML page named `.pdf`, a ZIP named `.docx` or a
  macro-enabled `.docm` renamed `.docx` are refused.
- Archives are looked at through their directory, never unpacked: at most `ZIP_MAX_MEMBERS` members, a declared
  uncompressed total of at most `ZIP_MAX_UNCOMPRESSED`, no member that expands more than `ZIP_MAX_RATIO` times
  (zip bombs), no member named with a path that climbs out (`../`) or starts at the root. The few parts we read
  (`mimetype`, `[Content_Types].xml`) are read with a byte limit, whatever the archive claims about them.
- SVG is XML that browsers would run scripts in: one with a script, an event handler, a `javascript:` link,
  embedded HTML or a DOCTYPE (entity expansion) is refused, and every SVG is served as an attachment anyway.
- The size limit is `settings.MATERIALS_MAX_UPLOAD_SIZE`.
"""

import re
import zipfile
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

ZIP_MAX_MEMBERS = 5000
ZIP_MAX_UNCOMPRESSED = 500 * 1024 * 1024
ZIP_MAX_RATIO = 200
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
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            _check_archive(archive)
            if fmt in OOXML_MAIN:
                _check_ooxml(archive, fmt)
            elif fmt in ODF_FORMATS:
                _check_odf(archive, fmt)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as error:
        raise _content_mismatch(fmt) from error


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > ZIP_MAX_MEMBERS:
        _refuse(_("The archive has too many files (over %(limit)s)."), "zip_too_many", limit=ZIP_MAX_MEMBERS)
    total = 0
    for member in members:
        name = member.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
            _refuse(_("The archive holds a file with an unsafe path: %(name)s"), "zip_unsafe_path", name=name[:100])
        total += member.file_size
        if (
            member.compress_size
            and member.file_size / member.compress_size > ZIP_MAX_RATIO
            and member.file_size > 1024 * 1024
        ):
            _refuse(_("The archive expands too much when unpacked. It looks like a zip bomb."), "zip_bomb")
    if total > ZIP_MAX_UNCOMPRESSED:
        _refuse(_("The archive expands too much when unpacked. It looks like a zip bomb."), "zip_bomb")


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
