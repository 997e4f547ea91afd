"""Crafted upload files: real minimal ones of each format, and the tricks the checks must refuse."""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from kaikukeskus.uploads import CONTENT_TYPES, OOXML_MAIN

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


def ooxml_bytes(
    fmt: str, *, main_type: str | None = None, text: str = "", parts: dict[str, bytes] | None = None
) -> bytes:
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{OOXML_MAIN_PART[fmt]}" ContentType="{main_type or OOXML_MAIN[fmt]}"/></Types>'
    )
    return zip_bytes(
        {
            "[Content_Types].xml": content_types.encode(),
            OOXML_MAIN_PART[fmt]: f"<x>{text}</x>".encode(),
            **(parts or {}),
        }
    )


def odf_bytes(fmt: str, text: str = "") -> bytes:
    return zip_bytes(
        {"mimetype": CONTENT_TYPES[fmt].encode(), "content.xml": f"<x>{text}</x>".encode()}, stored_first="mimetype"
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- Zip bombs ----------------------------------------------------------------------------------------------------


def deflated_zeros(mebibytes: int) -> bytes:
    """A raw deflate stream of `mebibytes` MiB of zero bytes, about 1 KB per MiB, made without compressing them all:
    one flushed megabyte's blocks only refer back one byte, so they can follow each other any number of times."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    megabyte = compressor.compress(b"\x00" * 1024 * 1024) + compressor.flush(zlib.Z_FULL_FLUSH)
    return megabyte * mebibytes + b"\x03\x00"  # an empty final block


@dataclass(frozen=True)
class RawMember:
    name: str
    deflated: bytes
    declared_size: int
    crc: int = 0
    flags: int = 0
    overlap: bool = False  # no data of its own: the entry points at the previous member's (a "better zip bomb")


def raw_zip(*members: RawMember) -> bytes:
    """An archive of deflated members written by hand, so that its headers can say what the data is not."""
    data, directory, offset = b"", b"", 0
    for member in members:
        name = member.name.encode()
        sizes = (member.crc, len(member.deflated), member.declared_size, len(name))
        if not member.overlap:
            offset = len(data)
            local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, member.flags, zipfile.ZIP_DEFLATED, 0, 0, *sizes, 0)
            data += local + name + member.deflated
        central = struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            member.flags,
            zipfile.ZIP_DEFLATED,
            0,
            0,
            *sizes,
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += central + name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(data), 0)
    return data + directory + end
