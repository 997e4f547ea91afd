"""The partner spreadsheet read from an upload: the core's bounded reader (`kaikukeskus.spreadsheet_reader`:
type, size, encoding, bounded .xlsx stream, total text) gives the rows; here the header's titles become the
template's column keys and each data row is cut to the header's width."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kaikukeskus.spreadsheet_reader import MAX_ROWS, SpreadsheetError, read_rows
from networks.imports.columns import COLUMNS, header_aliases, normalise_header
from networks.models import Partner


@dataclass
class ParsedSheet:
    header: list[str]  # column keys in file order; "" for an ignored column
    ignored_columns: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells as text, as many as the header)
    sha256: str


def parse_upload(*, name: str, content: bytes) -> ParsedSheet:
    rows = read_rows(name=name, content=content, subject=Partner._meta.verbose_name_plural)
    return _to_sheet(rows, sha256=hashlib.sha256(content).hexdigest())


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


def _read_header(titles: list[str]) -> tuple[list[str], list[str]]:
    aliases = header_aliases()
    header: list[str] = []
    ignored: list[str] = []
    for title in titles:
        key = aliases.get(normalise_header(title), "")
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
