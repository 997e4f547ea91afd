from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from stats import exports, pdf
from stats.models import NationalYear


class Command(BaseCommand):
    help = (
        "Write a published year's statistics to a file: the annual report as PDF, or the year's table (the "
        "national row and one row per locality) as XLSX or CSV; the same code as the public downloads."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["pdf", *exports.SPREADSHEET_FORMATS], required=True)
        parser.add_argument("--output", type=Path, required=True, help="The file to write.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The language of the texts and column labels (default: %(default)s).",
        )

    def handle(self, *args, year, output, language, **options):
        file_format = options["format"]
        with translation.override(language):
            try:
                if file_format == "pdf":
                    content = pdf.annual_report(year)
                else:
                    content = exports.year_spreadsheet(year, file_format=file_format)
            except NationalYear.DoesNotExist as error:
                raise CommandError(f"{year} is not a published year.") from error
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(f"{year}: {file_format.upper()} written to {output} ({len(content)} bytes).")
        )
