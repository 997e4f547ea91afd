"""Settings for the Kaikukeskus portal, read from the environment.

With nothing set this is the *embedded default*: a SQLite file, eager Celery and console e-mail, so that
`make run` works on a fresh machine. `DEBUG=0` together with `SECRET_KEY` and `ALLOWED_HOSTS` is production:
it refuses to start with the default secret and `manage.py check --deploy` is clean.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


class Env(environ.Env):
    """django-environ, with two habits of ours: an empty variable (`STAFF_MFA_REQUIRED=` in an env file) means
    "not set" and takes the default, never False; and `EMAIL_URL` also takes the short `console://` and
    `locmem://` forms."""

    EMAIL_SCHEMES = {
        **environ.Env.EMAIL_SCHEMES,
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        if default is not self.NOTSET and self.ENVIRON.get(var, "").strip() == "":
            return default
        return super().get_value(var, cast=cast, default=default, parse_default=parse_default)

    def list(self, var, cast=None, default=environ.Env.NOTSET):
        return [item.strip() for item in super().list(var, cast=cast, default=default) if item.strip()]


env = Env()

# --- Core -------------------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=True)
# Anything that is not DEBUG is production: no silent fallbacks for secrets there.
PRODUCTION = not DEBUG

DEFAULT_SECRET_KEY = "embedded-default-insecure-secret-key-change-me"  # noqa: S105 - refused in production
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Production (DEBUG=0) needs SECRET_KEY: at least 50 random characters.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production (DEBUG=0) needs ALLOWED_HOSTS.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Shown on the public contact page (/contact/); an empty value is left out.
KAIKUKESKUS_CONTACT_EMAIL = env.str("KAIKUKESKUS_CONTACT_EMAIL", default="kaikukeskus@kaikukortti.fi")
KAIKUKESKUS_CONTACT_PHONE = env.str("KAIKUKESKUS_CONTACT_PHONE", default="")
KAIKUKESKUS_CONTACT_ADDRESS = env.str("KAIKUKESKUS_CONTACT_ADDRESS", default="Helsinki")

INSTALLED_APPS = [
    # Our apps first, so that their templates override allauth's and the admin's.
    "kaikukeskus",
    "localities",
    "networks",
    "stats",
    "materials",
    "trainings",
    "communications",
    "support",
    "cooperation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # /sitemap.xml (kaikukeskus/sitemaps.py): its XML templates
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "simple_history",
    "django_filters",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "post_office",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kaikukeskus.middleware.security_headers",
    "csp.middleware.CSPMiddleware",
    "kaikukeskus.middleware.private_cache_control",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kaikukeskus.middleware.reject_nul_bytes",
    "kaikukeskus.public_cache.PublicCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "kaikukeskus.request_memo.RequestMemoMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kaikukeskus.middleware.StaffMfaRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kaikukeskus.urls"
WSGI_APPLICATION = "kaikukeskus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "communications.context_processors.site_pages",  # the footer's links to the site's pages
            ],
        },
    },
    # E-mail bodies are plain text: rendered without HTML escaping (kaikukeskus/mail.py). Only asked for by name.
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database ---------------------------------------------------------------------------------------------

DATABASES = {
    "default": {
        **env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        "CONN_MAX_AGE": env.int("DB_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------------------------

AUTH_USER_MODEL = "kaikukeskus.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "kaikukeskus.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
# A wrong password and an unknown e-mail answer alike, and password reset does not tell who has an account.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# allauth keeps the counters in the cache. Failed logins: per client address, and per account and address
# together (the "key", kaikukeskus/adapters.py), so that nobody can lock another person out from elsewhere.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_email": "3/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kaikukeskus"
# National staff must have TOTP before they can use the admin. The embedded default relaxes this so that the
# demo staff account works at once; production always requires it unless explicitly turned off.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=PRODUCTION)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# Trainings: accessibility and dietary needs are erased this many days after the training ends; visitors'
# registrations (no account) are anonymised after the retention period; the signed link in a registrant's
# e-mails (check, cancel, certificate) works this long after it was sent.
TRAININGS_NEEDS_ERASED_AFTER_DAYS = env.int("TRAININGS_NEEDS_ERASED_AFTER_DAYS", default=14)
TRAININGS_VISITOR_RETENTION_DAYS = env.int("TRAININGS_VISITOR_RETENTION_DAYS", default=365)
TRAININGS_LINK_MAX_AGE_DAYS = env.int("TRAININGS_LINK_MAX_AGE_DAYS", default=400)
# A visitor's registrations (no account) per client address and per e-mail address: (how many, in seconds).
TRAININGS_REGISTRATIONS_PER_IP = (env.int("TRAININGS_REGISTRATIONS_PER_IP", default=5), 10 * 60)
TRAININGS_REGISTRATIONS_PER_EMAIL = (3, 60 * 60)
# Outreach (/join/): the interest form's limits per client address and per e-mail address (how many, in
# seconds); who owns a new submission (an e-mail of national staff; empty: staff in turn, round robin); the next
# step falls due this many working days after it; a prospect without a contact this many days is flagged; the
# senders' contact details of prospects that never ran the card are erased after this many months.
OUTREACH_SUBMISSIONS_PER_IP = (env.int("OUTREACH_SUBMISSIONS_PER_IP", default=5), 10 * 60)
OUTREACH_SUBMISSIONS_PER_EMAIL = (3, 60 * 60)
OUTREACH_OWNER_EMAIL = env.str("OUTREACH_OWNER_EMAIL", default="")
OUTREACH_NEXT_STEP_WORKING_DAYS = 5
OUTREACH_STALE_AFTER_DAYS = 30
OUTREACH_ERASE_AFTER_MONTHS = 24

# --- Languages and time -----------------------------------------------------------------------------------

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day-first dates in every language (Django's English is month-first, its Swedish is Sweden's).
FORMAT_MODULE_PATH = ["kaikukeskus.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Agreements and other private documents: never under MEDIA_URL, downloaded only through views that check scope.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Private files: agreements, jobs' results (kaikukeskus/storage.py): a directory of its own with no public URL.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": ""},
    },
}

# --- E-mail -----------------------------------------------------------------------------------------------


def email_settings(url: str) -> dict:
    """`EMAIL_URL`: console://, locmem://, smtp://user:pass@host:587, smtp+tls://… or smtp+ssl://…:465."""
    config = Env.email_url_config(url)
    return {
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        **{key: value for key, value in config.items() if key.startswith("EMAIL_") and value not in (None, "")},
    }


