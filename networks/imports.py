"""The partner spreadsheet: its columns, reading an upload safely, and planning what each row would do.
Reads only: `services` stores the preview and applies the plan.

Reading treats every file as hostile. An upload is at most 5 MB, but an .xlsx is a zip whose parts can unpack
to gigabytes and whose sheet says of itself whatever it likes (a dimension of A1:XFD1048576, one cell of 100 MB,
a million empty cells in a row). openpyxl, even in read-only mode, pads rows to the declared dimension, builds
each row's cells as dictionaries before returning them and keeps the whole shared-strings table: it cannot
bound memory. So the .xlsx is read here as a stream with the standard library: the zip's directory is checked
first (part count, unpacked sizes), then the few parts we need are parsed with expat, cell by cell, stopping at
the first limit (rows, columns, cells, characters in a cell). CSV (UTF-8, UTF-8 with BOM, or the cp1252 "Excel
CSV" of Finnish Windows; semicolons, commas or tabs) goes through the same limits. Whatever the file, the
answer is a `SpreadsheetError` with a message for the user, in bounded time and memory.
"""

import contextlib
import csv
import datetime
import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from localities.models import Locality, Municipality
from networks.models import (
    PARTNER_FIELDS,
    CommitmentKind,
    ContactPerson,
    IssuerKind,
    Partner,
    PartnerRole,
    Sector,
    VenueCategory,
    name_key,
    validate_phone,
)

# --- Limits -----------------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Data rows, header not counted. A locality's network is hundreds of partners (the whole country about 15,000);
# a file of the maximum size is confirmed in a few seconds (bench/bench_partner_import.py), far below gunicorn's
# 30-second timeout.
MAX_ROWS = 10_000
MAX_COLUMNS = 50  # the template has 21; room for the coordinator's own notes
MAX_CELL_CHARS = 10_000  # above every field's limit, so that a long cell gets the field's own message
# .xlsx: the zip's directory is read before anything is unpacked. zipfile never returns more bytes of a part
# than its directory entry declares (and checks the CRC), so the declared sizes are a true upper bound.
MAX_XLSX_PARTS = 500
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_XLSX_PART_BYTES = {
    "workbook": 2 * 1024 * 1024,
    "styles": 5 * 1024 * 1024,
    # A full template of 10,000 rows with long offers in three languages is about 10 MB of shared strings,
    # and 12 MB of sheet as openpyxl writes it (inline strings). Even white space costs expat time: about a
    # second for 24 MB here.
    "shared_strings": 24 * 1024 * 1024,
    "sheet": 24 * 1024 * 1024,
}
MAX_SHARED_STRINGS = (MAX_ROWS + 1) * 30
MAX_SHEET_ROWS = 2 * (MAX_ROWS + 1)
EXTENSIONS = (".csv", ".xlsx")


# --- Columns ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    required: bool = False

    @property
    def example(self) -> str:
        """The column's example for the import page: the venue's, else the issuer's."""
        return next((example[self.key] for example in EXAMPLES if example.get(self.key)), "")


