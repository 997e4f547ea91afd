"""Hostile spreadsheets built in the test from a few kilobytes (never stored), and the bounds every import
door must keep with them: an answer within `SECONDS`, and at most `HEADROOM_BYTES` more address space than the
test process had (an `RLIMIT_AS` for the duration, so that a regression is a `MemoryError` in the test, not a
machine out of memory)."""

import contextlib
import io
import resource
import time
import zipfile
from collections.abc import Iterable, Iterator

SECONDS = 8.0
HEADROOM_BYTES = 200 * 1024 * 1024

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def xlsx(sheet_chunks: Iterable[str], *, shared_chunks: Iterable[str] | None = None, sheet_type="worksheet") -> bytes:
    """A minimal workbook whose sheet (and shared strings) are written from chunks, so that a test can
    build a part of hundreds of megabytes that compresses to a few kilobytes."""
    buffer = io.BytesIO()
    shared = (
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEETML}.sharedStrings+xml"/>'
        if shared_chunks is not None
        else ""
    )
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        # What openpyxl (django-import-export's reader before) needs to open the file at all.
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEETML}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEETML}.worksheet+xml"/>{shared}'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            '<sheet name="Kumppanit" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/{sheet_type}" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for chunk in sheet_chunks:
                part.write(chunk.encode())
        if shared_chunks is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                for chunk in shared_chunks:
                    part.write(chunk.encode())
    return buffer.getvalue()


def repeated(head: str, body: str, times: int, tail: str) -> Iterator[str]:
    yield head
    block = body * 10_000
    for _ in range(times // 10_000):
        yield block
    yield body * (times % 10_000)
    yield tail


def sheet(body_chunks: Iterable[str], *, dimension="A1:C2") -> Iterator[str]:
    yield f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'
    yield from body_chunks
    yield "</sheetData></worksheet>"


def _inline_row(number: int, texts: Iterable[str]) -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in texts)
    return f'<row r="{number}">{cells}</row>'


def amplified(header: Iterable[str], *, rows=10_000, columns=21, characters=9_999) -> bytes:
    """One shared string of `characters` characters in every one of `rows` × `columns` cells under `header`:
    about 19 KB of file, 2.1 GB of text by default."""
    return xlsx(
        sheet(repeated(_inline_row(1, header), _shared_row(columns), rows, "")),
        shared_chunks=[f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>{"x" * characters}</t></si></sst>'],
    )


def _shared_row(columns: int) -> str:
    return "<row>" + '<c t="s"><v>0</v></c>' * columns + "</row>"


def huge_dimension(header: Iterable[str], row: Iterable[str]) -> bytes:
    """Two rows in a sheet that says it is 16,384 columns by 1,048,576 rows, and has a formatted empty cell in
    the last of them: openpyxl pads every row between to the full width (17 billion cells)."""
    last = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    return xlsx(sheet([_inline_row(1, header), _inline_row(2, row), last], dimension="A1:XFD1048576"))


def yaml_alias_bomb() -> bytes:
    """The "billion laughs" of YAML: a few hundred bytes that a YAML loader expands to 9⁹ items."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for number, name in enumerate("bcdefghi"):
        previous = "abcdefgh"[number]
        lines.append(
            f"{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},"
            f"*{previous},*{previous},*{previous},*{previous}]"
        )
    return ("\n".join(lines) + "\n").encode()


@contextlib.contextmanager
def bounded(*, seconds: float = SECONDS, headroom: int = HEADROOM_BYTES):
    """The block must finish within `seconds` and `headroom` bytes more address space than the process has
    now (beyond it, allocation fails with MemoryError)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * resource.getpagesize()
    limit = in_use + headroom
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    started = time.perf_counter()
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"{elapsed:.1f} s"
