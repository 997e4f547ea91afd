"""The Celery app: configuration from Django settings under the `CELERY_` namespace, tasks from every app.

A worker warms WeasyPrint when it starts (kaikukeskus/pdf.py): the main process imports it before the pool forks,
so the pool's processes share the import, and each process lays out a line once, so that the first annual report
a visitor asks for does not pay WeasyPrint's start."""

import logging
import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaikukeskus.settings")

logger = logging.getLogger(__name__)

app = Celery("kaikukeskus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def import_weasyprint(**kwargs) -> None:
    import weasyprint  # noqa: F401


@worker_process_init.connect
def warm_up_pdfs(**kwargs) -> None:
    from kaikukeskus import pdf

    logger.info("WeasyPrint warmed up in %.2f s", pdf.warm_up())