COLUMNS: tuple[Column, ...] = (
    Column("role", gettext_lazy("Role"), required=True),
    Column("name", gettext_lazy("Name"), required=True),
    Column("parent_organisation", gettext_lazy("Parent organisation")),
    Column("municipality", gettext_lazy("Municipality"), required=True),
    Column("address", gettext_lazy("Address")),
    Column("website", gettext_lazy("Website")),
    Column("sector", gettext_lazy("Sector")),
    Column("category", gettext_lazy("Category")),
    Column("issuer_kind", gettext_lazy("Issuer kind")),
    Column("offer_fi", gettext_lazy("Offer in Finnish")),
    Column("offer_sv", gettext_lazy("Offer in Swedish")),
    Column("offer_en", gettext_lazy("Offer in English")),
    Column("listed_publicly", gettext_lazy("Listed publicly")),
    Column("joined_on", gettext_lazy("Joined on")),
    Column("left_on", gettext_lazy("Left on")),
    Column("commitment_acknowledged_on", gettext_lazy("Commitment acknowledged on")),
    Column("commitment_kind", gettext_lazy("Commitment kind")),
    Column("contact_name", gettext_lazy("Primary contact name")),
    Column("contact_title", gettext_lazy("Primary contact title")),
    Column("contact_email", gettext_lazy("Primary contact e-mail")),
    Column("contact_phone", gettext_lazy("Primary contact phone")),
)
# The template's two example rows: a venue and an issuer.
EXAMPLES: tuple[dict[str, str], ...] = (
    {
        "role": "venue",
        "name": "Kaupunginteatteri",
        "parent_organisation": "Kaupunki",
        "municipality": "091",
        "address": "Teatterikatu 1, 00100 Helsinki",
        "website": "https://teatteri.example.fi",
        "sector": "culture",
        "category": "theatre",
        "offer_fi": "Vapaalippu kaikkiin näytöksiin, enintään 5 % paikoista. Liput lippukassalta tai puhelimitse.",
        "offer_sv": "Fribiljett till alla föreställningar, högst 5 % av platserna. Biljetter i biljettkassan eller "
        "per telefon.",
        "offer_en": "Free ticket to every performance, up to 5 % of seats. Tickets at the box office or by phone.",
        "listed_publicly": "yes",
        "joined_on": "2025-01-01",
        "commitment_acknowledged_on": "2024-12-15",
        "commitment_kind": "permanent",
        "contact_name": "Maija Meikäläinen",
        "contact_title": "Myyntipäällikkö",
        "contact_email": "maija@teatteri.example.fi",
        "contact_phone": "040 123 4567",
    },
    {
        "role": "issuer",
        "name": "Aikuissosiaalityö",
        "parent_organisation": "Hyvinvointialue",
        "municipality": "091",
        "issuer_kind": "social_services",
        "listed_publicly": "no",
        "joined_on": "2025-01-01",
        "commitment_acknowledged_on": "2024-12-15",
        "commitment_kind": "pilot",
        "contact_name": "Matti Virtanen",
        "contact_title": "Sosiaalityöntekijä",
        "contact_email": "matti@hyvinvointi.example.fi",
        "contact_phone": "+358 9 123 4567",
    },
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
REQUIRED_KEYS = tuple(column.key for column in COLUMNS if column.required)
# Every XML element of the sheet costs a little Python, so elements are counted (in C) before parsing. A full
# template of 10,000 rows as openpyxl writes it (21 cells, each a cell, an inline string and its text) has
# 640,000; an empty row formatted in Excel is still a row element.
MAX_SHEET_ELEMENTS = (MAX_ROWS + 1) * (1 + 3 * len(COLUMNS)) + 1000


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (type, encoding, size, shape or header). Its message is for the user."""


def _normalise_header(value: str) -> str:
    return " ".join(str(value).replace("\ufeff", "").replace("*", "").strip().lower().replace("_", " ").split())


def header_aliases() -> dict[str, str]:
    """Every accepted header → column key: the key itself and the label in Finnish, Swedish and English."""
    aliases: dict[str, str] = {}
    for column in COLUMNS:
        aliases[_normalise_header(column.key)] = column.key
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                aliases[_normalise_header(str(column.label))] = column.key
    return aliases


# --- Reading ----------------------------------------------------------------------------------------------


@dataclass
class ParsedSheet:
    header: list[str]  # column keys in file order; "" for an ignored column
    ignored_columns: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells as text, as many as the header)
    sha256: str


def parse_upload(*, name: str, content: bytes) -> ParsedSheet:
    return _to_sheet(read_rows(name=name, content=content), sha256=hashlib.sha256(content).hexdigest())


def read_rows(*, name: str, content: bytes) -> Iterator[tuple[int, list[str]]]:
    """Any spreadsheet upload (CSV or .xlsx by `name`) read within the limits above: its rows with text, as
    (line number in the file, cells as text without the empty ones at the end). Raises `SpreadsheetError`
    (also while iterating) with a message for the user. Also the statistics import's reader."""
    lowered = name.lower()
    if not lowered.endswith(EXTENSIONS):
        raise SpreadsheetError(_("Upload a CSV or an Excel (.xlsx) file."))
    if len(content) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than 5 MB."))
    if not content.strip():
        raise SpreadsheetError(_("The file is empty."))
    rows = _xlsx_rows(content) if lowered.endswith(".xlsx") else _csv_rows(content)
    return _texts(rows)


def _texts(rows: Iterable[tuple[int, list[object]]]) -> Iterator[tuple[int, list[str]]]:
    for line, cells in rows:
        texts = _row_texts(line, cells)
        if texts:
            yield line, texts


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else Windows-1252, which Finnish Excel uses for "CSV"."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_("The file's text encoding is not UTF-8 or Windows (cp1252).")) from error


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[object]]]:
    if content[:4] == b"PK\x03\x04":
        raise SpreadsheetError(_("This looks like an Excel file: save it with the extension .xlsx."))
    text = decode_csv(content)
    if "\x00" in text:
        raise SpreadsheetError(_("The file is not a text file."))
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    try:
        for line, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS:
                # A row of a million empty cells (";;;;…") is cut here in one C call, not cell by cell.
                if "".join(cells[MAX_COLUMNS:]).strip():
                    raise SpreadsheetError(
                        _("Line %(line)d has more than %(max)d columns.") % {"line": line, "max": MAX_COLUMNS}
                    )
                del cells[MAX_COLUMNS:]
            yield line, cells
    except csv.Error as error:
        # The csv module refuses a cell over its field limit (128 KiB) and a few broken quotings.
        raise SpreadsheetError(
            _("Line %(line)d cannot be read: a cell is too long or its quotation marks do not match.")
            % {"line": line + 1}
        ) from error


