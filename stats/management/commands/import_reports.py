"""`manage.py import_reports PATH [--dry-run]` (DESIGN §6): approved reports from a CSV or .xlsx file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaikukeskus.spreadsheet_reader import MAX_UPLOAD_BYTES
from stats import imports, services


class Command(BaseCommand):
    help = (
        "Import approved reports from a CSV or XLSX file with the header "
        f"{','.join(imports.HEADER)}. Every row is checked first: any bad row changes nothing and exits with "
        "status 1, naming each bad row by its line. Warnings are listed and do not block."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and list the problems; change nothing."
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        try:
            size = path.stat().st_size
            # One byte over the limit is enough for the reader to refuse the file; never read a huge file whole.
            with path.open("rb") as stream:
                content = stream.read(min(size, MAX_UPLOAD_BYTES) + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        if dry_run:
            plan = imports.plan_import(name=path.name, content=content)
        else:
            plan = services.reports_import(actor=None, name=path.name, content=content)
        for warning in plan.warnings:
            self.stdout.write(f"warning: {warning}")
        if plan.errors:
            for problem in plan.errors:
                self.stderr.write(f"error: {problem}")
            if plan.more_errors:
                self.stderr.write(f"error: ... and {plan.more_errors} more")
            raise CommandError(f"{plan.error_count} problem(s) in {path.name}: nothing was imported.", returncode=1)
        rounds = ", ".join(imports.round_title(*period) for period in plan.new_rounds) or "none"
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {verb} {len(plan.rows)} approved report(s) "
                f"({plan.replaced} replacing a report not yet approved); new rounds: {rounds}."
            )
        )
