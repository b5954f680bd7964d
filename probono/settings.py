"""Settings for probono, read from the environment.

With nothing set, the product runs with zero setup: SQLite, Celery tasks executed
in-process, e-mails printed to the console, DEBUG on. Components switch on when
configured: ``DATABASE_URL`` selects another database (PostgreSQL in production),
``REDIS_URL`` a real Celery broker and a shared cache. ``DJANGO_ENV=production``
refuses to start without its secrets.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from pythonjsonlogger.core import RESERVED_ATTRS

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    """Parse a boolean strictly: a typo must not silently mean False."""
    raw = env.str(name, default="1" if default else "0").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}.")


DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    for required in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"):
        if not env.str(required, default=""):
            raise ImproperlyConfigured(f"{required} must be set when DJANGO_ENV=production.")
    SECRET_KEY = env.str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")

# Retired keys, newest first (comma-separated): what was signed with them (sessions,
# password-reset links, attestation references) still checks while new signatures use
# SECRET_KEY. Rotate by moving the old key here; drop it once its signatures have expired.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

DEBUG = envbool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The site's name and public address: allauth's e-mails and ours say the name and build
# their links on the address (`make run` sets it from HOST); django.contrib.sites' row
# follows both after every migrate (core.site).
SITE_NAME = env.str("SITE_NAME", default="probono")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).netloc:
    raise ImproperlyConfigured(
        f"SITE_URL must be an http(s) address (https://probono.example.org), not {SITE_URL!r}."
    )
if urlsplit(SITE_URL).path:
    raise ImproperlyConfigured("SITE_URL is the site's address only, without a path.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_celery_beat",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "core",
    "accounts",
    "legal",
    "taxonomy",
    "associations",
    "companies",
    "volunteers",
    "missions",
    "matching",
    "notifications",
    "api",
    "search",
    "demo",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (core.request_id).
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "legal.middleware.ConsentMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "probono.urls"
WSGI_APPLICATION = "probono.wsgi.application"
SITE_ID = 1

# Form widgets render through the project's templates too (search/widgets/...), the
# commonest ones written in Python (core/renderers.py).
FORM_RENDERER = "core.renderers.FormRenderer"

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
                "django.template.context_processors.i18n",
                "probono.context_processors.spaces",
            ],
        },
    },
]

# Databases: SQLite by default, anything django-environ understands otherwise
# (postgres://user@host:5432/name in production and in CI).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Let concurrent writers (dev server + in-process tasks) wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Behind PgBouncer in transaction mode, a session's state does not outlive a transaction:
# no server-side cursors, and the API's idempotency locks are taken per transaction.
DATABASE_TRANSACTION_POOLING = envbool("DATABASE_TRANSACTION_POOLING", default=False)
if DATABASE_TRANSACTION_POOLING:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: one URL turns on the Celery broker and the shared cache.
REDIS_URL = env.str("REDIS_URL", default="")
HAS_REDIS = bool(REDIS_URL)
if HAS_REDIS:
    # A Redis that is down must not fail sign-ins or API calls (rate limits and
    # throttling live in the cache): core.cache falls back to a process-local cache.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "probono",
            "OPTIONS": {
                "FALLBACK_RETRY_SECONDS": 5,
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: in-process (eager) unless a broker is configured.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Results are kept only where a chord needs them (the chunks of a full recompute).
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_ALWAYS_EAGER = not HAS_REDIS
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING below (JSON in production, with the request id), not
# through a format of Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Handing a task over fails fast when Redis is down (one quick retry, not seconds of
# them within a request): the outbox keeps the task and the sweep hands it over later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "recompute-all-suggestions": {
        "task": "matching.tasks.recompute_all",
        "schedule": crontab(hour=3, minute=0),
    },
    "expire-overdue-missions": {
        "task": "missions.tasks.expire_overdue_missions",
        "schedule": 60 * 60,  # hourly: deadlines are dates, an hour of lag is harmless
    },
    "send-daily-notification-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=18, minute=0),
    },
    "remind-missions-starting-tomorrow": {
        "task": "notifications.tasks.remind_missions_starting",
        "schedule": crontab(hour=9, minute=0),
    },
    "remind-stale-applications": {
        "task": "notifications.tasks.remind_stale_applications",
        "schedule": crontab(hour=9, minute=30),
    },
    "sweep-outbox": {
        "task": "core.tasks.sweep_outbox",
        "schedule": 60,  # every minute: a side effect waits at most this after Redis returns
    },
}
# The outbox (core.outbox): a row handed to the workers and still undelivered after this
# many seconds is handed over again; a row that keeps failing is given up on (staff can
# retry it from the admin) after this many attempts; delivered rows are kept this long.
OUTBOX_REDISPATCH_SECONDS = env.int("OUTBOX_REDISPATCH_SECONDS", default=15 * 60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=12)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)

# Staff's views and searches of people's data in the admin are kept a year (the privacy
# policy says so), then deleted by this job.
PERSONAL_DATA_ACCESS_RETENTION_DAYS = env.int("PERSONAL_DATA_ACCESS_RETENTION_DAYS", default=365)
CELERY_BEAT_SCHEDULE["purge-personal-data-access-log"] = {
    "task": "core.tasks.purge_personal_data_access",
    "schedule": crontab(hour=4, minute=15),
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 (memory-hard) for new passwords; the older hashers stay listed so that an
# existing PBKDF2 hash still checks, and Django upgrades it to Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail is the only login, and it must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
# Company single sign-on (companies/sso.py, sso_adapter.py): each verified company that
# turns it on has its own allauth SocialApp (OpenID Connect or SAML 2.0, provider id
# "company-<pk>"), created by companies.sso.company_sso_update; nothing is configured here
# per company. The company's identity provider vouches for the addresses of its own
# domains (checked by the adapter), so a sign-in through it reaches the existing account
# of that address.
SOCIALACCOUNT_ADAPTER = "companies.sso_adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# Failed sign-ins: 10 a minute per address, and 5 per 5 minutes per (account, address)
# pair (the adapter adds the address to allauth's account key), so that wrong passwords
# typed elsewhere never lock the owner out.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) and single-use
# recovery codes, offered to everyone from the account pages and required of staff and
# territorial referents (accounts.middleware) before any other page.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Accept the code of the previous and the next 30-second period (clock drift); a code
# is still accepted only once.
MFA_TOTP_TOLERANCE = 1
# Behind a reverse proxy, the client's address is the last but N of X-Forwarded-For:
# set this to the number of proxies in front of the application (0: REMOTE_ADDR).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes (and the reverse proxy serves /static/ from, in production).
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, WhiteNoise serves static files straight from the apps' folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
if EMAIL_CONFIG.get("EMAIL_FILE_PATH"):
    # django-environ drops the leading slash of filemail:///absolute/path.
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = "/" + EMAIL_CONFIG["EMAIL_FILE_PATH"].lstrip("/")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="probono <noreply@probono.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy (django-csp): scripts, styles, fonts and connections from this
# site only, no inline script or style anywhere (htmx is vendored under static/ and its
# indicator styles are in probono.css); images may also be data: URIs (the favicon, the
# two-factor QR code). The Redoc page alone adds inline styles (api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page of the site uses, refused to it and to anything it embeds.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self"],
}

# Logs: one JSON object per line in production (python-json-logger), plain text in
# development; every record carries the id of the request (or task) that caused it.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")
# One line per request (method, view, route, status, duration): the access log.
LOG_REQUESTS = envbool("LOG_REQUESTS", default=PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
            # Django's error lines attach the request, whose text holds the full path
            # with its query string (a search, a token): the message says enough.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        },
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Error reports (Sentry SDK), from the web processes and the workers alike, when
# SENTRY_DSN is set; no personal data is sent (send_default_pii=False).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from probono.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=DJANGO_ENV),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# /metrics (Prometheus): closed (404) unless a bearer token or networks are set; then
# open to a scraper with the token or from those networks (CIDR, comma-separated), 403
# to anyone else. The client's address is read behind TRUSTED_PROXY_COUNT proxies.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
for _network in METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_NETWORKS: {_network!r} is not a network (e.g. 10.0.0.0/8)."
        ) from _error

# Matching: see matching/weights.py for what each weight and parameter means.
MATCHING_WEIGHTS = env.json("MATCHING_WEIGHTS", default={})
MATCHING_PARAMS = env.json("MATCHING_PARAMS", default={})
MATCHING_TOP_K = env.int("MATCHING_TOP_K", default=50)
# A list that other changes shrink below this many suggestions is computed again in the
# background (a mission filled or closed leaves the lists holding it with one fewer).
MATCHING_REFILL_BELOW = env.int("MATCHING_REFILL_BELOW", default=40)
# Refresh requests for one mission or volunteer within this window make one run.
MATCHING_COALESCE_SECONDS = env.int("MATCHING_COALESCE_SECONDS", default=10)
# A process keeps the volunteers and missions it loaded, and reads again only the rows
# changed since (matching/current.py); past this many changed rows it loads everything.
MATCHING_OVERLAY_MAX_ROWS = env.int("MATCHING_OVERLAY_MAX_ROWS", default=2000)
# Chunks of the nightly recompute per direction: more chunks, more workers can share it.
MATCHING_CHUNKS = env.int("MATCHING_CHUNKS", default=8)
# Invitations one volunteer may receive over a rolling 30 days, all associations together.
INVITATIONS_PER_VOLUNTEER_PER_MONTH = env.int("INVITATIONS_PER_VOLUNTEER_PER_MONTH", default=2)

# Companies and foundations: approvals, and the French corporate sponsorship rules.
# An association's public page shows how fast it answers only once it has answered at
# least this many applications (fewer would make the median say more than it knows).
RESPONSIVENESS_MIN_ANSWERED = env.int("RESPONSIVENESS_MIN_ANSWERED", default=5)

# Approvers are reminded of a work-time application that waits longer than this (days),
# then again every as many days.
COMPANY_APPROVAL_REMINDER_DAYS = env.int("COMPANY_APPROVAL_REMINDER_DAYS", default=3)
# Accounts unused for this many years are anonymised, after e-mails this many days before.
ACCOUNT_RETENTION_YEARS = env.int("ACCOUNT_RETENTION_YEARS", default=3)
ACCOUNT_RETENTION_WARNING_DAYS = (30, 7)
CELERY_BEAT_SCHEDULE["anonymise-inactive-accounts"] = {
    "task": "accounts.tasks.sweep_inactive_accounts",
    "schedule": crontab(hour=4, minute=15),
}
CELERY_BEAT_SCHEDULE["companies-approval-reminders"] = {
    "task": "companies.tasks.send_approval_reminders",
    "schedule": crontab(hour=8, minute=30),
}
# Welcome e-mails (day 0, 3 and 10 after sign-up) every hour, so that the first one
# follows the sign-up closely; the reports people subscribed to, each morning (the
# period's figures are complete once its last day is over).
CELERY_BEAT_SCHEDULE["send-welcome-emails"] = {
    "task": "notifications.tasks.send_welcome_emails",
    "schedule": crontab(minute=20),
}
CELERY_BEAT_SCHEDULE["send-scheduled-reports"] = {
    "task": "companies.tasks.send_scheduled_reports",
    "schedule": crontab(hour=7, minute=0),
}
# Every legal parameter of the tax estimate, with its source and the year it holds for.
# The report shows them beside the figures; update them here when the law changes.
TAX_SPONSORSHIP_RULES = {
    "rate": {
        "value": "0.60",
        "label": _("Taux de la réduction d'impôt (dons jusqu'au seuil)"),
        "source": "CGI art. 238 bis, 1",
        "year": 2025,
    },
    "reduced_rate": {
        "value": "0.40",
        "label": _("Taux au-delà du seuil"),
        "source": "CGI art. 238 bis, 1 (loi n° 2019-1479 de finances pour 2020, art. 134)",
        "year": 2025,
    },
    "reduced_rate_threshold": {
        "value": "2000000",
        "label": _("Seuil de dons au-delà duquel le taux réduit s'applique (€)"),
        "source": "CGI art. 238 bis, 1 (loi n° 2019-1479 de finances pour 2020, art. 134)",
        "year": 2025,
    },
    "ceiling_turnover_share": {
        "value": "0.005",
        "label": _("Plafond : part du chiffre d'affaires hors taxes"),
        "source": "CGI art. 238 bis, 1 (loi n° 2018-1317 de finances pour 2019, art. 148)",
        "year": 2025,
    },
    "ceiling_fixed": {
        "value": "20000",
        "label": _("Plafond : montant fixe, s'il est plus élevé (€)"),
        "source": "CGI art. 238 bis, 1 (loi n° 2018-1317 de finances pour 2019, art. 148)",
        "year": 2025,
    },
    "salary_cap_pass_multiple": {
        "value": "3",
        "label": _("Rémunération retenue par salarié : plafond en multiples du PASS"),
        "source": "CGI art. 238 bis, 1 (loi n° 2018-1317 de finances pour 2019, art. 148)",
        "year": 2025,
    },
    "pass": {
        "value": "47100",
        "label": _("Plafond annuel de la sécurité sociale (€)"),
        "source": "Arrêté du 19 décembre 2024 portant fixation du plafond pour 2025",
        "year": 2025,
    },
    "annual_working_hours": {
        "value": "1607",
        "label": _("Durée légale annuelle du travail (heures), pour ramener le plafond à l'heure"),
        "source": "Code du travail, art. L3121-27 et L3121-41",
        "year": 2025,
    },
}

# REST API for partner tools (api/): DRF, its OpenAPI schema, keys, throttling, webhooks.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.KeyScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.RequesterRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # `format` is a search filter (the missions' format, as on the search page), not the
    # choice of a renderer: answers are JSON, or what the Accept header asks for.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Requests per minute (or per hour, per day: "120/min", "5000/hour") per key, user or address.
API_THROTTLE_RATES = {
    "key": env.str("API_THROTTLE_KEY", default="600/min"),
    "user": env.str("API_THROTTLE_USER", default="300/min"),
    "anon": env.str("API_THROTTLE_ANON", default="60/min"),
}
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
API_IMPORT_MAX_ROWS = env.int("API_IMPORT_MAX_ROWS", default=2000)
# Idempotency-Key responses are kept this many hours.
API_IDEMPOTENCY_HOURS = 24
SPECTACULAR_SETTINGS = {
    "TITLE": "probono API",
    "DESCRIPTION": (
        "The probono REST API for partner tools: publish missions, follow applications, "
        "hours and evaluations, read match suggestions, manage employees and receive "
        "signed webhooks. See the API section of the README and the docs at /api/docs/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "SeniorityEnum": "volunteers.models.VolunteerProfile.Seniority",
        "WebhookEventEnum": "api.models.WebhookEvent",
        "DeclineReasonEnum": "missions.models.Application.DeclineReason",
        "WithdrawalReasonEnum": "missions.models.Application.WithdrawalReason",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "ApiKey": {
                "type": "http",
                "scheme": "bearer",
                "description": "Authorization: Bearer pb_<prefix>_<secret>",
            }
        }
    },
    "SECURITY": [{"ApiKey": []}, {"cookieAuth": []}],
}
# Webhooks: attempts per delivery (exponential backoff between them) and request timeout.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
# Signatures older than this are to be refused by receivers (documented tolerance).
WEBHOOK_TOLERANCE_SECONDS = 300
# Webhook URLs must resolve to public addresses (no loopback, private or link-local
# network), checked when registered and again before each delivery (the delivery then
# connects to the address checked, never resolving the name again), and redirects are
# not followed, so that a partner cannot make the server call internal hosts. Allowed
# in development, where receivers run on the same machine.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)

# Notifications: an application without an answer for this many days nudges the
# association, at most once every NOTIFICATION_STALE_REMINDER_EVERY_DAYS days.
NOTIFICATION_STALE_APPLICATION_DAYS = env.int("NOTIFICATION_STALE_APPLICATION_DAYS", default=7)
NOTIFICATION_STALE_REMINDER_EVERY_DAYS = env.int(
    "NOTIFICATION_STALE_REMINDER_EVERY_DAYS", default=7
)
# Longest message on an application's thread (characters).
NOTIFICATION_MESSAGE_MAX_LENGTH = env.int("NOTIFICATION_MESSAGE_MAX_LENGTH", default=4000)

# Periodic jobs on a short interval instead of their schedule, by name (JSON, seconds):
# `{"purge-personal-data-access-log": 5}`. For the production smoke test and staging
# only; the jobs and their schedules are the entries of CELERY_BEAT_SCHEDULE above.
BEAT_INTERVAL_OVERRIDES = env.json("BEAT_INTERVAL_OVERRIDES", default={})
for _job, _seconds in BEAT_INTERVAL_OVERRIDES.items():
    if _job not in CELERY_BEAT_SCHEDULE:
        raise ImproperlyConfigured(f"BEAT_INTERVAL_OVERRIDES names an unknown job: {_job!r}.")
    CELERY_BEAT_SCHEDULE[_job] = {**CELERY_BEAT_SCHEDULE[_job], "schedule": float(_seconds)}