def _to_sheet(rows: Iterable[tuple[int, list[str]]], *, sha256: str) -> ParsedSheet:
    """The header is the first row with text; the data rows follow, each cut to the header's width. Stops at the
    first limit."""
    header: list[str] | None = None
    ignored: list[str] = []
    data: list[tuple[int, list[str]]] = []
    for line, texts in rows:
        if header is None:
            header, ignored = _read_header(texts)
            continue
        if len(data) == MAX_ROWS:
            raise SpreadsheetError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        texts = texts[: len(header)]
        data.append((line, texts + [""] * (len(header) - len(texts))))
    if header is None:
        raise SpreadsheetError(_("The file has no header row."))
    if not data:
        raise SpreadsheetError(_("The file has a header row but no partners below it."))
    return ParsedSheet(header=header, ignored_columns=ignored, rows=data, sha256=sha256)


def _row_texts(line: int, cells: Sequence[object]) -> list[str]:
    """The row's cells as text without the empty ones at the end; [] for an empty row."""
    width = len(cells)
    texts = []
    for cell in cells:
        text = cell_text(cell)
        if len(text) > MAX_CELL_CHARS:
            raise SpreadsheetError(
                _("A cell on line %(line)d is longer than %(max)d characters.") % {"line": line, "max": MAX_CELL_CHARS}
            )
        texts.append(text)
    while width and not texts[width - 1]:
        width -= 1
    if width > MAX_COLUMNS:
        raise SpreadsheetError(_("Line %(line)d has more than %(max)d columns.") % {"line": line, "max": MAX_COLUMNS})
    return texts[:width]


def _read_header(titles: list[str]) -> tuple[list[str], list[str]]:
    aliases = header_aliases()
    header: list[str] = []
    ignored: list[str] = []
    for title in titles:
        key = aliases.get(_normalise_header(title), "")
        if key and key in header:
            raise SpreadsheetError(_("The column “%(column)s” appears twice.") % {"column": title})
        if not key and title:
            ignored.append(title)
        header.append(key)
    missing = [column for column in COLUMNS if column.required and column.key not in header]
    if missing:
        raise SpreadsheetError(
            _("The header row lacks the required columns: %(columns)s. Download the template to see the columns.")
            % {"columns": ", ".join(str(column.label) for column in missing)}
        )
    return header, ignored


def cell_text(value: object) -> str:
    """A cell as text: Excel dates become ISO dates, whole numbers lose their `.0`, and the apostrophe that
    our own exports put before = + - @ is taken off again."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


# --- .xlsx as a stream ------------------------------------------------------------------------------------


def _not_xlsx() -> SpreadsheetError:
    return SpreadsheetError(_("The file is not a valid Excel (.xlsx) file."))


def _too_large() -> SpreadsheetError:
    return SpreadsheetError(
        _("The Excel file unpacks to too much data for a partner list. Save only the partners' sheet, or as CSV.")
    )


def _zip_entry_count(content: bytes) -> int | None:
    """The number of entries the zip's end record declares, read before `zipfile` builds an object for each
    (a 5 MB zip can list a hundred thousand empty parts)."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if end < 0 or end + 22 > len(content):
        return None
    return int.from_bytes(content[end + 10 : end + 12], "little")


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[object]]]:
    if content[:4] != b"PK\x03\x04":
        raise _not_xlsx()
    declared = _zip_entry_count(content)
    if declared is None:
        raise _not_xlsx()
    if declared > MAX_XLSX_PARTS:
        raise _too_large()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise _not_xlsx() from error
    with archive:
        parts = {info.filename: info for info in archive.infolist()}
        if len(parts) > MAX_XLSX_PARTS or sum(info.file_size for info in parts.values()) > MAX_XLSX_UNPACKED_BYTES:
            raise _too_large()
        book = _XlsxBook(archive, parts)
        yield from book.first_worksheet_rows()


_RELATIONSHIP_TYPES = ("/worksheet", "/chartsheet", "/sharedStrings", "/styles", "/officeDocument")


