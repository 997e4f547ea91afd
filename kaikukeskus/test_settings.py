"""Test settings: the main settings with a fast hasher, locmem e-mail and cache, and eager Celery.

The Redis round-trip test turns eagerness off for itself and talks to the real broker in `REDIS_URL`.
"""

from kaikukeskus.settings import *  # noqa: F403
from kaikukeskus.settings import REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The outbox delivers to Django's test outbox (`mail.outbox`); its attachments live in memory.
POST_OFFICE = {
    **POST_OFFICE,  # noqa: F405
    "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    "FILE_STORAGE": "default",
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STAFF_MFA_REQUIRED = False
# Tests run in one process, whose own changes reach its public cache at once: the data version is read once after
# each change, not again whenever a slow machine lets a second pass, so query counts do not depend on its speed.
# The test of two processes sets its own.
PUBLIC_CACHE_LOCAL_SECONDS = 3600
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING"},
    # post_office adds a DEBUG handler of its own to a logger that has none.
    "handlers": {"none": {"class": "logging.NullHandler"}},
    "loggers": {"post_office": {"handlers": ["none"], "level": "WARNING"}},
}
