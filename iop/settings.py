"""Settings for the IOP intake app, read from the environment.

With no environment at all the app runs on the embedded default: SQLite, Celery tasks run
eagerly, e-mail printed to the console. `DJANGO_ENV=production` switches on the safe profile:
it refuses to start with DEBUG on or without a SECRET_KEY, and `check --deploy` is clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Fail closed: an unknown profile (a typo such as "prod") must not quietly turn DEBUG on.
DJANGO_ENV = env("DJANGO_ENV") or "development"
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV!r} is not known: use 'production', 'development' or 'test'."
    )
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env("SECRET_KEY")
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (50+ random characters) when DJANGO_ENV=production."
        )
elif not SECRET_KEY:
    # Development only: a fixed key so sessions survive restarts; never used in production.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "axes",
    "accounts",
    "audit",
    "screening",
    "intake",
    "review",
    "oncall",
    "contacts",
    "rest_framework",
    "drf_spectacular",
    "api",
    "programs",
    "calibration",
    "care",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "iop.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "iop.middleware.UnusableInputMiddleware",
    # Before anything reads: a write, and the same browser's next seconds, read the primary.
    "iop.db_router.ReplicaPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The patient side in the person's language (SPEC §8b): the cookie set by the language
    # form, else the browser's; accounts.middleware then applies the account's own choice.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: a signed-in patient's pages in their account's language, staff's in English.
    "accounts.middleware.AccountLanguageMiddleware",
    # Pages shown to a signed-in person carry patient data: the browser must not keep them.
    "iop.middleware.NoStoreForSignedInMiddleware",
    "iop.middleware.FormOnlyPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: it tells the person why they were signed out.
    "accounts.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Turns django-ratelimit's refusal into RATELIMIT_VIEW's 429 page instead of a 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into AXES_LOCKOUT_TEMPLATE.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iop.urls"
WSGI_APPLICATION = "iop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "review.context_processors.oncall_problems",
            ],
        },
    },
]

# The embedded default is SQLite; tests and production use PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
    )
}
# Separate runs (developers in parallel, CI) can use separate test databases.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME") or None}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that hangs must not hang every page and worker with it: give up connecting
    # after DB_CONNECT_TIMEOUT seconds and on any one statement after DB_STATEMENT_TIMEOUT_MS
    # (the page then answers 503 with Retry-After, see iop.errors). Long maintenance work
    # (a migration building an index on a big table) may raise it for that run.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "connect_timeout": int(env("DB_CONNECT_TIMEOUT", "5")),
        "options": f"-c statement_timeout={int(env('DB_STATEMENT_TIMEOUT_MS', '30000'))}",
    })
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A double submit must wait for the write lock, not fail with "database is locked":
    # writers take the lock when their transaction begins, and wait up to 20 s for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# A read-only PostgreSQL replica (streaming replication) for the heavy reads: the queue, the
# reports and metrics, the replay (iop/db_router.py; docs/scaling.md). Unset: every read goes
# to "default". A person who has just written reads from the primary for REPLICA_PIN_SECONDS.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")))
    if DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:
        # The same connect and statement timeouts as the primary's.
        DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}),
                                           **DATABASES["replica"].get("OPTIONS", {})}
    # Tests read the test database through it: no second test database is made.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["iop.db_router.PrimaryReplicaRouter"]
REPLICA_PIN_SECONDS = int(env("REPLICA_PIN_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Accounts have one name field: Django's default list would miss it.
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("email", "full_name")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Staff sign in with a TOTP second factor unless this is switched off (the demo switches it off).
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
# Idle sessions end after this many seconds: staff soon, patients later (a long
# questionnaire, answers saved at each step); no session lives longer than SESSION_COOKIE_AGE.
STAFF_IDLE_TIMEOUT = int(env("STAFF_IDLE_TIMEOUT", str(15 * 60)))
PATIENT_IDLE_TIMEOUT = int(env("PATIENT_IDLE_TIMEOUT", str(60 * 60)))
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(12 * 60 * 60)))
OTP_TOTP_ISSUER = "IOP intake"
# Admins manage devices in the admin site but never read another person's TOTP secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "America/New_York")
USE_I18N = True
# English and Spanish are shipped; a third language is a .po file under locale/ and its
# catalogue wording (docs/i18n.md). Staff pages are in English only.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language form's choice outlives the browser session: a shared computer's next visitor
# may change it on any page.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default; SMTP when EMAIL_HOST is set. Mails carry links only, never answers.
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# A mail server that accepts the connection and never answers must not hold a worker for
# ever: every SMTP step gives up after this many seconds (and the task retries later).
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "IOP intake <no-reply@localhost>")
# Urgent alerts go to the clinicians on the on-call roster (/oncall/). These addresses (comma
# separated, e.g. a shared pager mailbox) get them too; they never count as someone on call:
# an empty roster is an error on every staff page and in /healthz even when they are set.
ONCALL_EMAILS = env_list("ONCALL_EMAILS")
# The pager or text-message gateway: urgent alerts are POSTed there as JSON (ids and a link,
# never patient data), signed with HMAC-SHA256 of "<timestamp>.<body>" under this secret.
ONCALL_WEBHOOK_URL = env("ONCALL_WEBHOOK_URL")
ONCALL_WEBHOOK_SECRET = env("ONCALL_WEBHOOK_SECRET")
ONCALL_WEBHOOK_TIMEOUT_SECONDS = float(env("ONCALL_WEBHOOK_TIMEOUT_SECONDS", "5"))
if ONCALL_WEBHOOK_URL and len(ONCALL_WEBHOOK_SECRET) < 32:
    # Unsigned, anyone who finds the gateway's address could page the clinic at will.
    raise ImproperlyConfigured(
        "ONCALL_WEBHOOK_SECRET must be set (32+ random characters) with ONCALL_WEBHOOK_URL.")
if PRODUCTION and ONCALL_WEBHOOK_URL and not ONCALL_WEBHOOK_URL.startswith("https://"):
    raise ImproperlyConfigured("ONCALL_WEBHOOK_URL must be an https:// address in production.")

# Celery: eager (in-process) on the embedded default, Redis in tests and production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker outage must not hang a patient's submit: fail fast, the outbox retries later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# visibility_timeout: an unacknowledged task (its worker was killed) goes to another worker
# after this long; longer than the longest task (a replay: 60 min), or it would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                   "visibility_timeout": 2 * 60 * 60}
# Redis Sentinel (docs/scaling.md): CELERY_BROKER_URL="sentinel://s1:26379;sentinel://s2:26379;
# sentinel://s3:26379" and the name of the monitored master here; Celery asks the Sentinels
# which Redis is the master and follows a failover.
CELERY_SENTINEL_MASTER = env("CELERY_SENTINEL_MASTER")
if CELERY_SENTINEL_MASTER:
    CELERY_BROKER_TRANSPORT_OPTIONS["master_name"] = CELERY_SENTINEL_MASTER
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"master_name": CELERY_SENTINEL_MASTER}
CELERY_TIMEZONE = TIME_ZONE
# A queue per kind of work, each with its own workers (docs/deploy.md, docs/scaling.md): an
# urgent alert never waits behind a replay, a purge or a mail backlog. A worker started
# without -Q takes only "default": list the queues it serves (`-Q urgent,mail,default,bulk`
# for one worker doing everything). Eager runs (`make run`) ignore the routes.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    # Urgent: the on-call alert (mail and pager), its escalation, and the sweep that sends
    # whatever the broker could not take (after an outage, alerts are among it).
    "review.tasks.send_urgent_notification": {"queue": "urgent"},
    "review.tasks.escalate_unacknowledged_urgent_alerts": {"queue": "urgent"},
    "review.tasks.send_pending_notifications": {"queue": "urgent"},
    # Mail and outbound calls: notices, account mail, integrations' webhooks.
    "review.tasks.send_notification": {"queue": "mail"},
    "accounts.tasks.send_account_mail": {"queue": "mail"},
    "accounts.tasks.send_pending_account_mail": {"queue": "mail"},
    "api.tasks.deliver_webhook": {"queue": "mail"},
    "api.tasks.send_due_webhooks": {"queue": "mail"},
    # Bulk: long reads and writes over many rows (replays; exports when they become tasks),
    # the nightly purges, the audit partitions, and the snapshots of the clinic metrics and
    # of the response-time report's default range (review/snapshots.py).
    "screening.tasks.replay_run": {"queue": "bulk"},
    "accounts.tasks.purge_unconfirmed_accounts": {"queue": "bulk"},
    "intake.tasks.purge_stale_drafts": {"queue": "bulk"},
    "audit.tasks.create_audit_partitions": {"queue": "bulk"},
    "review.tasks.refresh_clinic_metrics": {"queue": "bulk"},
    "review.tasks.refresh_response_report": {"queue": "bulk"},
    # Everything else (reminder sweeps, the stalled-replay sweep, iop.ping): "default".
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("CACHE_URL"):
    from iop.cache import cache_settings

    # Redis for rate-limit counters shared by every process; while it is down, counters per
    # process (iop/cache.py): sign-in keeps working.
    CACHES = cache_settings(env("CACHE_URL"))
RATELIMIT_VIEW = "accounts.views.ratelimited"

# Lockout after repeated failed sign-ins (django-axes, counted in the database so a Redis
# outage does not reset it). The rate limits above slow guessing; this stops it: after
# AXES_FAILURE_LIMIT failures an address is locked (everywhere, and from that client) until
# the cool-off ends, or an admin unlocks it (admin site "Access attempts", or
# `manage.py axes_reset_username ADDRESS`).
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "8"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.addresses.axes_username"
AXES_CLIENT_IP_CALLABLE = "iop.client.client_ip_or_none"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Axes' own log lines name the address typed (patient data): off. Successful sign-ins are
# not kept by axes either (the audit log has them); only failures, until they expire.
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True
# The header a reverse proxy puts the client's address in (e.g. HTTP_X_REAL_IP); unset:
# REMOTE_ADDR. Rate limits and the audit log read it through iop.client (docs/deploy.md).
CLIENT_ADDRESS_HEADER = env("CLIENT_ADDRESS_HEADER") or None
RATELIMIT_IP_META_KEY = "iop.client.client_address"

# Content Security Policy: everything from this origin; no third party ever sees a patient.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A clinic's or library's shared computer: closing the browser signs the person out.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                      "magnetometer=(), microphone=(), payment=(), usb=()")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Logs name ids and events only: answers, names and e-mail addresses never go to a log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                # Every sign-in at INFO (masked, but noise): lockouts are WARNING.
                "axes": {"level": "WARNING"}},
}

# Phone numbers are stored in E.164; one typed without +country code is read as a US number.
PHONENUMBER_DEFAULT_REGION = env("PHONENUMBER_DEFAULT_REGION", "US")
PHONENUMBER_DB_FORMAT = "E164"

# Criteria replays: intakes per saved chunk, and how long a run may go without progress
# before the sweep hands it to a worker again (its worker was killed). A chunk is held as
# JSON text (about 1 KB an intake), so 2,000 of them are 2 MB; fewer, larger chunks mean
# fewer round trips and progress commits (docs/performance.md, "Criteria replay").
REPLAY_CHUNK_SIZE = int(env("REPLAY_CHUNK_SIZE", "2000"))
REPLAY_STALL_MINUTES = int(env("REPLAY_STALL_MINUTES", "10"))

# The clinic metrics page and the response-time report's default range show a snapshot the
# beat works out every minute (review/snapshots.py); one older than this (the bulk workers or
# the beat are down) is shown with a note saying so. METRICS_STALE_SECONDS was its first name.
SNAPSHOT_STALE_SECONDS = int(env("SNAPSHOT_STALE_SECONDS",
                                 env("METRICS_STALE_SECONDS", "600")))

# Sign-ups whose address is not confirmed within this many days are deleted (nightly), and
# account mail (address, kind, times) is kept this long after it was sent.
UNCONFIRMED_ACCOUNT_DAYS = int(env("UNCONFIRMED_ACCOUNT_DAYS", "7"))
ACCOUNT_MAIL_KEEP_DAYS = int(env("ACCOUNT_MAIL_KEEP_DAYS", "30"))

# The API (issue 18): bearer tokens only (no session, so no CSRF question), a rate per token.
API_RATE = env("API_RATE", "600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.authentication.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IOP intake API",
    "DESCRIPTION": "Intakes after submit, their recommendation and decision, criteria versions "
                   "and programs; FHIR R4 under /api/v1/fhir/. One bearer token per integration.",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["api.authentication.TokenScope"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"LevelEnum": "screening.models.LEVEL_CHOICES"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "api.views.schema_keep_dollar"],
}

# The intake workflow.
DRAFT_PURGE_DAYS = int(env("DRAFT_PURGE_DAYS", "30"))
# An urgent alert nobody has acknowledged ("I'm on it") by then goes again to the backups and
# every clinician, and again each such period until someone does.
# (URGENT_OPEN_WITHIN_MINUTES is its name before the roster: still read, so an upgrade keeps it.)
URGENT_ACKNOWLEDGE_WITHIN_MINUTES = int(env("URGENT_ACKNOWLEDGE_WITHIN_MINUTES")
                                        or env("URGENT_OPEN_WITHIN_MINUTES", "15"))
# Response-time tiers (SPEC §8b): the first contact attempt is due within these, counted from
# submit (or from the save that first showed acute risk). Business days are Mon-Fri in
# TIME_ZONE. A tier is chosen in this order: urgent, then any of SAFETY_FLAGS, then routine.
RESPONSE_URGENT_HOURS = float(env("RESPONSE_URGENT_HOURS", "1"))
RESPONSE_SAFETY_BUSINESS_DAYS = int(env("RESPONSE_SAFETY_BUSINESS_DAYS", "1"))
RESPONSE_ROUTINE_BUSINESS_DAYS = int(env("RESPONSE_ROUTINE_BUSINESS_DAYS", "10"))
RESPONSE_SAFETY_FLAGS = env_list("RESPONSE_SAFETY_FLAGS", "safety_followup,safety_discordant")
# A first session still without an outcome (started, did not come) this long after it was
# due reminds the assigned clinician, or every clinician when nobody is assigned.
# Measurement-based care (SPEC §8b): a re-screen's reminder this many days after the
# invitation; counted missed this many days after it was due; a step down suggested after
# this many screens in a row recommending less care than the program's.
RESCREEN_REMIND_AFTER_DAYS = int(env("RESCREEN_REMIND_AFTER_DAYS", "3"))
RESCREEN_MISSED_AFTER_DAYS = int(env("RESCREEN_MISSED_AFTER_DAYS", "7"))
RESCREEN_STEP_DOWN_AFTER = int(env("RESCREEN_STEP_DOWN_AFTER", "2"))
FIRST_SESSION_OUTCOME_AFTER_HOURS = float(env("FIRST_SESSION_OUTCOME_AFTER_HOURS", "4"))
