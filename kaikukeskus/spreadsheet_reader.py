"""Reading a spreadsheet upload safely, for every import of the portal (the partner list, the statistics'
reports, the admin's imports): the file's type, size, text encoding and shape, into its rows of cells as text.
What the rows mean (a header's columns, a row's fields) is each import's own business.

Reading treats every file as hostile. An upload is at most 5 MB, but an .xlsx is a zip whose parts can unpack
to gigabytes and whose sheet says of itself whatever it likes (a dimension of A1:XFD1048576, one cell of 100 MB,
a million empty cells in a row, one shared string of 10,000 characters in every one of 210,000 cells).
openpyxl, even in read-only mode, pads rows to the declared dimension, builds each row's cells as dictionaries
before returning them and keeps the whole shared-strings table: it cannot bound memory. So the .xlsx is read
here as a stream with the standard library: the zip's directory is checked first (part count, unpacked sizes),
then the few parts we need are parsed with expat, cell by cell, stopping at the first limit (rows, columns,
characters in a cell, and characters in all: the text handed out, however often a shared string is used, is
never more than a CSV of the largest upload could hold). CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM as Excel's
"Unicode text", or the cp1252 "Excel CSV" of Finnish Windows; semicolons, commas or tabs) goes through the same
limits. Whatever the file, the answer is a `SpreadsheetError` with a message for the user, in bounded time and
memory.
"""

import contextlib
import csv
import datetime
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kaikukeskus.spreadsheets import FORMULA_PREFIXES

# --- Limits -----------------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Data rows, header not counted. A locality's network is hundreds of partners (the whole country about 15,000);
# a file of the maximum size is applied in a few seconds (bench/bench_partner_import.py), by a background job
# (networks/import_job.py), so not against gunicorn's 30-second timeout.
MAX_ROWS = 10_000
MAX_COLUMNS = 50  # the partner template has 21; room for the coordinator's own notes
MAX_CELL_CHARS = 10_000  # above every field's limit, so that a long cell gets the field's own message
# Characters of every cell together: what a CSV of the largest upload can hold, whatever the format. Shared
# strings cost the file a few bytes per use and the reader's callers (a preview stored as JSON, a page of
# errors) a copy each: a 19.5 KB .xlsx once became 2.1 GB of text. A partner list of MAX_ROWS rows as the
# benchmark writes it has 1.5 million.
MAX_TEXT_CHARS = MAX_UPLOAD_BYTES
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
# Every XML element of the sheet costs a little Python, so elements are counted (in C) before parsing. A full
# sheet of MAX_ROWS rows of FULL_ROW_CELLS cells as openpyxl writes it (each a cell, an inline string and its
# text) has 640,000; an empty row formatted in Excel is still a row element.
FULL_ROW_CELLS = 21  # the widest file the portal imports: the partner template
MAX_SHEET_ELEMENTS = (MAX_ROWS + 1) * (1 + 3 * FULL_ROW_CELLS) + 1000
EXCERPT_CHARS = 60


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (type, encoding, size, shape or header). Its message is for the user."""


def excerpt(text: str, *, length: int = EXCERPT_CHARS) -> str:
    """A cell's text as a message quotes it: at most `length` characters, cut with an ellipsis. A message
    about a bad value never costs more than the value's first words, however long the cell."""
    return text if len(text) <= length else text[: length - 1] + "…"


# --- Reading ----------------------------------------------------------------------------------------------


def check_upload(*, name: str, size: int) -> None:
    """The checks an upload form makes before reading anything: the file's type by its name, and its size."""
    if not name.lower().endswith(EXTENSIONS):
        raise SpreadsheetError(_("Upload a CSV or an Excel (.xlsx) file."))
    if size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than 5 MB."))


def validate_upload(upload) -> None:
    """`check_upload` for a form's file field: a `ValidationError` with the same message."""
    try:
        check_upload(name=upload.name, size=upload.size)
    except SpreadsheetError as error:
        raise ValidationError(str(error)) from error