EMAIL = email_settings(env.str("EMAIL_URL", default="console://"))
globals().update(EMAIL)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kaikukeskus <noreply@kaikukortti.fi>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that does not answer must not hold a worker (or, in the embedded default, a request) for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# The outbox (kaikukeskus/mail.py): every e-mail, the portal's own and Django's or allauth's `send_mail`, is a
# row of django-post-office's `Email`, written in the caller's transaction and delivered by the Celery task
# `kaikukeskus.tasks.send_queued_mail` through the real backend `EMAIL_URL` names. A delivery that fails is tried
# again with a growing wait (`MAIL_RETRY_BASE_SECONDS` doubled each time) up to `MAX_RETRIES` times, then it is
# marked failed; staff see and requeue it in the admin.
POST_OFFICE = {
    "BACKENDS": {"default": EMAIL["EMAIL_BACKEND"]},
    "DEFAULT_PRIORITY": "medium",
    "MAX_RETRIES": env.int("MAIL_MAX_RETRIES", default=8),
    "RETRY_INTERVAL": datetime.timedelta(seconds=env.int("MAIL_RETRY_BASE_SECONDS", default=60)),
    "LOG_LEVEL": 1,  # failures only: the Email row says what was sent
    "MESSAGE_ID_ENABLED": True,
    "BATCH_SIZE": 50,
    "THREADS_PER_PROCESS": 1,
    "BATCH_DELIVERY_TIMEOUT": 5 * 60,
    "FILE_STORAGE": "private",  # attachments (calendar files with meeting links) have no public URL
}
EMAIL_BACKEND = "post_office.EmailBackend"
# Sent messages hold addresses and signed links: the outbox forgets them after this many days.
MAIL_KEEP_DAYS = env.int("MAIL_KEEP_DAYS", default=30)

