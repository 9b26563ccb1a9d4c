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
    "django.contrib.admin",
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
    "core",
    "search",
    "practices",
    "movements",
    "guidance",
    "atlas",
    "curation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.pagecache.AnonymousPageCacheMiddleware",
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

# Pages and costly figures are cached in each process's memory, under a content version that any
# change replaces (practices/cache.py, atlas/pagecache.py). The version is in a file cache every
# process reads, so a change made elsewhere (another server process, import_kb, a backup restore)
# shows on the next request.
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
    },
}
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
