"""Settings for Practice Atlas. Deploy-relevant values come from the environment.

This module is the development profile (SQLite by default, DEBUG on unless told otherwise);
config.settings_production builds on it and refuses to start without a secret key and hosts.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

INSTALLED_APPS = [
    "curation.apps.CuratedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "taggit",
    "reversion",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "core",
    "search",
    "practices",
    "movements",
    "guidance",
    "evidence",
    "atlas",
    "curation",
    "api",
]

MIDDLEWARE = [
    # Before the page cache, so that cached API answers and 304s get their CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.pagecache.AnonymousPageCacheMiddleware",
    # Inside the page cache, which keeps pages compressed (a large page takes milliseconds to
    # compress) and keys them by whether the reader accepts gzip.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    # DATABASE_URL set but empty is the default too, as in scripts/backup.py.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A search's candidates are the first matches a scan comes across (search/queryset.py);
    # a scan that joins one already running starts mid-table and would find others.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c synchronize_seqscans=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin login throttling: five failures from one client and username lock it out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind reverse proxies REMOTE_ADDR is the last proxy's, the same for everyone: set
# TRUSTED_PROXY_COUNT to how many there are, so a client is known by its X-Forwarded-For entry.
# With 0 that header, which anyone can send, is ignored (atlas/throttling.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "atlas.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "atlas.throttling.locked_out"

# Security headers on every response. No inline script or style anywhere, admin included.
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
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The site uses no browser feature beyond pages and forms: none is allowed, to it or to anything
# embedded in it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer camera display-capture geolocation gyroscope magnetometer microphone "
        "midi payment publickey-credentials-get screen-wake-lock serial usb xr-spatial-tracking"
    ).split()
}
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from static/ without collectstatic (development and tests); the
# production profile serves the collected, hashed and compressed copies instead.
WHITENOISE_USE_FINDERS = True

TAGGIT_CASE_INSENSITIVE = True
# Tag names with commas or double quotes survive the tag field unchanged (practices/tagging.py).
TAGGIT_STRING_FROM_TAGS = "core.tagging.string_from_tags"
TAGGIT_TAGS_FROM_STRING = "core.tagging.tags_from_string"
PAGE_SIZE = 20
# Search results carry snippets: ten a page, as web searches show, keep the page light.
SEARCH_PAGE_SIZE = 10

# Pages and costly figures are cached under a content version that any change replaces
# (core/cache.py, core/pagecache.py). Without REDIS_URL (the embedded default) they are cached in
# each process's memory and the version is in a file cache every process on this machine reads,
# so a change made elsewhere (another server process, import_kb, a backup restore) shows on the
# next request.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},  # pages are 2-12 KB, 200 KB at most
    },
    "versions": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("VERSION_CACHE_DIR", str(BASE_DIR / "var" / "versions")),
        # One small file per topic (core.cache): an app, or a record other apps' pages show.
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}


def redis_caches(url, prefix):
    """The three caches in the Redis at `url`, each under its own key prefix."""
    return {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}-{alias}",
            # A Redis that does not answer fails a request in seconds instead of hanging it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        for alias in ("default", "pages", "versions")
    }


# With REDIS_URL (redis://host:6379/0, rediss://..., unix:///path/redis.sock) all three live in
# that Redis, so any number of app servers share them: a page one server cached is a hit on the
# others, and an edit through one shows on all of them at the next request. Sessions are kept in
# Redis and in the database (cached_db), so a Redis restart signs no one out.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    # REDIS_KEY_PREFIX: two sites sharing one Redis need different ones.
    CACHES = redis_caches(REDIS_URL, os.environ.get("REDIS_KEY_PREFIX", "").strip() or "atlas")
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# How long browsers and caches in front may reuse a public page before asking again (with its
# ETag or Last-Modified, which a 304 answers while the content is unchanged). 0: they ask every
# time, so an edit shows on the next request; more saves round trips, and an edit may then take
# that long to reach a reader.
HTTP_MAX_AGE = int(os.environ.get("HTTP_MAX_AGE", "0"))
# CSV and JSON exports are built once per content version and filter into this directory and
# served from it (core/exportfiles.py). At most EXPORT_BUILDS_AT_ONCE are built at once by all
# the processes sharing it; past that, a request for one not built yet gets 429 and Retry-After
# (EXPORT_RETRY_AFTER seconds). At most EXPORT_CACHE_FILES files are kept.
EXPORT_CACHE_DIR = os.environ.get("EXPORT_CACHE_DIR", str(BASE_DIR / "var" / "exports"))
EXPORT_BUILDS_AT_ONCE = int(os.environ.get("EXPORT_BUILDS_AT_ONCE", "2"))
EXPORT_RETRY_AFTER = int(os.environ.get("EXPORT_RETRY_AFTER", "10"))
EXPORT_CACHE_FILES = int(os.environ.get("EXPORT_CACHE_FILES", "200"))

# The read-only API (api/, README "API"): JSON only, anonymous, throttled per client address.
REST_FRAMEWORK = {
    # One renderer: no `Vary: Accept`, so the page cache keeps API answers like pages.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "URL_FORMAT_OVERRIDE": None,
}
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE", "120/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Practice Atlas API",
    "DESCRIPTION": (
        "Read-only open data: the published practices, movements and guidance of Practice "
        "Atlas. Lists filter with the same parameters as the site's list pages and page by "
        "cursor. Field names are stable: fields are only ever added."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "practices.models.Organisation.Kind",
        "MovementKindEnum": "movements.models.Movement.Kind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.errors.error_responses",
    ],
}
# Any site may read the API from a browser (GET only, no credentials); nothing else is shared.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