class _XlsxBook:
    def __init__(self, archive: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo]):
        self.archive = archive
        self.parts = parts

    def _parse(self, path: str, handler: "_PartHandler", *, limit: int, counts: dict[bytes, int] | None = None) -> None:
        """Parse one part with `handler`. `counts` caps how often a byte string may occur (b"<" for elements):
        counted first at C speed over the unpacked stream, so that a part of millions of tiny elements is
        refused before any Python runs for each of them."""
        info = self.parts.get(path)
        if info is None:
            raise _not_xlsx()
        if info.file_size > limit:
            raise _too_large()
        try:
            if counts:
                self._count(info, counts)
            parser = expat.ParserCreate()
            parser.buffer_text = True
            parser.buffer_size = 1 << 16
            handler.attach(parser)
            with self.archive.open(info) as stream:
                while chunk := stream.read(1 << 16):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            raise _not_xlsx() from error

    def _count(self, info: zipfile.ZipInfo, counts: dict[bytes, int]) -> None:
        """`b"<"` counts the start tags (every `<` but those of end tags `</`)."""
        seen = dict.fromkeys(counts, 0)
        tail = b""
        with self.archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                for needle, most in counts.items():
                    found = chunk.count(needle)
                    if needle == b"<":
                        found -= chunk.count(b"</") + (tail == b"<" and chunk[:1] == b"/")
                    seen[needle] += found
                    if seen[needle] > most:
                        raise _too_large()
                tail = chunk[-1:]

    def _relationships(self, source: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type ending, part path) of a part's `_rels` file."""
        folder, _slash, name = source.rpartition("/")
        rels_path = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        handler = _RelationshipsHandler()
        self._parse(rels_path, handler, limit=MAX_XLSX_PART_BYTES["workbook"], counts={b"<": 10_000})
        result = {}
        for rel_id, rel_type, target in handler.relationships:
            kind = next((kind for kind in _RELATIONSHIP_TYPES if rel_type.endswith(kind)), "")
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = "/".join(_normalise_path([*(folder.split("/") if folder else []), *target.split("/")]))
            result[rel_id] = (kind, path)
        return result

    def first_worksheet_rows(self) -> Iterator[tuple[int, list[object]]]:
        package = self._relationships("") if "_rels/.rels" in self.parts else {}
        workbook_path = next((path for kind, path in package.values() if kind == "/officeDocument"), "xl/workbook.xml")
        workbook = _WorkbookHandler()
        self._parse(workbook_path, workbook, limit=MAX_XLSX_PART_BYTES["workbook"], counts={b"<": 100_000})
        relationships = self._relationships(workbook_path)
        worksheet = next(
            (relationships[rel][1] for rel in workbook.sheet_ids if relationships.get(rel, ("",))[0] == "/worksheet"),
            None,
        )
        if worksheet is None:
            raise SpreadsheetError(
                _("The Excel file has no sheet of cells (only charts?). Put the partners on a normal sheet.")
            )
        date_styles: set[int] = set()
        styles = next((path for kind, path in relationships.values() if kind == "/styles"), None)
        if styles in self.parts:
            handler = _StylesHandler()
            self._parse(styles, handler, limit=MAX_XLSX_PART_BYTES["styles"], counts={b"<": 200_000})
            date_styles = handler.date_styles()
        shared: list[str] = []
        strings = next((path for kind, path in relationships.values() if kind == "/sharedStrings"), None)
        if strings in self.parts:
            handler = _SharedStringsHandler()
            self._parse(
                strings, handler, limit=MAX_XLSX_PART_BYTES["shared_strings"], counts={b"<si": MAX_SHARED_STRINGS}
            )
            shared = handler.strings
        rows: list[tuple[int, list[object]]] = []
        sheet = _SheetHandler(shared=shared, date_styles=date_styles, date1904=workbook.date1904, out=rows)
        # The rows are collected, not yielded while parsing: expat cannot pause. The sheet handler stops at
        # the limits, so the list stays bounded.
        self._parse(
            worksheet,
            sheet,
            limit=MAX_XLSX_PART_BYTES["sheet"],
            counts={b"<": MAX_SHEET_ELEMENTS, b"<row": MAX_SHEET_ROWS},
        )
        yield from rows


def _normalise_path(segments: list[str]) -> list[str]:
    result: list[str] = []
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if result:
                result.pop()
            continue
        result.append(segment)
    return result


def _local(name: str) -> str:
    """`x:row` → `row`: some writers (the .NET Open XML SDK) prefix every element."""
    return name.rpartition(":")[2]


