"""The Celery app: configuration from Django settings under the `CELERY_` namespace, tasks from every app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaikukeskus.settings")

app = Celery("kaikukeskus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
