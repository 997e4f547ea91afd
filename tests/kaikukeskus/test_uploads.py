"""Upload checks with crafted files: each format's real content passes, and wrong content, oversize, zip tricks
and scripted SVG are refused with a message that says why."""

import io
import random
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError

from kaikukeskus import uploads
from materials.models import safe_name
from tests.materials.files import (
    RawMember,
    deflated_zeros,
    odf_bytes,
    ooxml_bytes,
    pdf_bytes,
    png_bytes,
    raw_zip,
    upload,
    zip_bytes,
)

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/></svg>'
)


@pytest.fixture
def default_language() -> str:
    """The checks are tested in English, their msgids."""
    return "en"


def codes(name: str, content: bytes) -> list[str]:
    try:
        uploads.validate_upload(upload(name, content))
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ohje.pdf", pdf_bytes()),
        ("ohje.docx", ooxml_bytes("docx")),
        ("diat.pptx", ooxml_bytes("pptx")),
        ("taulukko.xlsx", ooxml_bytes("xlsx")),
        ("ohje.odt", odf_bytes("odt")),
        ("taulukko.ods", odf_bytes("ods")),
        ("diat.odp", odf_bytes("odp")),
        ("logo.png", png_bytes()),
        ("kuva.JPEG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
        ("kuva.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
        ("logo.svg", SVG),
        ("paketti.zip", zip_bytes({"ohje.pdf": pdf_bytes(), "kuvat/logo.png": png_bytes()})),
    ],
)
def test_real_files_of_every_allowed_format_pass(name, content):
    assert codes(name, content) == []


def test_an_html_page_named_pdf_is_refused():
    assert codes("ohje.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>") == ["invalid_content"]


@pytest.mark.parametrize("name", ["ohje.exe", "ohje.html", "ohje", "ohje.pdf.js", "ohje.docm"])
def test_formats_outside_the_allowlist_are_refused(name):
    assert codes(name, pdf_bytes()) == ["format_not_allowed"]


def test_a_plain_zip_named_docx_is_refused():
    assert codes("ohje.docx", zip_bytes({"readme.txt": b"hello"})) == ["invalid_content"]


def test_a_macro_enabled_document_renamed_docx_is_refused():
    macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
    assert codes("ohje.docx", ooxml_bytes("docx", main_type=macro)) == ["invalid_content"]


def test_a_spreadsheet_named_as_a_presentation_is_refused():
    assert codes("diat.pptx", ooxml_bytes("xlsx")) == ["invalid_content"]
    assert codes("diat.odp", odf_bytes("ods")) == ["invalid_content"]


def test_a_pdf_named_png_is_refused():
    assert codes("logo.png", pdf_bytes()) == ["invalid_content"]


def test_a_broken_zip_is_refused():
    assert codes("paketti.zip", b"PK\x03\x04" + b"\x00" * 40) == ["invalid_content"]


def test_an_oversized_file_is_refused(settings):
    settings.MATERIALS_MAX_UPLOAD_SIZE = 1000
    content = pdf_bytes("x" * 2000)
    assert codes("ohje.pdf", content) == ["file_too_large"]
    with pytest.raises(ValidationError, match="The limit is"):
        uploads.validate_upload(upload("ohje.pdf", content))


ZEROS_CRC = zlib.crc32(b"\x00" * 1024 * 1024)


