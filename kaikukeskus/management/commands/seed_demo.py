import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from kaikukeskus import public_cache
from kaikukeskus.demo import DEFAULT_PASSWORD, DemoContext


class Command(BaseCommand):
    help = "Create or update the demo data and demo accounts (idempotent). Demo use only."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password of every demo account.")
        parser.add_argument("--scale", type=int, default=1, help="Multiply the amount of demo rows.")

    def handle(self, *args, password: str, scale: int, **options):
        context = DemoContext(password=password, scale=max(1, scale))
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).seed(context)
            # National scale writes in bulk, which no signal sees: cached public pages are renewed here.
            public_cache.data_changed()
        for line in context.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Demo accounts' password: {password}"))
