"""Upload checks with crafted files: each format's real content passes, and wrong content, oversize, zip tricks
and scripted SVG are refused with a message that says why."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from materials import validators
from materials.models import safe_name
from tests.materials.files import odf_bytes, ooxml_bytes, pdf_bytes, png_bytes, upload, zip_bytes

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/></svg>'
)


def codes(name: str, content: bytes) -> list[str]:
    try:
        validators.validate_upload(upload(name, content))
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
        validators.validate_upload(upload("ohje.pdf", content))


def test_a_zip_bomb_is_refused_without_unpacking_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("zeros.bin", b"\x00" * (20 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100 * 1024
    assert codes("paketti.zip", buffer.getvalue()) == ["zip_bomb"]


def test_an_archive_whose_members_climb_out_is_refused():
    assert codes("paketti.zip", zip_bytes({"../../etc/passwd": b"x"})) == ["zip_unsafe_path"]
    assert codes("paketti.zip", zip_bytes({"/etc/passwd": b"x"})) == ["zip_unsafe_path"]


def test_an_archive_with_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(validators, "ZIP_MAX_MEMBERS", 3)
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