class _PartHandler:
    """Element callbacks for one XML part, by local name (`x:row` → `row`). Text is kept only inside the
    elements that hold values, and at most `MAX_CELL_CHARS` of it. A DOCTYPE (and with it any entity, the
    classic "billion laughs") is refused: OOXML parts never have one."""

    text_elements: frozenset[str] = frozenset()

    def attach(self, parser) -> None:
        self.parser = parser
        self.text: list[str] = []
        self.text_length = 0
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.StartDoctypeDeclHandler = self._refuse_doctype

    def _collect_text(self, on: bool) -> None:
        # The text handler is set only inside a value: expat then runs no Python at all for the white space
        # between elements, however much of it a file has (it reports each line break separately).
        if on:
            self.text, self.text_length = [], 0
        self.parser.CharacterDataHandler = self._character_data if on else None

    def _refuse_doctype(self, *args) -> None:
        raise _not_xlsx()

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if ":" in name:
            name = _local(name)
        if name in self.text_elements:
            self._collect_text(True)
        self.start(name, attributes)

    def _end(self, name: str) -> None:
        if ":" in name:
            name = _local(name)
        if name in self.text_elements:
            self._collect_text(False)
            self.end(name, "".join(self.text))
        else:
            self.end(name, "")

    def _character_data(self, data: str) -> None:
        self.text_length += len(data)
        if self.text_length > MAX_CELL_CHARS:
            self.text_too_long()
        self.text.append(data)

    def text_too_long(self) -> None:
        raise SpreadsheetError(_("A cell of the file is longer than %(max)d characters.") % {"max": MAX_CELL_CHARS})

    def start(self, name: str, attributes: dict[str, str]) -> None:
        pass

    def end(self, name: str, text: str) -> None:
        pass


def _attribute(attributes: dict[str, str], name: str, default: str = "") -> str:
    """An attribute by its local name, with or without a prefix (r:id)."""
    if name in attributes:
        return attributes[name]
    for key, value in attributes.items():
        if _local(key) == name:
            return value
    return default


class _RelationshipsHandler(_PartHandler):
    def attach(self, parser) -> None:
        super().attach(parser)
        self.relationships: list[tuple[str, str, str]] = []

    def start(self, name, attributes):
        if name == "Relationship":
            self.relationships.append(
                (attributes.get("Id", ""), attributes.get("Type", ""), attributes.get("Target", ""))
            )


class _WorkbookHandler(_PartHandler):
    def attach(self, parser) -> None:
        super().attach(parser)
        self.sheet_ids: list[str] = []
        self.date1904 = False

    def start(self, name, attributes):
        if name == "sheet":
            self.sheet_ids.append(_attribute(attributes, "id"))
        elif name == "workbookPr":
            self.date1904 = attributes.get("date1904", "").lower() in ("1", "true")


class _StylesHandler(_PartHandler):
    """Which cell formats (`s` on a cell) show a date: Excel stores dates as day numbers."""

    def attach(self, parser) -> None:
        super().attach(parser)
        self.formats: dict[int, str] = {}
        self.cell_formats: list[int] = []
        self.in_cell_xfs = False

    def start(self, name, attributes):
        if name == "numFmt":
            with contextlib.suppress(ValueError):
                self.formats[int(attributes.get("numFmtId", ""))] = attributes.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_xfs = True
        elif name == "xf" and self.in_cell_xfs:
            try:
                self.cell_formats.append(int(attributes.get("numFmtId", "0")))
            except ValueError:
                self.cell_formats.append(0)

    def end(self, name, text):
        if name == "cellXfs":
            self.in_cell_xfs = False

    def date_styles(self) -> set[int]:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        return {
            index
            for index, format_id in enumerate(self.cell_formats)
            if is_date_format(self.formats.get(format_id) or BUILTIN_FORMATS.get(format_id) or "General")
        }


class _SharedStringsHandler(_PartHandler):
    """The table of texts that cells point to. Phonetic guides (`rPh`) are not part of the text."""

    text_elements = frozenset({"t"})

    def attach(self, parser) -> None:
        super().attach(parser)
        self.strings: list[str] = []
        self.pieces: list[str] = []
        self.pieces_length = 0
        self.phonetic = 0

    def start(self, name, attributes):
        if name == "si":
            self.pieces, self.pieces_length = [], 0
        elif name == "rPh":
            self.phonetic += 1

    def end(self, name, text):
        if name == "t" and not self.phonetic:
            self.pieces.append(text)
            self.pieces_length += len(text)
            if self.pieces_length > MAX_CELL_CHARS:
                self.text_too_long()
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si":
            self.strings.append("".join(self.pieces))


