"""Production profile: DJANGO_SETTINGS_MODULE=config.settings_production.

Refuses to start without SECRET_KEY and ALLOWED_HOSTS, serves compressed, far-future-cached
static files through WhiteNoise, and turns on HTTPS-only cookies and HSTS, so that
`manage.py check --deploy` is clean.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import env_bool, env_list


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The production profile needs the {name} environment variable.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
required("ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=true; the load test and the
# benchmark run over plain HTTP on loopback with SECURE_SSL_REDIRECT=false.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer's health check often speaks plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# CACHES as in config/settings.py: with REDIS_URL, pages, figures, the content version and
# sessions in that Redis, shared by every app server; without it, pages in each process's memory
# and the content version in a file cache every process on this machine (and every management
# command) reads.

# Hashed names (every page's stylesheet) are cached for good by WhiteNoise whatever this says;
# this is for the unhashed ones, such as the 500 page's /static/css/site.css: an hour.
WHITENOISE_MAX_AGE = 3600
WHITENOISE_USE_FINDERS = False

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # noqa: F405
