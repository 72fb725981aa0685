"""Settings for the community CMS: one module, configured by the environment.

Every variable read here is documented in ``.env.example``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured

from cms.cache_config import caches_from_env, redis_url_with_timeouts
from cms.env import env_bool, env_int, env_list, env_pairs, env_str
from cms.storage_config import storages_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """Use SECRET_KEY when given; for local DEBUG use, generate one and keep it in a file."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # The plugin suite: one app per plugin.
    "plugins.core",
    "plugins.assets",
    "plugins.accounts",
    "plugins.teams",
    "plugins.profiles",
    "plugins.jobs",
    "plugins.achievements",
    "plugins.rewards",
    "plugins.roadmap",
    "plugins.points",
    "plugins.notifications",
    "plugins.forum",
    "plugins.sitebuild",
    "plugins.demo",
    # The editors' admin.
    "snippets",
    "api",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "health_check",
    "django_prometheus",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Request counts and latencies for /metrics: the first and the last middleware.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request's id (X-Request-ID, and in every log line), before anything can fail or log.
    "plugins.core.request_ids.RequestIdMiddleware",
    # Nothing under /api/ answers HTML: what no view answered (unknown routes, exceptions) is JSON too.
    "api.middleware.JsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before CommonMiddleware, so that preflights and redirects carry the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"
ASGI_APPLICATION = "cms.asgi.application"

# SQLite file by default; PostgreSQL (or any database dj-database-url knows) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests (runserver threads, a task worker) would otherwise hit "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = storages_from_env()

# E-mail: console by default, a folder of .eml files with EMAIL_FILE_PATH, SMTP with EMAIL_HOST.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
elif env_str("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "community@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Who reaches /health/ and /metrics (addresses or networks, comma-separated): the load balancer and the
# monitoring, never the public. Behind a proxy, keep those paths off its public routes too.
OPERATIONS_NETWORKS = tuple(
    env_list("OPERATIONS_NETWORKS", ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])
)
# Or from anywhere with `Authorization: Bearer <OPERATIONS_TOKEN>` (behind a load balancer every request
# comes from a private address; see cms/operations.py). Empty: no token is accepted.
OPERATIONS_TOKEN = env_str("OPERATIONS_TOKEN", "").strip()

