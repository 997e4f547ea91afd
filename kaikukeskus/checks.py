"""System checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

W001 = checks.Warning(
    "Production runs without a shared cache: set REDIS_URL.",
    hint=(
        "allauth keeps its login and password-reset limits in the cache, and the trainings their registration "
        "limits. In each process's own memory every gunicorn worker counts for itself, which multiplies the "
        "limits by the number of workers."
    ),
    id="kaikukeskus.W001",
)


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache_in_production(app_configs, **kwargs):
    if settings.DEBUG or not isinstance(caches["default"], LocMemCache | DummyCache):
        return []
    return [W001]
