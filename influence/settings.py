"""Settings for Influence, read from the environment (see the README's table).

Production secrets have no defaults: with DEBUG off, a missing SECRET_KEY,
ALLOWED_HOSTS or DATABASE_URL stops start-up with a message naming it.
"""

import base64
import hashlib
import re
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("INFLUENCE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
DEBUG = env.bool("DEBUG", default=False)


def _required(name: str) -> str:
    """An environment value production cannot run without ("" when DEBUG allows a default)."""
    value = env.str(name, default="")
    if value or DEBUG:
        return value
    raise ImproperlyConfigured(
        f"{name} must be set when DEBUG is off (see the settings table in README.md)."
    )


SECRET_KEY = _required("SECRET_KEY") or "development-only-secret-key-do-not-use-in-production"
ALLOWED_HOSTS = (
    env.list("ALLOWED_HOSTS")
    if _required("ALLOWED_HOSTS")
    else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
VERSION = "0.1.0"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "influence.core",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "influence.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # When each signed-in session was last seen, in the cache (the settings page lists them).
    "dashboard.sessions.LastSeenMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "influence.urls"
WSGI_APPLICATION = "influence.wsgi.application"

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
                "dashboard.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ by default; DATABASE_URL for PostgreSQL.
if _required("DATABASE_URL"):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "influence.sqlite3"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent worker and web processes: wait for locks and take the write
    # lock up front instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Accounts (django-allauth): people sign up and log in with their email, no user name.
# An unverified address may log in (the dashboard asks for the confirmation in one line);
# joining a workspace by invitation and the weekly email wait for it (influence.workspaces
# .invitations, influence.digests). The confirmation link is valid for 3 days.
ACCOUNT_ADAPTER = "dashboard.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
# A password reset for an address without an account sends nothing (and says the same as for one).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_FORMS = {"signup": "dashboard.forms.auth.SignUpForm", "login": "dashboard.forms.auth.LoginForm"}
# The lock-out is django-axes' alone (above): allauth's own count of failed logins is off.
# Sign-up, password reset and confirmation emails keep allauth's limits, answered with 429.html.
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "login_failed": None,
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Two factors: an authenticator app (TOTP) with recovery codes, set up on /settings/. The codes
# tried are limited per user (dashboard.forms.twofactor), and turning them off asks for the
# password or a code. A password change or 2FA removal ends the other sessions (dashboard.sessions).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Influence"
MFA_FORMS = {
    "authenticate": "dashboard.forms.twofactor.TwoFactorLogInForm",
    "reauthenticate": "dashboard.forms.twofactor.TwoFactorConfirmForm",
    "deactivate_totp": "dashboard.forms.twofactor.TwoFactorOffForm",
}
# Sessions are recorded at log-in; when each was last seen is kept in the cache by
# dashboard.sessions.LastSeenMiddleware (allauth's own tracking writes the database on every request).
USERSESSIONS_TRACK_ACTIVITY = False


def _oauth_app(client_id: str, secret: str, prefix: str) -> list[dict[str, str]]:
    """A provider's app when both its values are set (its button then shows), none when neither is."""
    if bool(client_id) != bool(secret):
        raise ImproperlyConfigured(
            f"{prefix}_OAUTH_CLIENT_ID and {prefix}_OAUTH_CLIENT_SECRET must be set together "
            "(see the settings table in README.md)."
        )
    return [{"client_id": client_id, "secret": secret, "key": ""}] if client_id else []


# Optional log-in with GitHub and Google, each on when its client id and secret are set. A first
# log-in creates the account (with its personal workspace), its address verified when the
# provider says so; a provider's verified address also logs in the account that already has it.
SOCIALACCOUNT_ADAPTER = "dashboard.social.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {
    "github": {
        "APPS": _oauth_app(
            env.str("GITHUB_OAUTH_CLIENT_ID", default=""), env.str("GITHUB_OAUTH_CLIENT_SECRET", default=""), "GITHUB"
        ),
        "SCOPE": ["read:user", "user:email"],
    },
    "google": {
        "APPS": _oauth_app(
            env.str("GOOGLE_OAUTH_CLIENT_ID", default=""), env.str("GOOGLE_OAUTH_CLIENT_SECRET", default=""), "GOOGLE"
        ),
        "SCOPE": ["openid", "profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "OAUTH_PKCE_ENABLED": True,
    },
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False

# Lock-out: 5 failed logins for one email from one address, then 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# Count failures per lower-cased email, whichever form (ours or the admin's) was used.
AXES_USERNAME_CALLABLE = "dashboard.forms.auth.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "auth/locked_out.html"
AXES_VERBOSE = False
# Proxies in front of the web process that append to X-Forwarded-For (0: none, the
# header is ignored). The lock-out and every rate limit take the client's address
# from influence.core.clientaddress, which reads it; a forged header can then
# neither dodge a lock-out nor lock someone else out.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more (see the settings table in README.md).")
AXES_CLIENT_IP_CALLABLE = "influence.core.clientaddress.client_address"

# A refused form (expired or cross-site) gets the product's error page, not the bare default.
CSRF_FAILURE_VIEW = "dashboard.views.errors.csrf_failure"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz answers plain HTTP to the orchestrator's probe.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Cache: Redis when REDIS_URL is given, local memory otherwise. The cache is optional:
# with Redis away, reads miss and writes are skipped (influence/core/cache.py), and a
# connection attempt gives up after a second instead of holding a page.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "influence.core.cache.OptionalRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="influence"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The JSON API (api/): personal access tokens only, JSON in and out, one error shape,
# pages of 50, and a rate per token counted in the cache (429 with Retry-After).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.AccessTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenAllows"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # No OPTIONS introspection: the schema at /api/v1/schema/ describes every operation.
    "DEFAULT_METADATA_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/min")
if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured("API_RATE_LIMIT must read like 600/min (a count per s, min, hour or day).")
SPECTACULAR_SETTINGS = {
    "TITLE": "Influence API",
    "DESCRIPTION": "Subjects, accounts, activities and scores. Send a personal access token created on "
    "/settings/ as `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.document_errors"],
    # Swagger UI and Redoc from the sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets of fields named "kind", each its own name: an activity's, and an unusual day's (spike or drop).
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "influence.core.choices.ActivityKind",
        "AnomalyKindEnum": [("spike", "spike"), ("drop", "drop")],
    },
}