# --- Cache ------------------------------------------------------------------------------------------------


def cache_settings(redis_url: str) -> dict:
    """Redis when `REDIS_URL` is set: shared by every web process, so that allauth's login limits hold across
    workers (check kaikukeskus.W001). While Redis does not answer, each process falls back to its own memory and
    logs a warning, and logging in keeps working (kaikukeskus/cache.py). Without Redis, local memory."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "kaikukeskus.cache.FallbackRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


REDIS_URL = env.str("REDIS_URL", default="")
CACHES = cache_settings(REDIS_URL)

# Public pages and the API for anonymous visitors (kaikukeskus/public_cache.py): cached until public data
# changes; browsers and proxies may keep them for PUBLIC_CACHE_MAX_AGE seconds.
PUBLIC_CACHE_PATHS = ["/api/v1/"]
PUBLIC_CACHE_MAX_AGE = 60
PUBLIC_CACHE_TIMEOUT = 60 * 60
PUBLIC_CACHE_MAX_BYTES = 2 * 1024 * 1024
# Each web process keeps the data version (a row in the database) this long and its latest pages in its own
# memory: a hit then costs no query and asks Redis nothing, and another process's change shows here within a second.
PUBLIC_CACHE_LOCAL_SECONDS = 1.0
PUBLIC_CACHE_LOCAL_PAGES = 200
# `make bench`'s load test mounts a minimal view to compare pages with (bench/bench_load_public.py); never on
# in a real deployment.
BENCH = env.bool("BENCH", default=False)

# --- Celery -----------------------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the embedded default runs tasks in-process.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_RESULT_EXPIRES = 24 * 60 * 60
# Nothing reads tasks' results (a job keeps its state in the database): a task that wants one says so
# (`ignore_result=False`). So publishing touches only the broker, never the result backend, whose default
# reconnection policy kept a request waiting 19 s for a Redis that was down.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A Redis that does not answer is known in well under 2 s wherever a task is published (a job's button, an
# e-mail), so the page answers with its clear 503 or the work waits for the next try, instead of hanging:
# a connection attempt gives up after 1 s, and publishing retries once, at once.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
_CELERY_FAIL_FAST = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_PUBLISH_RETRY_POLICY = _CELERY_FAIL_FAST
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _CELERY_FAIL_FAST}
# A message a worker has taken is handed to another worker when it has not been acknowledged within the
# visibility timeout (tasks acknowledge late: a worker that dies mid-task loses nothing). It must outlast the
# longest task, or a task still running would be started a second time: the hard time limit and a margin.
# A job whose worker died is noticed sooner, by its heartbeat (kaikukeskus/jobs.py `jobs_watch`).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    **_CELERY_FAIL_FAST,
}
CELERY_BEAT_SCHEDULE = {
    # Announcements to acknowledge: the localities that have not, reminded once after the days staff chose.
    "send-acknowledgement-reminders": {
        "task": "communications.tasks.send_acknowledgement_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    # The outbox: whatever a broker outage or a failed delivery left queued goes now (each message once).
    "send-queued-mail": {
        "task": "kaikukeskus.tasks.send_queued_mail",
        "schedule": 60.0,
    },
    "purge-sent-mail": {
        "task": "kaikukeskus.tasks.purge_sent_mail",
        "schedule": crontab(hour=4, minute=0),
    },
    "purge-expired-invitations": {
        "task": "localities.tasks.purge_expired_invitations",
        "schedule": crontab(hour=3, minute=15),
    },
    # Uploaded partner lists hold contact details: forget them a day after the preview.
    "purge-partner-imports": {
        "task": "networks.tasks.purge_partner_imports",
        "schedule": crontab(hour=3, minute=30),
    },
    # A background job whose worker died is run once more or failed within minutes (kaikukeskus/jobs.py).
    "watch-jobs": {
        "task": "kaikukeskus.tasks.watch_jobs",
        "schedule": 60.0,
    },
    # Background jobs' files (kaikukeskus/jobs.py) may be personal: gone after a week.
    "purge-old-jobs": {
        "task": "kaikukeskus.tasks.purge_old_jobs",
        "schedule": crontab(hour=3, minute=45),
    },
    # The localities' own pages: do they answer and mention Kaikukortti (localities/page_check.py).
    "check-locality-pages": {
        "task": "localities.tasks.check_locality_pages",
        "schedule": crontab(day_of_month="1", hour=5, minute=30),
    },
    "send-overdue-reminders": {
        "task": "localities.tasks.send_overdue_reminders",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    # The day before a training, each participant with a place is reminded (once).
    "send-training-reminders": {
        "task": "trainings.tasks.send_training_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "minimise-training-registrations": {
        "task": "trainings.tasks.minimise_registration_data",
        "schedule": crontab(hour=3, minute=45),
    },
    # Statistics reports not yet submitted: 14 and 3 days before the due date and when overdue (once each).
    "send-report-reminders": {
        "task": "stats.tasks.send_report_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Interest submissions of prospects that never ran the card: the sender's contact details go after 24 months.
    "erase-old-interest-contacts": {
        "task": "localities.tasks.erase_old_interest_contacts",
        "schedule": crontab(hour=4, minute=15),
    },
    # Answered support questions nobody wrote to for 14 days close themselves.
    "close-silent-support-questions": {
        "task": "support.tasks.close_silent_questions",
        "schedule": crontab(hour=2, minute=30),
    },
    # The day before a consultation its booker is reminded (once).
    "send-consultation-reminders": {
        "task": "support.tasks.send_booking_reminders",
        "schedule": crontab(hour=9, minute=15),
    },
    # Those invited to a planned feedback meeting are reminded within a day of it (once).
    "send-feedback-meeting-reminders": {
        "task": "localities.tasks.send_feedback_meeting_reminders",
        "schedule": crontab(minute=20),
    },
    # A held working group meeting with no minutes a week later reminds its organiser (once).
    "send-group-minutes-reminders": {
        "task": "cooperation.tasks.send_minutes_reminders",
        "schedule": crontab(hour=8, minute=15),
    },
}

# --- Security ---------------------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many reverse proxies of ours stand in front of the portal (the load balancer: 1). The client's address is
# then the one the outermost of them added to X-Forwarded-For; 0 trusts no header (kaikukeskus/ratelimit.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer checks /health/ over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # allauth shows the TOTP QR code as an inline SVG data URI.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Import and export, history ---------------------------------------------------------------------------

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
# A history page shows a row as it was, without a "Revert" button: putting an old row back would write past the
# services (their checks, their reason key). A form posted to that page anyway goes through the admin's
# save_model, i.e. the service, and a versioned row's old version is refused as stale.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Uploads ----------------------------------------------------------------------------------------------

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Material files (kaikukeskus/uploads.py): the guideline's slide deck with images is the largest we expect.
# The monthly check of the localities' own pages reads public addresses only (localities/page_check.py); the tests'
# local server is the one reason to allow others.
PAGE_CHECK_ALLOW_PRIVATE_ADDRESSES = env.bool("PAGE_CHECK_ALLOW_PRIVATE_ADDRESSES", default=False)
MATERIALS_MAX_UPLOAD_SIZE = env.int("MATERIALS_MAX_UPLOAD_SIZE", default=50 * 1024 * 1024)

# --- Logging ----------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's default config gives `django` a console handler of its own; log through ours only, once.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        # The outbox's library logs every batch at INFO, with a handler of its own unless it finds one here.
        "post_office": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Open data API (Django REST Framework, drf-spectacular) -----------------------------------------------

# Public and read-only: no authentication at all, so no response depends on a session or a cookie; JSON (and
# each view's own extra formats), no browsable HTML API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kaikukortti open data",
    "DESCRIPTION": (
        "Public data of Kaikukortti: no login, JSON by default, CSV with ?format=csv. "
        "This document as YAML: /api/v1/schema/?format=yaml."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Two models' `kind` choices: each its own enum in the document.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "localities.models.Locality.Kind",
        "MaterialKindEnum": "materials.models.Kind",
        # The twelve accessibility questions share one answer set (yes / no / unknown).
        "AccessibilityAnswerEnum": ["yes", "no", "unknown"],
    },
}