class _SheetHandler(_PartHandler):
    """Rows of a worksheet as (row number, values). Cells carry their own column (`r="C7"`); the sheet's
    declared dimension is never read, and nothing is padded beyond the last cell with a value. The callbacks
    run for every element of the sheet, so they are written for speed rather than through `start`/`end`."""

    def __init__(self, *, shared: list[str], date_styles: set[int], date1904: bool, out: list):
        self.shared = shared
        self.date_styles = date_styles
        self.date1904 = date1904
        self.out = out
        self.data_rows = 0
        self.row_number = 0
        self.cells: list[object] = []
        self.cell_column = 0
        self.cell_type = ""
        self.cell_style = 0
        self.cell_value: str | None = None

    def attach(self, parser) -> None:
        super().attach(parser)
        parser.StartElementHandler = self._sheet_start
        parser.EndElementHandler = self._sheet_end

    def _sheet_start(self, name: str, attributes: dict[str, str]) -> None:
        if ":" in name:
            name = _local(name)
        if name == "c":
            reference = attributes.get("r")
            self.cell_column = _column_number(reference) if reference else self.cell_column + 1
            self.cell_type = attributes.get("t", "n")
            style = attributes.get("s")
            self.cell_style = int(style) if style and style.isdigit() else 0
            self.cell_value = None
        elif name == "v" or name == "t":
            self._collect_text(True)
        elif name == "row":
            number = attributes.get("r", "")
            self.row_number = max(int(number) if number.isdigit() else 0, self.row_number + 1)
            self.cells = []
            self.cell_column = 0

    def _sheet_end(self, name: str) -> None:
        if ":" in name:
            name = _local(name)
        if name == "c":
            if self.cell_value:  # an empty (perhaps only formatted) cell: nothing to keep, however far right
                self._keep_cell()
        elif name == "v" or name == "t":
            # `t` of an inline string; rich text has several runs
            self._collect_text(False)
            text = "".join(self.text)
            self.cell_value = text if name == "v" or self.cell_value is None else self.cell_value + text
            if len(self.cell_value) > MAX_CELL_CHARS:
                self.text_too_long()
        elif name == "row" and self.cells:
            self.data_rows += 1
            if self.data_rows > MAX_ROWS + 1:  # the header and the data rows
                raise SpreadsheetError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            self.out.append((self.row_number, self.cells))

    def _keep_cell(self) -> None:
        if self.cell_column > MAX_COLUMNS:
            raise SpreadsheetError(
                _("Line %(line)d has more than %(max)d columns.") % {"line": self.row_number, "max": MAX_COLUMNS}
            )
        if self.cell_column > len(self.cells):
            self.cells.extend([None] * (self.cell_column - len(self.cells)))
        self.cells[self.cell_column - 1] = self._value()

    def text_too_long(self) -> None:
        raise SpreadsheetError(
            _("A cell on line %(line)d is longer than %(max)d characters.")
            % {"line": self.row_number, "max": MAX_CELL_CHARS}
        )

    def _value(self) -> object:
        text = self.cell_value or ""
        kind = self.cell_type
        if kind == "s":
            try:
                return self.shared[int(text)]
            except (ValueError, IndexError) as error:
                raise _not_xlsx() from error
        if kind in ("inlineStr", "str", "e", "d"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        try:
            number = float(text)
        except ValueError:
            return text
        if self.cell_style in self.date_styles:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

            try:
                return from_excel(number, CALENDAR_MAC_1904 if self.date1904 else CALENDAR_WINDOWS_1900)
            except (ValueError, OverflowError):
                return text
        return number


def _column_number(reference: str) -> int:
    """`AB12` → 28. A reference past Excel's last column (XFD) counts as too far right."""
    number = 0
    for character in reference:
        if "A" <= character <= "Z":
            number = number * 26 + ord(character) - 64
            if number > 16_384:
                return 16_385
        else:
            break
    return number or 1


# --- Planning ---------------------------------------------------------------------------------------------

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"

_TRUE = {"1", "x", "yes", "y", "true", "kyllä", "k", "ja", "j"}
_FALSE = {"0", "no", "n", "false", "ei", "e", "nej"}


def _choice_map(choices) -> dict[str, str]:
    """Accept the stored value and the label in any of the three languages, case-insensitively."""
    mapping = {}
    for value, label in choices:
        mapping[value.lower()] = value
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                mapping[str(label).lower()] = value
    return mapping


_URL = URLValidator(schemes=["http", "https"])
_EMAIL = EmailValidator()


def _parse_date(text: str) -> datetime.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class RowPlan:
    line: int
    status: str
    name: str = ""
    role: str = ""
    messages: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    partner: Partner | None = None
    partner_fields: list[str] = field(default_factory=list)
    contact: ContactPerson | None = None
    contact_fields: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "status": self.status,
            "name": self.name,
            "role": self.role,
            "messages": self.messages,
            "changes": self.changes,
        }

    def fingerprint(self) -> list:
        """What this row would write and over which version of which rows: the import's optimistic lock."""
        partner, contact = self.partner, self.contact
        return [
            self.line,
            self.status,
            self.messages,
            partner.pk if partner else None,
            partner.version if partner and partner.pk else None,
            self.partner_fields,
            contact.pk if contact else None,
            contact.version if contact and contact.pk else None,
            self.contact_fields,
        ]


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    ignored_columns: list[str]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((NEW, UPDATE, UNCHANGED, ERROR), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(row.status == ERROR for row in self.rows)

    @property
    def sha256(self) -> str:
        """Changes when anything the preview showed, or the partners it would overwrite, changes."""
        rows = [row.fingerprint() for row in self.rows]
        return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()

    def as_dict(self) -> dict:
        return {
            "rows": [row.as_dict() for row in self.rows],
            "counts": self.counts,
            "ignored_columns": self.ignored_columns,
        }


class _RowReader:
    """Turns one row's cells into typed values, collecting a readable message per bad cell."""

    def __init__(self, *, municipalities: list[Municipality]):
        self.choices = {
            "role": _choice_map(PartnerRole.choices),
            "sector": _choice_map(Sector.choices),
            "category": _choice_map(VenueCategory.choices),
            "issuer_kind": _choice_map(IssuerKind.choices),
            "commitment_kind": _choice_map(CommitmentKind.choices),
        }
        self.municipalities: dict[str, Municipality] = {}
        for municipality in municipalities:
            self.municipalities[municipality.code] = municipality
            self.municipalities[municipality.name_fi.lower()] = municipality
            if municipality.name_sv:
                self.municipalities[municipality.name_sv.lower()] = municipality
        self.municipality_names = ", ".join(m.name_fi for m in municipalities) or "–"
        self.labels = {column.key: str(column.label) for column in COLUMNS}

    def read(self, cells: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
        partner: dict[str, Any] = {}
        contact: dict[str, Any] = {}
        errors: list[str] = []

        def fail(key: str, message: str) -> None:
            errors.append(f"{self.labels[key]}: {message}")

        validated = {
            "website": (_URL, partner, "website", _("“%(value)s” is not a web address.")),
            "contact_email": (_EMAIL, contact, "email", _("“%(value)s” is not an e-mail address.")),
            "contact_phone": (validate_phone, contact, "phone", _("“%(value)s” is not a phone number.")),
        }

        for key, text in cells.items():
            if key in self.choices:
                if not text:
                    partner[key] = ""
                elif text.lower() in self.choices[key]:
                    partner[key] = self.choices[key][text.lower()]
                else:
                    fail(key, _("“%(value)s” is not one of the choices.") % {"value": _shown(text)})
            elif key == "municipality":
                found = self.municipalities.get(text.lower()) or self.municipalities.get(text.zfill(3))
                if found is None:
                    fail(
                        key,
                        _("“%(value)s” is not one of the locality's municipalities (%(names)s).")
                        % {"value": _shown(text), "names": self.municipality_names},
                    )
                else:
                    partner["municipality"] = found
            elif key in ("joined_on", "left_on", "commitment_acknowledged_on"):
                if not text:
                    partner[key] = None
                else:
                    try:
                        partner[key] = _parse_date(text)
                    except ValueError:
                        fail(
                            key,
                            _("“%(value)s” is not a date (write 31.12.2025 or 2025-12-31).") % {"value": _shown(text)},
                        )
            elif key == "listed_publicly":
                if not text or text.lower() in _TRUE:
                    partner[key] = True
                elif text.lower() in _FALSE:
                    partner[key] = False
                else:
                    fail(key, _("“%(value)s” is not yes or no.") % {"value": _shown(text)})
            elif key in validated:
                validator, target, name, message = validated[key]
                value = _normalised(key, text)
                try:
                    if value:
                        validator(value)
                    target[name] = value
                except ValidationError:
                    fail(key, message % {"value": _shown(text)})
            elif key in ("contact_name", "contact_title"):
                contact[key.removeprefix("contact_")] = text
            else:
                partner[key] = text
        return partner, contact, errors


def _normalised(key: str, text: str) -> str:
    """A web address typed without a scheme is https; e-mail addresses are kept in lower case."""
    if key == "website" and text and "://" not in text:
        return "https://" + text
    return text.lower() if key == "contact_email" else text


def _shown(text: str) -> str:
    """A cell quoted back in a message: long cells are cut, so that one bad row cannot fill the preview."""
    return text if len(text) <= 60 else text[:57] + "…"


def _field_label(name: str) -> str:
    """The field as the spreadsheet's column names it."""
    for column in COLUMNS:
        if column.key == name:
            return str(column.label)
    return str(Partner._meta.get_field(name).verbose_name).capitalize()


def _validation_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        messages = []
        for name, field_errors in error.message_dict.items():
            prefix = "" if name == "__all__" else f"{_field_label(name)}: " if _is_partner_field(name) else ""
            messages.extend(prefix + message for message in field_errors)
        return messages
    return list(error.messages)


def _is_partner_field(name: str) -> bool:
    try:
        Partner._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def partner_import_plan(*, locality: Locality, header: list[str], rows: list) -> ImportPlan:
    """What each row would do: new, update, unchanged or error (with the reasons). Reads only. The same rules
    as the partner form run on every row (`clean_fields()` and the role and date rules of `Partner`), but the
    locality's partners, municipalities and primary contacts are loaded once instead of queried per row; the
    database constraints stay the last guard when the plan is applied. Names match through `name_key`, as in
    the form and the admin's import."""
    municipalities = list(locality.municipalities.all())
    reader = _RowReader(municipalities=municipalities)
    existing = {
        (partner.role, name_key(partner.name)): partner
        for partner in Partner.objects.filter(locality=locality).select_related("municipality")
    }
    primaries = {
        contact.partner_id: contact
        for contact in ContactPerson.objects.filter(partner__locality=locality, is_primary=True)
    }
    seen: dict[tuple[str, str], int] = {}
    today = timezone.localdate()
    plans: list[RowPlan] = []
    for line, raw in rows:
        cells = {key: (raw[index] if index < len(raw) else "").strip() for index, key in enumerate(header) if key}
        values, contact_values, errors = reader.read(cells)
        role, name = values.get("role", ""), values.get("name", "")
        plan = RowPlan(line=line, status=ERROR, name=_shown(name), role=role)
        plans.append(plan)
        for required in REQUIRED_KEYS:
            if not cells.get(required):
                errors.insert(0, _("%(column)s: this cell is required.") % {"column": reader.labels[required]})
        key = (role, name_key(name))
        if role and name:
            if key in seen:
                errors.append(_("The same partner is already on line %(line)d.") % {"line": seen[key]})
            else:
                seen[key] = line
        if errors:
            plan.messages = errors
            continue

        current = existing.get(key)
        partner = Partner(locality=locality) if current is None else _copy(current)
        if current is None and values.get("joined_on") is None:
            values["joined_on"] = today
        if current is not None and values.get("joined_on") is None:
            values.pop("joined_on", None)  # an empty cell never erases the joining date
        if current is not None:
            values["name"] = current.name  # the name is the key: a difference in case is not a rename
        for name_, value in values.items():
            setattr(partner, name_, value)
        try:
            partner.clean_fields(exclude=["locality", "municipality"])
            role_errors = partner.clean_role_fields()
            if role_errors:
                raise ValidationError(role_errors)
        except ValidationError as error:
            plan.messages = _validation_messages(error)
            continue

        changed = [f for f in PARTNER_FIELDS if current is None or _value(partner, f) != _value(current, f)]
        contact, contact_changed, contact_errors = _plan_contact(
            partner=partner, existing=primaries.get(current.pk) if current else None, values=contact_values
        )
        if contact_errors:
            plan.messages = contact_errors
            continue
        plan.partner, plan.contact = partner, contact
        plan.partner_fields, plan.contact_fields = changed, contact_changed
        if current is None:
            plan.status = NEW
        elif changed or contact_changed:
            plan.status = UPDATE
            plan.changes = [_field_label(f) for f in changed] + [
                str(ContactPerson._meta.get_field("is_primary").verbose_name).capitalize()
            ] * bool(contact_changed)
        else:
            plan.status = UNCHANGED
    return ImportPlan(rows=plans, ignored_columns=[])


def _copy(partner: Partner) -> Partner:
    clone = Partner.objects.model(**{f.attname: getattr(partner, f.attname) for f in Partner._meta.concrete_fields})
    clone._state.adding = False
    clone._state.db = partner._state.db
    clone.municipality = partner.municipality
    return clone


def _value(partner: Partner, name: str):
    return getattr(partner, "municipality_id" if name == "municipality" else name)


def _plan_contact(
    *, partner: Partner, existing: ContactPerson | None, values: dict[str, Any]
) -> tuple[ContactPerson | None, list[str], list[str]]:
    """The row's primary contact: updated in place, created when the partner has none, left alone when the
    row's contact cells are empty."""
    if not any(values.values()):
        return None, [], []
    contact = ContactPerson(partner=partner, is_primary=True) if existing is None else existing
    changed = [name for name, value in values.items() if getattr(contact, name) != value]
    if existing is not None and not changed:
        return None, [], []
    for name, value in values.items():
        setattr(contact, name, value)
    label = str(ContactPerson._meta.verbose_name).capitalize()
    try:
        contact.clean_fields(exclude=["partner"])
        contact.clean()
    except ValidationError as error:
        return None, [], [f"{label}: {message}" for message in error.messages]
    return contact, changed or ["name"], []


# --- Writing the template and exports ---------------------------------------------------------------------


def column_labels() -> list[str]:
    return [str(column.label) for column in COLUMNS]


def example_rows() -> list[list[str]]:
    return [[example.get(column.key, "") for column in COLUMNS] for example in EXAMPLES]
