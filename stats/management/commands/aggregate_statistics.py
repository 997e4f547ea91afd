from django.core.management.base import BaseCommand, CommandError

from stats import aggregation


class Command(BaseCommand):
    help = (
        "Aggregate the national statistics of a year from the approved locality reports (the same code as the "
        "Celery task aggregate_year). Idempotent: the year's rows are replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--publish", action="store_true", help="Also make the year public.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a year of the published history 2015-2023 too."
        )

    def handle(self, *args, year, publish, force, **options):
        try:
            result = aggregation.aggregate_year(year=year, force=force, publish=publish)
        except aggregation.HistoryYearError as error:
            raise CommandError(str(error)) from error
        national_year = result.national_year
        self.stdout.write(
            self.style.SUCCESS(
                f"{year}: {national_year.localities} of {national_year.localities_expected} localities reporting, "
                f"{national_year.uses_total or 0} uses; "
                + ("published." if national_year.is_published else "not published.")
            )
        )