# Email: EMAIL_URL (smtp://host:port) or EMAIL_HOST/EMAIL_PORT; console otherwise.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Influence <influence@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if "EMAIL_URL" in env.ENVIRON:
    vars().update(env.email_url("EMAIL_URL"))
elif "EMAIL_HOST" in env.ENVIRON:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
elif "EMAIL_FILE_PATH" in env.ENVIRON:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Weekly email: a send the mail server refused is retried after BASE, 2 BASE, 4 BASE ...
# seconds (capped at 15 minutes), up to DIGEST_MAX_ATTEMPTS attempts in all.
DIGEST_RETRY_BASE_SECONDS = env.float("DIGEST_RETRY_BASE_SECONDS", default=60.0)
DIGEST_MAX_ATTEMPTS = env.int("DIGEST_MAX_ATTEMPTS", default=6)

# Celery: Redis in production; kombu's file-system broker under var/ by default.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith("redis"):
    # Every broker key (queues, unacknowledged messages) under one prefix: deployments sharing
    # a Redis database, and parallel test runs, never restore each other's unacknowledged tasks.
    # Redis hands a task that was not acknowledged within the visibility timeout to another
    # worker: it must outlast the longest wait a task spends reserved (a countdown, at most
    # COLLECT_MAX_WAIT or the weekly email's 15 minutes) plus the longest run (a workspace's
    # recompute, 3,600 s), or a long task runs twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "global_keyprefix": env.str("CELERY_BROKER_KEY_PREFIX", default=""),
        "visibility_timeout": 2 * 60 * 60,
        "socket_connect_timeout": 2,
    }
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else f"file://{VAR_DIR / 'results'}",
)
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 10 * 60
# Every task of ours is safe to run again (each says why in its docstring): it is acknowledged
# once it has run, and one whose worker process died (killed, out of memory) goes back to the
# queue instead of being recorded as failed.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A page that queues follow-up work gives up on an absent broker within a few seconds; the
# work is recorded in the database and queued later (influence/scoring/queue.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every database connection before and after each
# task (a new PostgreSQL session per task) unless this is set; with it, tasks keep
# their thread's connection and influence/celery.py closes the broken or
# older-than-CONN_MAX_AGE ones before each task, as Django does per request.
CELERY_DB_REUSE_MAX = 10**9
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# One queue per kind of work, so that a backlog of collections never holds up scores or the
# weekly email; a worker started without -Q listens to all of them. Every name starts with
# CELERY_QUEUE_PREFIX (deployments sharing a broker; each test process has its own).
CELERY_QUEUE_PREFIX = env.str("CELERY_QUEUE_PREFIX", default="")
WORK_QUEUES = {name: f"{CELERY_QUEUE_PREFIX}{name}" for name in ("celery", "collection", "scoring", "email")}
CELERY_TASK_DEFAULT_QUEUE = WORK_QUEUES["celery"]
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in WORK_QUEUES.values()]
CELERY_TASK_ROUTES = {
    "influence.tasks.collection.*": {"queue": WORK_QUEUES["collection"], "routing_key": WORK_QUEUES["collection"]},
    "influence.tasks.scores.*": {"queue": WORK_QUEUES["scoring"], "routing_key": WORK_QUEUES["scoring"]},
    "influence.tasks.digests.*": {"queue": WORK_QUEUES["email"], "routing_key": WORK_QUEUES["email"]},
}

