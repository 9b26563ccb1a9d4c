"""Fast settings for the test suite: same apps and database choice, cheaper hashing and caches."""

from .settings import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# The benchmark's app, whose seed_synthetic command the tests exercise; production never
# installs it (tests/test_performance.py checks that).
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# The suite sends hundreds of API requests a minute from one address; tests/test_api_http.py
# lowers the rate to see the throttle answer.
API_ANONYMOUS_RATE = "100000/minute"
