"""Reading and writing the partner spreadsheet: the columns, CSV (UTF-8, UTF-8 with BOM, or the cp1252 "Excel
CSV" of Finnish Windows; semicolons, commas or tabs) and XLSX. No business rules here: `services` decides what a
row means; this module only turns a file into a header and rows of cells, and rows of values into a file."""

import csv
import datetime
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaikukeskus.api import neutralise_cell

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    required: bool = False
    example_venue: str = ""
    example_issuer: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("role", _("Role"), True, "venue", "issuer"),
    Column("name", _("Name"), True, "Kaupunginteatteri", "Aikuissosiaalityö"),
    Column("parent_organisation", _("Parent organisation"), False, "Kaupunki", "Hyvinvointialue"),
    Column("municipality", _("Municipality"), True, "091", "091"),
    Column("address", _("Address"), False, "Teatterikatu 1, 00100 Helsinki", ""),
    Column("website", _("Website"), False, "https://teatteri.example.fi", ""),
    Column("sector", _("Sector"), False, "culture", ""),
    Column("category", _("Category"), False, "theatre", ""),
    Column("issuer_kind", _("Issuer kind"), False, "", "social_services"),
    Column(
        "offer_fi",
        _("Offer in Finnish"),
        False,
        "Vapaalippu kaikkiin näytöksiin, enintään 5 % paikoista. Liput lippukassalta tai puhelimitse.",
        "",
    ),
    Column(
        "offer_sv",
        _("Offer in Swedish"),
        False,
        "Fribiljett till alla föreställningar, högst 5 % av platserna. Biljetter i biljettkassan eller per telefon.",
        "",
    ),
    Column(
        "offer_en",
        _("Offer in English"),
        False,
        "Free ticket to every performance, up to 5 % of seats. Tickets at the box office or by phone.",
        "",
    ),
    Column("listed_publicly", _("Listed publicly"), False, "yes", "no"),
    Column("joined_on", _("Joined on"), False, "2025-01-01", "2025-01-01"),
    Column("left_on", _("Left on"), False, "", ""),
    Column("commitment_acknowledged_on", _("Commitment acknowledged on"), False, "2024-12-15", "2024-12-15"),
    Column("commitment_kind", _("Commitment kind"), False, "permanent", "pilot"),
    Column("contact_name", _("Primary contact name"), False, "Maija Meikäläinen", "Matti Virtanen"),
    Column("contact_title", _("Primary contact title"), False, "Myyntipäällikkö", "Sosiaalityöntekijä"),
    Column(
        "contact_email", _("Primary contact e-mail"), False, "maija@teatteri.example.fi", "matti@hyvinvointi.example.fi"
    ),
    Column("contact_phone", _("Primary contact phone"), False, "040 123 4567", "+358 9 123 4567"),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
REQUIRED_KEYS = tuple(column.key for column in COLUMNS if column.required)


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong type, encoding, size or header). Its message is for the user."""


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


@dataclass
class ParsedSheet:
    header: list[str]  # column keys in file order; "" for an ignored column
    ignored_columns: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells as text)
    sha256: str


def parse_upload(*, name: str, content: bytes) -> ParsedSheet:
    lowered = name.lower()
    if not lowered.endswith(EXTENSIONS):
        raise SpreadsheetError(_("Upload a CSV or an Excel (.xlsx) file."))
    if len(content) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than 5 MB."))
    if not content.strip():
        raise SpreadsheetError(_("The file is empty."))
    table = _read_xlsx(content) if lowered.endswith(".xlsx") else _read_csv(content)
    return _to_sheet(table, sha256=hashlib.sha256(content).hexdigest())


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


def _read_csv(content: bytes) -> list[list[object]]:
    if content[:4] == b"PK\x03\x04":
        raise SpreadsheetError(_("This looks like an Excel file: save it with the extension .xlsx."))
    text = decode_csv(content)
    if "\x00" in text:
        raise SpreadsheetError(_("The file is not a text file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    if content[:4] != b"PK\x03\x04":
        raise SpreadsheetError(_("The file is not a valid Excel (.xlsx) file."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken zip or workbook
        raise SpreadsheetError(_("The file is not a valid Excel (.xlsx) file.")) from error
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(list(row))
            if len(table) > MAX_ROWS + 1:
                break
        return table
    finally:
        workbook.close()


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


def _to_sheet(table: list[list[object]], *, sha256: str) -> ParsedSheet:
    rows = [(line, [cell_text(cell) for cell in cells]) for line, cells in enumerate(table, start=1)]
    rows = [(line, cells) for line, cells in rows if any(cells)]
    if not rows:
        raise SpreadsheetError(_("The file has no header row."))
    _line, raw_header = rows[0]
    aliases = header_aliases()
    header: list[str] = []
    ignored: list[str] = []
    for title in raw_header:
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
    data = rows[1:]
    if len(data) > MAX_ROWS:
        raise SpreadsheetError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    return ParsedSheet(header=header, ignored_columns=ignored, rows=data, sha256=sha256)


# --- Writing ----------------------------------------------------------------------------------------------


def column_labels() -> list[str]:
    return [str(column.label) for column in COLUMNS]


def example_rows() -> list[list[str]]:
    return [
        [column.example_venue for column in COLUMNS],
        [column.example_issuer for column in COLUMNS],
    ]


def write_csv(rows: Iterable[Sequence[object]], *, header: Sequence[str]) -> bytes:
    """Semicolons and a BOM, so that Excel in Finnish opens it in columns and with ä and ö intact. Cells that
    start with = + - @ are neutralised against CSV injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_cell(value) for value in header])
    for row in rows:
        writer.writerow(["" if value is None else neutralise_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(rows: Iterable[Sequence[object]], *, header: Sequence[str], title: str) -> bytes:
    """openpyxl would store a text starting with = as a formula: neutralise those cells as in CSV."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([neutralise_cell(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if value is None else neutralise_cell(value) for value in row])
    for index, _label in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 22
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