def read_rows(*, name: str, content: bytes, subject: str) -> Iterator[tuple[int, list[str]]]:
    """Any spreadsheet upload (CSV or .xlsx by `name`) read within the limits above: its rows with text, as
    (line number in the file, cells as text without the empty ones at the end). Raises `SpreadsheetError`
    (also while iterating) with a message for the user. `subject` says what the file holds, in the plural as
    a model's `verbose_name_plural` ("partners"), for the messages that tell which sheet to keep."""
    check_upload(name=name, size=len(content))
    if not content.strip():
        raise SpreadsheetError(_("The file is empty."))
    budget = _TextBudget()
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(content, subject=subject, budget=budget)
    return _texts(_csv_rows(content), budget)


def _texts(rows: Iterable[tuple[int, Sequence[object]]], budget: "_TextBudget") -> Iterator[tuple[int, list[str]]]:
    for line, cells in rows:
        texts = budget.row_texts(line, cells)
        if texts:
            yield line, texts


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), UTF-16 with its BOM (Excel's "Unicode text"), else
    Windows-1252, which Finnish Excel uses for "CSV"."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise SpreadsheetError(_("The file's text is not valid UTF-16, though it begins as UTF-16.")) from error
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_("The file's text encoding is not UTF-8, UTF-16 or Windows (cp1252).")) from error


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    if content[:4] == b"PK\x03\x04":
        raise SpreadsheetError(_("This looks like an Excel file: save it with the extension .xlsx."))
    text = decode_csv(content)
    if "\x00" in text:
        sample = content[:200]
        if max(sample[::2].count(0), sample[1::2].count(0)) > len(sample) // 4:
            # Every other byte zero: UTF-16 whose writer left out the byte order mark that tells which.
            raise SpreadsheetError(_("The file is UTF-16 text without a byte order mark. Save it as CSV (UTF-8)."))
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


class _TextBudget:
    """The characters handed out so far, counted as each row's cells become text: a shared string used in
    every cell is counted at every use, and reading stops at the first row past `MAX_TEXT_CHARS`."""

    def __init__(self) -> None:
        self.left = MAX_TEXT_CHARS

    def spend(self, characters: int) -> None:
        self.left -= characters
        if self.left < 0:
            raise SpreadsheetError(
                _(
                    "The cells of the file hold more than %(max)s characters of text in all. Leave out what is "
                    "not to be imported, or import the file in parts."
                )
                % {"max": number_format(MAX_TEXT_CHARS, force_grouping=True)}
            )

    def row_texts(self, line: int, cells: Sequence[object]) -> list[str]:
        """The row's cells as text without the empty ones at the end; [] for an empty row."""
        width = len(cells)
        texts = []
        for cell in cells:
            text = cell_text(cell)
            if len(text) > MAX_CELL_CHARS:
                raise SpreadsheetError(
                    _("A cell on line %(line)d is longer than %(max)d characters.")
                    % {"line": line, "max": MAX_CELL_CHARS}
                )
            texts.append(text)
        while width and not texts[width - 1]:
            width -= 1
        if width > MAX_COLUMNS:
            raise SpreadsheetError(
                _("Line %(line)d has more than %(max)d columns.") % {"line": line, "max": MAX_COLUMNS}
            )
        del texts[width:]
        self.spend(sum(map(len, texts)))
        return texts


def cell_text(value: object) -> str:
    """A cell as text: Excel dates become ISO dates, whole numbers lose their `.0`, and the apostrophe that
    our own exports put before = + - @ (`spreadsheets.neutralise_cell`) is taken off again."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


# --- .xlsx as a stream ------------------------------------------------------------------------------------


def _not_xlsx() -> SpreadsheetError:
    return SpreadsheetError(_("The file is not a valid Excel (.xlsx) file."))


def _too_large(subject: str) -> SpreadsheetError:
    return SpreadsheetError(
        _("The Excel file unpacks to too much data. Save only the sheet of %(subject)s, or save it as CSV.")
        % {"subject": subject}
    )


def _zip_entry_count(content: bytes) -> int | None:
    """The number of entries the zip's end record declares, read before `zipfile` builds an object for each
    (a 5 MB zip can list a hundred thousand empty parts)."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if end < 0 or end + 22 > len(content):
        return None
    return int.from_bytes(content[end + 10 : end + 12], "little")


