from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    # Not `statistics`: a top-level package of that name would shadow Python's standard module (README).
    name = "stats"
    verbose_name = _("Statistics")