# Background work: Django's Tasks API, the ORM backend by default (workers: `manage.py db_worker`).
# TASKS_BACKEND=django_tasks_rq.RQBackend queues in Redis at TASKS_REDIS_URL instead (workers:
# `manage.py rqworker --job-class django_tasks_rq.Job`), for a site that outgrows one database queue.
_tasks_backend = env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
# The database's queue enqueues in the transaction of the change already; the immediate and dummy backends
# (tests, scripts) cannot be away. Any other queue (RQ's in Redis) is wrapped by the outbox, so that a change
# commits and its tasks wait in the database while the queue is away (plugins.core.outbox).
_queue_in_the_database = _tasks_backend.startswith(("django_tasks_db.", "django_tasks.backends."))
TASKS = {
    "default": {
        "BACKEND": _tasks_backend if _queue_in_the_database else "plugins.core.task_backend.OutboxBackend",
        "QUEUES": ["default"],
        "OPTIONS": {} if _queue_in_the_database else {"QUEUE": _tasks_backend},
    }
}
# Events and tasks wait in the database's outbox while the queue is away (plugins.core.outbox); delivered ones
# are kept this many days (`manage.py relay_outbox` hands over what waits and deletes what is old).
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 7)
# A Redis queue that stops answering fails an enqueue within TASKS_REDIS_TIMEOUT seconds (the task then waits in
# the outbox) rather than holding the request.
RQ_QUEUES = {
    "default": {
        "URL": redis_url_with_timeouts(
            env_str("TASKS_REDIS_URL", "redis://127.0.0.1:6379/1"), float(env_str("TASKS_REDIS_TIMEOUT", "1") or 1)
        ),
        "DEFAULT_TIMEOUT": 600,
    }
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
# HTTPS only: redirect plain HTTP (but the load balancer's probe, which may not speak TLS; the monitoring's token
# only travels over HTTPS),
# and tell browsers to come back over HTTPS for SECURE_HSTS_SECONDS (0: not at all; raise it once HTTPS works).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^health/serving/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Community CMS")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "assets.CommunityImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No calls to third-party hosts from the admin (avatars come from user profiles, not Gravatar).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Each line names the request that caused it (X-Request-ID), so that a 500's traceback can be found.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "plugins.core.request_ids.RequestIdFilter"}},
    "formatters": {"lines": {"format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "lines"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# REST API (Strapi dialect)
API_PAGINATION_DEFAULT = env_int("API_PAGINATION_DEFAULT", 25)
API_PAGINATION_MAX = env_int("API_PAGINATION_MAX", 100)
API_JWT_SECRET = env_str("API_JWT_SECRET") or SECRET_KEY
API_JWT_LIFETIME = timedelta(days=env_int("API_JWT_LIFETIME_DAYS", 30))
# What one request may populate: how deep, and how many related rows in all (each a 400 beyond, saying so).
API_POPULATE_MAX_DEPTH = env_int("API_POPULATE_MAX_DEPTH", 5)
API_POPULATE_MAX_ROWS = env_int("API_POPULATE_MAX_ROWS", 5000)
# On PostgreSQL the populate's queries are prepared, planned once per connection (api.query.kept). Turn
# this off behind a pooler that can't keep prepared statements (PgBouncer in transaction mode
# without max_prepared_statements). Only connections kept between requests (DATABASE_CONN_MAX_AGE) prepare.
API_PREPARED_STATEMENTS = env_bool("API_PREPARED_STATEMENTS", True)
# Public, anonymous reads may be cached by browsers and CDNs for this long.
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 60)
# Strapi's `Strapi-Response-Format: v4` header, as the default for every request.
API_DEFAULT_RESPONSE_FORMAT = env_str("API_DEFAULT_RESPONSE_FORMAT", "v5")

# CORS (django-cors-headers): the website's origins call /api/ from the browser with a Bearer JWT.
# No cookies cross origins, so credentials stay off; the API's own headers are allowed beside the defaults
# (which already hold Authorization and Content-Type).
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ORIGINS", ["http://localhost:8000", "http://127.0.0.1:8000"] if DEBUG else [])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (*cors_default_headers, "strapi-response-format", "idempotency-key", "if-none-match")
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After")
CORS_PREFLIGHT_MAX_AGE = env_int("API_CORS_PREFLIGHT_MAX_AGE", 86400)

REST_FRAMEWORK = {
    # The API's views set their authentication, rendering and errors themselves (api.base.ApiView).
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Where the website's reset-password page is; {code} is replaced with the reset code.
API_PASSWORD_RESET_URL = env_str("API_PASSWORD_RESET_URL", "http://localhost:3000/reset-password?code={code}")

SPECTACULAR_SETTINGS = {
    "TITLE": "Community CMS API",
    "DESCRIPTION": "Strapi v5's REST dialect over the community content types. "
    "Send `Strapi-Response-Format: v4` for Strapi v4's response shape.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["api.base.only_api_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.openapi.add_generated_endpoints",
    ],
}

# Points
# The most points one moderator gift may give.
POINTS_GIFT_MAX = env_int("POINTS_GIFT_MAX", 500)
# The most points one moderator gifts in 24 hours, to everyone together.
POINTS_GIFT_DAILY_MAX = env_int("POINTS_GIFT_DAILY_MAX", 2000)
# Each reply earns this many points, up to this many points a day; none for replies to one's own question.
POINTS_PER_REPLY = env_int("POINTS_PER_REPLY", 1)
POINTS_REPLY_DAILY_MAX = env_int("POINTS_REPLY_DAILY_MAX", 5)
# Reputation tiers, lowest first: (name, minimum points, minimum activity: questions, answers, solutions, votes).
REPUTATION_TIERS = [
    ("Newcomer", 0, 0),
    ("Contributor", 50, 3),
    ("Regular", 200, 15),
    ("Expert", 500, 40),
    ("Mentor", 1500, 100),
    ("Legend", 5000, 250),
]

# Rewards store
# Where merch and account credit discount codes come from: a dotted path to a CodeProvider
# (plugins/rewards/codes.py documents the interface a shop's API adapter implements).
REWARDS_CODE_PROVIDER = env_str("REWARDS_CODE_PROVIDER", "plugins.rewards.codes.LocalCodeProvider")
# The "use in store" link, with {code} where the discount code goes, e.g. https://merch.example.com/discount/{code}
REWARDS_STORE_URL_TEMPLATE = env_str("REWARDS_STORE_URL_TEMPLATE", "")
if REWARDS_STORE_URL_TEMPLATE and "{code}" not in REWARDS_STORE_URL_TEMPLATE:
    raise ImproperlyConfigured("REWARDS_STORE_URL_TEMPLATE must contain {code} where the discount code goes.")
# Slack-compatible incoming webhook that hears of every redemption, order and cancellation (empty: none).
REWARDS_MONITORING_WEBHOOK_URL = env_str("REWARDS_MONITORING_WEBHOOK_URL", "")

# Forum
# Where the website shows a question (links in e-mails and channel messages); {slug} is its permalink slug.
FORUM_QUESTION_URL_TEMPLATE = env_str("FORUM_QUESTION_URL_TEMPLATE", "http://localhost:3000/questions/{slug}")
# The public base URL of this CMS (one-click unsubscribe links in e-mails point at its API).
PUBLIC_API_URL = env_str("PUBLIC_API_URL", "http://127.0.0.1:8000")
# A new member's first question waits for a moderator's approval before it is public.
FORUM_HOLD_FIRST_QUESTION = env_bool("FORUM_HOLD_FIRST_QUESTION", False)
# Escalated questions are posted (Slack-compatible JSON) here for the support team (empty: recorded only).
FORUM_SUPPORT_WEBHOOK_URL = env_str("FORUM_SUPPORT_WEBHOOK_URL", "")
# The moderator panel links the asker to the product's analytics: {email}, {user_id} and {document_id} are filled.
FORUM_ANALYTICS_URL_TEMPLATE = env_str("FORUM_ANALYTICS_URL_TEMPLATE", "")
# The hour (local time) the daily topic digests go out, when scheduled with `send_digests --schedule`.
FORUM_DIGEST_HOUR = env_int("FORUM_DIGEST_HOUR", 7)
# Where the website shows a roadmap item ({slug}), for links in followers' e-mails.
ROADMAP_ITEM_URL_TEMPLATE = env_str("ROADMAP_ITEM_URL_TEMPLATE", "http://localhost:3000/roadmap/{slug}")

# Rate limits (DRF throttling): "N/second|minute|hour|day" per scope, counted per member; "<scope>-address"
# counts per client address too. API_RATE_LIMITS="ask=5/hour,reply=30/hour" overrides single scopes.
API_RATE_LIMITS = env_pairs(
    "API_RATE_LIMITS",
    {
        "register-address": "20/hour",
        "login-address": "30/minute",
        # Failed sign-ins per account, from any address.
        "login-account": "10/hour",
        "ask": "10/hour",
        "ask-address": "30/hour",
        "reply": "60/hour",
        "reply-address": "200/hour",
        "vote": "200/hour",
        "vote-address": "600/hour",
        "upload": "30/hour",
        "upload-address": "100/hour",
    },
)
# What each limit does while the shared cache (Redis) is away: "local" counts in each process (the limit holds
# per process), "closed" refuses with a JSON 503, "open" allows. The README says why each is what it is.
# API_RATE_LIMITS_WITHOUT_CACHE="vote=closed" overrides single limits.
API_RATE_LIMITS_WITHOUT_CACHE = env_pairs(
    "API_RATE_LIMITS_WITHOUT_CACHE",
    {"login": "local", "register": "closed", "ask": "local", "reply": "local", "upload": "local", "vote": "open"},
)

# The cache every process shares (rate-limit counters, the permission matrix, pineapple counts): a Redis
# URL (redis:// or rediss://), or "db" — the database's cache table, made by `migrate` — which is the
# default with DEBUG off; "locmem" keeps it per process (the default with DEBUG on; one process only).
CACHES = caches_from_env(DEBUG)
# Images in forum posts may come from MEDIA_URL and from these URL prefixes (comma-separated); others are dropped.
FORUM_IMAGE_SOURCES = tuple(env_list("FORUM_IMAGE_SOURCES", []))

# The static site build (`python manage.py build_site`): the site's public address (sitemap, canonical
# links) and its name in page titles.
SITE_BASE_URL = env_str("SITE_BASE_URL", "http://localhost:8080")
SITE_NAME = env_str("SITE_NAME", "Community")
# The built-in webhook receiver (/hooks/site-build/) rebuilds the site into SITE_BUILD_OUT when a webhook
# signed with SITE_BUILD_WEBHOOK_SECRET reports a public change; events within the debounce window share
# one build. The build reads the API in-process unless SITE_BUILD_API_URL is set.
SITE_BUILD_WEBHOOK_SECRET = env_str("SITE_BUILD_WEBHOOK_SECRET", "")
SITE_BUILD_OUT = env_str("SITE_BUILD_OUT", str(BASE_DIR / "site"))
SITE_BUILD_DEBOUNCE_SECONDS = env_int("SITE_BUILD_DEBOUNCE_SECONDS", 60)
SITE_BUILD_API_URL = env_str("SITE_BUILD_API_URL", "")
SITE_BUILD_API_TOKEN = env_str("SITE_BUILD_API_TOKEN", "")