def zeros_zip(members: dict[str, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, size in members.items():
            archive.writestr(name, b"\x00" * size)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused():
    content = zeros_zip({"zeros.bin": 20 * 1024 * 1024})
    assert len(content) < 100 * 1024
    assert codes("paketti.zip", content) == ["zip_bomb"]


def test_many_small_members_that_together_expand_too_much_are_refused():
    """100 members of 1 MiB each, none large on its own, 100 MiB from 100 KB together."""
    megabyte = deflated_zeros(1)
    content = raw_zip(*[RawMember(f"{n}.bin", megabyte, 1024 * 1024, ZEROS_CRC) for n in range(100)])
    assert len(content) < 150 * 1024
    assert codes("paketti.zip", content) == ["zip_bomb"]


def test_members_that_overlap_one_compressed_kernel_are_each_counted():
    """100 directory entries that all point at one deflated megabyte: 100 MiB from 6 KB."""
    megabyte = deflated_zeros(1)
    kernel = RawMember("zeros.bin", megabyte, 1024 * 1024, ZEROS_CRC)
    overlapping = [RawMember("zeros.bin", megabyte, 1024 * 1024, ZEROS_CRC, overlap=True) for _n in range(99)]
    content = raw_zip(kernel, *overlapping)
    assert len(content) < 8 * 1024
    assert codes("paketti.zip", content) == ["zip_bomb"]


def test_a_member_whose_header_understates_its_size_is_refused():
    """The directory says 1 KB; the data is 64 MiB of zeros (from 64 KB), or 300 KB of text (a small ratio)."""
    assert codes("paketti.zip", raw_zip(RawMember("zeros.bin", deflated_zeros(64), 1024))) == ["zip_bomb"]
    text = b"Kaikukortti " * 25_000
    deflated = zlib.compress(text, 9)[2:-4]  # the raw stream, without zlib's header and checksum
    lying = raw_zip(RawMember("ohje.txt", deflated, 1024, zlib.crc32(text)))
    assert codes("paketti.zip", lying) == ["zip_bomb"]
    honest = raw_zip(RawMember("ohje.txt", deflated, len(text), zlib.crc32(text)))
    assert codes("paketti.zip", honest) == []


def test_an_archive_whose_header_overstates_its_size_is_refused_as_broken():
    text = b"Kaikukortti " * 100
    deflated = zlib.compress(text, 9)[2:-4]
    assert codes("paketti.zip", raw_zip(RawMember("a.txt", deflated, 10**6, zlib.crc32(text)))) == ["invalid_content"]


def test_a_16_gib_bomb_is_read_only_up_to_the_budget_in_bounded_time_and_memory(monkeypatch):
    """16 GiB behind a 16 MB archive that says 1 KB: reading stops at the first byte over the budget."""
    monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED", 8 * 1024 * 1024)
    content = raw_zip(RawMember("zeros.bin", deflated_zeros(16 * 1024), 1024))
    tracemalloc.start()
    started = time.monotonic()
    try:
        assert codes("paketti.zip", content) == ["zip_bomb"]
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 2 * 1024 * 1024  # the archive itself is the upload's, outside the count


def test_a_bomb_inside_an_archive_is_refused():
    """The outer archive holds a 20 KB archive, stored as it is: only reading the inner one shows 20 MiB."""
    inner = zeros_zip({"zeros.bin": 20 * 1024 * 1024})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("ohje.pdf", pdf_bytes())
        archive.writestr("liitteet.zip", inner)
    assert codes("paketti.zip", buffer.getvalue()) == ["zip_bomb"]
    # named as something else, or inside a document, it is found by its content
    assert codes("paketti.zip", zip_bytes({"kuva.png": inner})) == ["zip_bomb"]


def test_archives_inside_archives_count_against_one_budget(monkeypatch):
    """Each inner archive is modest; together they are over the upload's budget (an inner archive's bytes count,
    and so does what it expands to: unpacking both takes that much room)."""
    monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED", 5 * 1024 * 1024)
    text = random.Random(15).randbytes(1024 * 1024)  # 1 MiB that does not compress
    inner = zip_bytes({"a.bin": text})
    assert codes("paketti.zip", zip_bytes({"1.zip": inner, "2.zip": inner})) == []
    assert codes("paketti.zip", zip_bytes({f"{n}.zip": inner for n in range(3)})) == ["zip_bomb"]


def test_archives_nested_too_deep_are_refused_and_a_document_in_an_archive_passes():
    content = zip_bytes({"ohje.docx": ooxml_bytes("docx"), "ohje.pdf": pdf_bytes()})
    assert codes("paketti.zip", content) == []
    for level in range(uploads.ZIP_MAX_NESTING):
        content = zip_bytes({f"{level}.zip": content})
    assert codes("paketti.zip", content) == ["zip_nested"]


def test_password_protected_and_unusually_packed_archives_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("ohje.txt", b"x")
    assert codes("paketti.zip", buffer.getvalue()) == ["zip_unreadable"]
    encrypted = raw_zip(RawMember("ohje.txt", zlib.compress(b"x")[2:-4], 1, zlib.crc32(b"x"), flags=0x1))
    assert codes("paketti.zip", encrypted) == ["zip_unreadable"]


def test_a_central_directory_too_large_to_parse_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_DIRECTORY", 100)
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", None)  # parsing it would fail the test
    assert codes("paketti.zip", zip_bytes({f"{n}.txt": b"x" for n in range(4)})) == ["zip_too_many"]


def test_an_archive_whose_members_climb_out_is_refused():
    assert codes("paketti.zip", zip_bytes({"../../etc/passwd": b"x"})) == ["zip_unsafe_path"]
    assert codes("paketti.zip", zip_bytes({"/etc/passwd": b"x"})) == ["zip_unsafe_path"]


def test_an_archive_with_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_MEMBERS", 3)
    assert codes("paketti.zip", zip_bytes({f"{n}.txt": b"x" for n in range(4)})) == ["zip_too_many"]


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<a x:href="javascript:alert(1)"><text>x</text></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    ],
)
def test_an_svg_with_a_script_handler_link_or_entities_is_refused(svg):
    assert codes("logo.svg", svg) == ["svg_unsafe"]


def test_html_named_svg_is_refused():
    assert codes("logo.svg", b"<html><body>hi</body></html>") == ["invalid_content"]


@pytest.mark.parametrize(
    ("original", "stored"),
    [
        ("../../kaikukeskus/settings.py.pdf", "settingspy.pdf"),
        ("..\\..\\windows\\evil.PDF", "evil.pdf"),
        ("Toimintamalli 2024 (final).pdf", "toimintamalli-2024-final.pdf"),
        ("/etc/passwd", "passwd"),
        ("....pdf", "file.pdf"),
    ],
)
def test_stored_names_are_our_own(original, stored):
    assert safe_name(original) == stored