# Collection.
COLLECT_FAILING_AFTER = env.int("COLLECT_FAILING_AFTER", default=5)
# Retries of a collection on timeouts, 5xx and 429: exponential back-off with jitter,
# base * 2**n seconds capped at COLLECT_BACKOFF_MAX; a longer Retry-After than
# COLLECT_RETRY_AFTER_MAX is recorded as a failure (a task held that long in the
# broker would outlive Redis's visibility timeout).
COLLECT_MAX_RETRIES = env.int("COLLECT_MAX_RETRIES", default=5)
COLLECT_BACKOFF_BASE = env.float("COLLECT_BACKOFF_BASE", default=30.0)
COLLECT_BACKOFF_MAX = env.float("COLLECT_BACKOFF_MAX", default=900.0)
COLLECT_RETRY_AFTER_MAX = env.float("COLLECT_RETRY_AFTER_MAX", default=1800.0)
# No collection task waits longer than this in the broker (a countdown): a rate-limit wait
# beyond it hands the account back to the hourly dispatcher. Kept well under the broker's
# visibility timeout.
COLLECT_MAX_WAIT = env.float("COLLECT_MAX_WAIT", default=900.0)
if not 0 < COLLECT_MAX_WAIT <= 3600:
    raise ImproperlyConfigured("COLLECT_MAX_WAIT must be from 1 to 3600 seconds (see the settings table in README.md).")
# A claimed account (queued for collection) whose task has not finished this many seconds
# after it was queued (or after its last retry's planned start) is queued again.
COLLECT_CLAIM_TIMEOUT = env.float("COLLECT_CLAIM_TIMEOUT", default=600.0)
if COLLECT_CLAIM_TIMEOUT <= 0:
    raise ImproperlyConfigured("COLLECT_CLAIM_TIMEOUT must be a positive number of seconds.")
# Seconds an HTTP request of a scheduled collection may take, whole answer
# included (connect at most 5): an overall deadline, not one per read.
COLLECT_HTTP_TIMEOUT = env.float("COLLECT_HTTP_TIMEOUT", default=10.0)
# Largest answer read from a network, counted after decompression.
COLLECT_MAX_RESPONSE_BYTES = env.int("COLLECT_MAX_RESPONSE_BYTES", default=5_000_000)
# Addresses users give (Mastodon instances, feeds) are fetched only when public
# and on these ports; COLLECT_ALLOWED_PRIVATE_HOSTS opens the guard for named
# hosts ("host", "host:port", "host:*"), for tests and private deployments.
COLLECT_ALLOWED_PORTS = env.str("COLLECT_ALLOWED_PORTS", default="80,443")
COLLECT_ALLOWED_PRIVATE_HOSTS = env.str("COLLECT_ALLOWED_PRIVATE_HOSTS", default="")
# Seconds the "add account" check waits for the network before giving up.
COLLECT_CHECK_TIMEOUT = env.float("COLLECT_CHECK_TIMEOUT", default=5.0)
# Collections per network (Mastodon: per instance) shared by every worker, as
# "network=count/period" pairs (period s, m or h); COLLECT_RATE_LIMITS_ENABLED=0
# turns them off.
COLLECT_RATE_LIMITS_ENABLED = env.bool("COLLECT_RATE_LIMITS_ENABLED", default=True)
COLLECT_RATE_LIMITS = env.str(
    "COLLECT_RATE_LIMITS",
    default=(
        "mastodon=60/m,bluesky=300/m,github=60/m,stackexchange=30/m,hackernews=120/m,"
        "reddit=60/m,openalex=300/m,wikipedia=100/m,youtube=60/m,rss=120/m"
    ),
)