def _xlsx_rows(content: bytes, *, subject: str, budget: _TextBudget) -> Iterator[tuple[int, list[str]]]:
    if content[:4] != b"PK\x03\x04":
        raise _not_xlsx()
    declared = _zip_entry_count(content)
    if declared is None:
        raise _not_xlsx()
    if declared > MAX_XLSX_PARTS:
        raise _too_large(subject)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise _not_xlsx() from error
    with archive:
        parts = {info.filename: info for info in archive.infolist()}
        if len(parts) > MAX_XLSX_PARTS or sum(info.file_size for info in parts.values()) > MAX_XLSX_UNPACKED_BYTES:
            raise _too_large(subject)
        book = _XlsxBook(archive, parts, subject=subject, budget=budget)
        yield from book.first_worksheet_rows()


_RELATIONSHIP_TYPES = ("/worksheet", "/chartsheet", "/sharedStrings", "/styles", "/officeDocument")


class _XlsxBook:
    def __init__(
        self, archive: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo], *, subject: str, budget: _TextBudget
    ):
        self.archive = archive
        self.parts = parts
        self.subject = subject
        self.budget = budget

    def _parse(self, path: str, handler: "_PartHandler", *, limit: int, counts: dict[bytes, int] | None = None) -> None:
        """Parse one part with `handler`. `counts` caps how often a byte string may occur (b"<" for elements):
        counted first at C speed over the unpacked stream, so that a part of millions of tiny elements is
        refused before any Python runs for each of them."""
        info = self.parts.get(path)
        if info is None:
            raise _not_xlsx()
        if info.file_size > limit:
            raise _too_large(self.subject)
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
                        raise _too_large(self.subject)
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

    def first_worksheet_rows(self) -> Iterator[tuple[int, list[str]]]:
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
                _("The Excel file has no sheet of cells (only charts?). Put the %(subject)s on a normal sheet.")
                % {"subject": self.subject}
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
            strings_handler = _SharedStringsHandler(budget=_TextBudget())
            self._parse(
                strings,
                strings_handler,
                limit=MAX_XLSX_PART_BYTES["shared_strings"],
                counts={b"<si": MAX_SHARED_STRINGS},
            )
            shared = strings_handler.strings
        rows: list[tuple[int, list[str]]] = []
        sheet = _SheetHandler(
            shared=shared, date_styles=date_styles, date1904=workbook.date1904, budget=self.budget, out=rows
        )
        # The rows are collected, not yielded while parsing: expat cannot pause. The sheet handler stops at
        # the limits (the text budget included, counted as each row ends), so the list stays bounded.
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

    def __init__(self, *, budget: "_TextBudget"):
        self.budget = budget

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
            # The table is kept whole while the sheet is read: no more text than the cells may hold in all.
            self.budget.spend(self.pieces_length)
            self.strings.append("".join(self.pieces))


class _SheetHandler(_PartHandler):
    """Rows of a worksheet as (row number, values). Cells carry their own column (`r="C7"`); the sheet's
    declared dimension is never read, and nothing is padded beyond the last cell with a value. The callbacks
    run for every element of the sheet, so they are written for speed rather than through `start`/`end`."""

    def __init__(self, *, shared: list[str], date_styles: set[int], date1904: bool, budget: "_TextBudget", out: list):
        self.shared = shared
        self.budget = budget
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
            texts = self.budget.row_texts(self.row_number, self.cells)
            if texts:
                self.out.append((self.row_number, texts))

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
