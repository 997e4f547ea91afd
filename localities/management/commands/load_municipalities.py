from django.core.management.base import BaseCommand

from localities.models import Municipality, Region, WellbeingServicesCounty
from localities.reference_data import load_municipalities, load_population


class Command(BaseCommand):
    help = (
        "Load or update regions, wellbeing services counties, municipalities and their population from the "
        "shipped CSVs."
    )

    def handle(self, *args, **options):
        result = load_municipalities(Region, WellbeingServicesCounty, Municipality)
        self.stdout.write(
            f"Municipalities: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
        )
        self.stdout.write(f"Population: {load_population(Municipality)} municipalities updated.")