def _fernet_keys() -> list[str]:
    """The keys of stored credentials, newest first, each checked to be a Fernet key.

    FIELD_ENCRYPTION_KEYS ("new,old", during a rotation) wins over FIELD_ENCRYPTION_KEY
    (one key); one of them is required when DEBUG is off, and development derives one
    from SECRET_KEY. A malformed key stops start-up here instead of failing on first use.
    """
    several = [key.strip() for key in env.str("FIELD_ENCRYPTION_KEYS", default="").split(",") if key.strip()]
    one = env.str("FIELD_ENCRYPTION_KEY", default="").strip()
    name, keys = ("FIELD_ENCRYPTION_KEYS", several) if several else ("FIELD_ENCRYPTION_KEY", [one] if one else [])
    if not keys and not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY (or FIELD_ENCRYPTION_KEYS) must be set when DEBUG is off "
            "(see the settings table in README.md)."
        )
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: key {position} is not a Fernet key (32 url-safe base64-encoded bytes; "
                "see the settings table in README.md)."
            ) from None
    return keys or [
        base64.urlsafe_b64encode(hashlib.sha256(f"field-encryption:{SECRET_KEY}".encode()).digest()).decode()
    ]


# Fernet keys (32 url-safe base64-encoded bytes each), newest first: credentials are
# written with the first and read with any (influence/workspaces/credentials.py).
FIELD_ENCRYPTION_KEYS = _fernet_keys()
INFLUENCE_USER_AGENT = env.str(
    "INFLUENCE_USER_AGENT", default=f"Influence/{VERSION} (+{SITE_URL})"
)
GITHUB_API_URL = env.str("GITHUB_API_URL", default="https://api.github.com")
BLUESKY_API_URL = env.str("BLUESKY_API_URL", default="https://public.api.bsky.app")
STACKEXCHANGE_API_URL = env.str("STACKEXCHANGE_API_URL", default="https://api.stackexchange.com/2.3")
HACKERNEWS_API_URL = env.str("HACKERNEWS_API_URL", default="https://hacker-news.firebaseio.com/v0")
REDDIT_URL = env.str("REDDIT_URL", default="https://www.reddit.com")
OPENALEX_API_URL = env.str("OPENALEX_API_URL", default="https://api.openalex.org")
WIKIMEDIA_API_URL = env.str("WIKIMEDIA_API_URL", default="https://wikimedia.org/api/rest_v1")
YOUTUBE_API_URL = env.str("YOUTUBE_API_URL", default="https://www.googleapis.com/youtube/v3")
GITHUB_TOKEN = env.str("GITHUB_TOKEN", default="")
YOUTUBE_API_KEY = env.str("YOUTUBE_API_KEY", default="")
OPENALEX_API_KEY = env.str("OPENALEX_API_KEY", default="")
STACKEXCHANGE_KEY = env.str("STACKEXCHANGE_KEY", default="")
REDDIT_CLIENT_ID = env.str("REDDIT_CLIENT_ID", default="")
REDDIT_CLIENT_SECRET = env.str("REDDIT_CLIENT_SECRET", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # httpx logs every request URL at INFO, query string included: that would put
    # API keys (YouTube, Stack Exchange, OpenAlex) into the logs. Warnings still show.
    "loggers": {"axes": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}
