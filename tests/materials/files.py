"""Crafted upload files: real minimal ones of each format, and the tricks the checks must refuse."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from materials.validators import CONTENT_TYPES, OOXML_MAIN

OOXML_MAIN_PART = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml", "xlsx": "xl/workbook.xml"}


def pdf_bytes(text: str = "Kaikukortti") -> bytes:
    return f"%PDF-1.4\n% {text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


def zip_bytes(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), members.pop(stored_first), zipfile.ZIP_STORED)
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ooxml_bytes(fmt: str, *, main_type: str | None = None, text: str = "") -> bytes:
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{OOXML_MAIN_PART[fmt]}" ContentType="{main_type or OOXML_MAIN[fmt]}"/></Types>'
    )
    return zip_bytes({"[Content_Types].xml": content_types.encode(), OOXML_MAIN_PART[fmt]: f"<x>{text}</x>".encode()})


def odf_bytes(fmt: str, text: str = "") -> bytes:
    return zip_bytes(
        {"mimetype": CONTENT_TYPES[fmt].encode(), "content.xml": f"<x>{text}</x>".encode()}, stored_first="mimetype"
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
