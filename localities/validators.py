"""Checks for uploaded private documents: extension, actual content and size. The content check reads the
file's first bytes, so a renamed executable or HTML page is refused even with a `.pdf` name."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# The members that make a ZIP file an office document of the expected kind.
OFFICE_MARKERS = {"docx": "word/document.xml", "odt": "content.xml"}


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_document_size(file) -> None:
    if file.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB."),
            code="file_too_large",
            params={"size": round(file.size / 1024 / 1024, 1), "limit": MAX_DOCUMENT_SIZE // 1024 // 1024},
        )


def validate_document_content(file) -> None:
    """The content matches the extension: PDF starts with %PDF-; DOCX and ODT are ZIP files holding their
    document part."""
    extension = _extension(file.name)
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(len(PDF_MAGIC))
        if extension == "pdf":
            valid = head == PDF_MAGIC
        elif extension in OFFICE_MARKERS:
            valid = head[:4] == ZIP_MAGIC
            if valid:
                file.seek(0)
                try:
                    with zipfile.ZipFile(file) as archive:
                        valid = OFFICE_MARKERS[extension] in archive.namelist()
                except zipfile.BadZipFile:
                    valid = False
        else:
            return  # an unknown extension is the extension validator's to refuse
    finally:
        file.seek(position)
    if not valid:
        raise ValidationError(
            _("The file's content does not match its type. Upload the signed agreement as PDF, DOCX or ODT."),
            code="invalid_content",
        )
