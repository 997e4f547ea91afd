import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from simple_history.signals import pre_create_historical_record

from kaikukeskus import public_cache
from kaikukeskus.demo import DEFAULT_PASSWORD, DemoContext

# The history's reason for every row a `--reset` writes, so that nobody reads it as staff's own edit.
RESET_REASON = "demo_reset"


def _mark_reset(*, history_instance, **kwargs) -> None:
    history_instance.history_change_reason = RESET_REASON
    history_instance.history_user = None


class Command(BaseCommand):
    help = (
        "Create the demo data and demo accounts that are missing, leaving existing rows as they are; --reset puts "
        "them back to the demo's values. Demo use only."
    )
    # `make run` runs it between migrate and runserver, which both run the system checks: a second pass here cost
    # a second and a half of every start.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=f"Password of every demo account, existing ones too (default: {DEFAULT_PASSWORD} for new ones).",
        )
        parser.add_argument("--scale", type=int, default=1, help="Multiply the amount of demo rows.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put existing demo rows back to the demo's values (history reason demo_reset).",
        )

    def handle(self, *args, password: str | None, scale: int, reset: bool, **options):
        context = DemoContext(
            password=password or DEFAULT_PASSWORD, scale=max(1, scale), reset=reset, set_passwords=bool(password)
        )
        with transaction.atomic():
            if reset:
                pre_create_historical_record.connect(_mark_reset, dispatch_uid=RESET_REASON)
            try:
                for app_config in apps.get_app_configs():
                    module_name = f"{app_config.name}.demo"
                    if importlib.util.find_spec(module_name) is None:
                        continue
                    importlib.import_module(module_name).seed(context)
            finally:
                pre_create_historical_record.disconnect(dispatch_uid=RESET_REASON)
            # National scale writes in bulk, which no signal sees: cached public pages are renewed here.
            public_cache.data_changed()
        for line in context.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Demo accounts' password: {context.password}"))
