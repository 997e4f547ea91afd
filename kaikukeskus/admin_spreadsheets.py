"""The admin's imports and exports (django-import-export) in the portal's own spreadsheet code: every file staff
import is read by the bounded reader (`spreadsheet_reader`), every file they export is written by the portal's
writers (`spreadsheets`, formula-like text neutralised). django-import-export's own formats read through
tablib and openpyxl without bounds (a 1.8 KB .xlsx declaring A1:XFD1048576 took 4.9 GB and 31 s, a YAML alias
bomb of 516 bytes 30 s) and write `=HYPERLINK(…)` as a live formula, so an admin offers only CSV and .xlsx
through `SpreadsheetAdminMixin`, and a file that cannot be read is a message beside the file field."""

import functools
import logging

import tablib
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from import_export.formats.base_formats import Format
from import_export.forms import ImportForm
from import_export.results import Error
from import_export.tmp_storages import TempFolderStorage

from kaikukeskus import spreadsheets
from kaikukeskus.spreadsheet_reader import MAX_UPLOAD_BYTES, SpreadsheetError, read_rows, validate_upload

logger = logging.getLogger(__name__)

ADMIN_IMPORT_MAX_ROWS = 1_000


class SpreadsheetFormat(Format):
    """One of the portal's spreadsheet formats as django-import-export sees it. `subject` names what is
    imported in the reader's messages (the model's `verbose_name_plural`, see `for_model`)."""

    extension = ""
    native_types = False  # whether an export keeps numbers and dates as such (a CSV has only text)
    subject = "rows"

    @classmethod
    def for_model(cls, model: type[models.Model]) -> type["SpreadsheetFormat"]:
        return _format_for_model(cls, model)

    def __init__(self, encoding=None):
        # django-import-export passes an encoding to text formats: ours read bytes and find the encoding
        # themselves (spreadsheet_reader.decode_csv).
        self.encoding = encoding

    def get_title(self):
        return self.extension

    def get_extension(self):
        return self.extension

    def get_content_type(self):
        return spreadsheets.CONTENT_TYPES[self.extension]

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def can_import(self):
        return True

    def can_export(self):
        return True

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        """The file's first row with text is the header; each row below is cut or padded to its width."""
        rows = read_rows(name=f"upload.{self.extension}", content=bytes(in_stream), subject=str(self.subject))
        first = next(rows, None)
        if first is None:
            raise SpreadsheetError(_("The file has no header row."))
        header = first[1]
        dataset = tablib.Dataset(headers=header)
        width = len(header)
        for _line, cells in rows:
            dataset.append(cells[:width] + [""] * (width - len(cells)))
        return dataset

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        title = str(self.subject)
        return spreadsheets.write(dataset, file_format=self.extension, header=dataset.headers or [], title=title)


class CSV(SpreadsheetFormat):
    extension = "csv"


class XLSX(SpreadsheetFormat):
    extension = "xlsx"
    native_types = True


FORMATS = [CSV, XLSX]


@functools.cache
def _format_for_model(base: type[SpreadsheetFormat], model: type[models.Model]) -> type[SpreadsheetFormat]:
    return type(base.__name__, (base,), {"subject": model._meta.verbose_name_plural})


class BoundedTempFolderStorage(TempFolderStorage):
    """The file between an import's preview and its confirmation. The confirmation names it by a hidden field
    (any file of the temporary folder): at most one byte more than an upload may have is read, so that the
    reader refuses a larger file by its size instead of it being read whole."""

    def read(self):
        with self._open(mode=self.read_mode) as file:
            return file.read(MAX_UPLOAD_BYTES + 1)


class SpreadsheetImportForm(ImportForm):
    """The file's type and size are checked before django-import-export reads it whole into memory."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        validate_upload(upload)
        return upload


class MessageOnlyError(Error):
    """An error of an import as staff see it: its message, never a traceback (which goes to the log)."""

    def __init__(self, error, row=None, number=None):
        super().__init__(error, row=row, number=number)
        if not isinstance(error, ValueError | SpreadsheetError):
            logger.error("Admin import failed", exc_info=error)

    @property
    def traceback(self):
        return ""


class AdminImportResourceMixin:
    """For a django-import-export resource the admin imports with: at most `max_rows` rows (the admin checks
    and saves each row inside the web request, about 12 ms a row, so a larger file would pass gunicorn's
    30-second timeout), and errors shown as messages only."""

    max_rows = ADMIN_IMPORT_MAX_ROWS

    def too_many_rows_message(self, rows: int) -> str:
        return _("The admin imports at most %(max)d rows at a time, and this file has %(rows)d. Split it.") % {
            "max": self.max_rows,
            "rows": rows,
        }

    def before_import(self, dataset, **kwargs):
        """Refuse a file too large for one request, before any row is read (the admin shows the message)."""
        if len(dataset) > self.max_rows:
            raise ValueError(self.too_many_rows_message(len(dataset)))
        super().before_import(dataset, **kwargs)

    def get_error_result_class(self):
        return MessageOnlyError


class SpreadsheetAdminMixin:
    """For an admin with django-import-export's import or export: only the portal's formats, the file checked
    before it is read, read within bounds, and a file that cannot be read is a message beside the field."""

    import_form_class = SpreadsheetImportForm
    tmp_storage_class = BoundedTempFolderStorage

    def get_import_formats(self):
        return [fmt.for_model(self.model) for fmt in FORMATS]

    def get_export_formats(self):
        return [fmt.for_model(self.model) for fmt in FORMATS]

    def process_import(self, request, **kwargs):
        """The confirmation reads the stored file again: one that cannot be read (gone, replaced) is a
        message on the import page, not a 500."""
        try:
            return super().process_import(request, **kwargs)
        except (SpreadsheetError, OSError) as error:
            message = str(error) if isinstance(error, SpreadsheetError) else _("Upload the file again.")
            self.message_user(request, message, messages.ERROR)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """As django-import-export's, but numbers and dates stay such in an .xlsx (it decides by the class of
        its own formats)."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request, queryset, force_native_type=getattr(file_format, "native_types", False), **kwargs
        )
        return file_format.export_data(data)
